"""How `blueprint render` scales: synthetic systems of 50 to 5,000 services, per platform.

    python benchmarks/render_scaling.py [--sizes 50 500 5000] [--variants aws kubernetes ...]
                                        [--keep DIR]

Each variant is a system every generator can render in full: `aws` (Fargate in a VPC behind
an internal NLB), `azure` (Container Apps with Key Vault and storage), `gcp` (Cloud Run with
Artifact Registry), `kubernetes` (Deployments with Services and an Ingress), and
`mixed` (the four side by side, a quarter of the services each). Services come in teams of
ten; each calls the next two of its team, reads its team's bucket (AWS and Azure, where
buckets render), and has health and metrics
endpoints; a gitops section makes the GitOps target render too.

For each variant and size it runs `python -m blueprint render FILE --out DIR --only TARGET`
once per target that applies, in a fresh process, and prints wall seconds, CPU seconds (user +
system of the child) and peak RSS (MiB); then the whole render (every target, as users run
it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEAM = 10
VARIANTS = ("aws", "azure", "gcp", "kubernetes", "mixed")
PLATFORM = {
    "aws": "aws-fargate",
    "azure": "azure-container-apps",
    "gcp": "cloud-run",
    "kubernetes": "kubernetes",
}
TARGETS = ("aws", "azure", "gcp", "kubernetes", "gitops", "monitoring")


def synthetic(variant: str, services: int, name: str | None = None) -> str:
    """A blueprint of `services` services on the variant's platform (or on all four)."""
    clouds = list(PLATFORM) if variant == "mixed" else [variant]
    per_cloud = _split(services, len(clouds))
    out = [f"name: {name or f'synthetic-{variant}-{services}'}", "platforms:"]
    out += [_PLATFORM_SETTINGS[c] for c in clouds]
    networks = [c for c in clouds if c in _NETWORKS]
    if networks:
        out.append("networks:")
        out += [_NETWORKS[c] for c in networks]
    out.append("ingress:")
    for cloud in clouds:
        out += _ingress(cloud)
    out.append("services:")
    for cloud, count in zip(clouds, per_cloud, strict=True):
        out += [line for i in range(count) for line in _service(cloud, i, count)]
    resources = [
        line
        for cloud, count in zip(clouds, per_cloud, strict=True)
        for line in _resources(cloud, count)
    ]
    if resources:
        out += ["resources:", *resources]
    out += [
        "gitops:",
        "  repository: https://github.com/example/synthetic.git",
        "  revision: main",
        "  path: out/synthetic",
    ]
    return "\n".join(out) + "\n"


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if k < total % parts else 0) for k in range(parts)]


_PLATFORM_SETTINGS = {
    "aws": "  aws: {region: eu-west-2, formats: [terraform, cloudformation]}",
    "azure": "  azure: {location: uksouth, resource_group: rg-synthetic}",
    "gcp": "  gcp: {project: synthetic-project, region: europe-west2}",
    "kubernetes": "  kubernetes: {namespace: synthetic}",
}
# Cloud Run services sit in a subnet without internet egress, so their calls to each other
# (internal ingress) go through the VPC (all-traffic egress), as BP2007 requires.
_NETWORKS = {
    "gcp": (
        "  gcp-net:\n    cloud: gcp\n    cidr: 10.20.0.0/16\n    subnets:\n"
        "      gcp-run: {cidr: 10.20.0.0/20, egress: none}"
    ),
    "aws": (
        "  aws-net:\n    cloud: aws\n    cidr: 10.0.0.0/16\n    nat: aws-public\n    subnets:\n"
        "      aws-public: {cidr: 10.0.64.0/19, zone: a, public: true}\n"
        "      aws-private: {cidr: 10.0.0.0/19, zone: a}"
    ),
    "azure": (
        "  az-net:\n    cloud: azure\n    cidr: 10.10.0.0/16\n    subnets:\n"
        '      az-apps: {cidr: 10.10.0.0/21, zone: "1"}\n'
        '      az-data: {cidr: 10.10.8.0/24, zone: "1"}'
    ),
}


def _prefix(cloud: str) -> str:
    return {"aws": "a", "azure": "z", "gcp": "g", "kubernetes": "k"}[cloud]


def _ingress(cloud: str) -> list[str]:
    first = f"{_prefix(cloud)}0"
    if cloud == "aws":
        return [
            "  aws-api:",
            "    kind: api-gateway",
            "    public: true",
            "    auth: {kind: jwt, issuer: aws-users}",
            '    routes: {"ANY /{proxy+}": aws-lb}',
            "  aws-lb:",
            "    kind: load-balancer",
            "    type: network",
            "    internal: true",
            "    subnets: [aws-private]",
            f"    forwards: {{8080: {first}}}",
        ]
    return [f"  {cloud}-web:", "    kind: http", "    public: true", f"    routes: {{/: {first}}}"]


def _service(cloud: str, i: int, count: int) -> list[str]:
    p, team = _prefix(cloud), i // TEAM
    registry = {"aws": "aws-images", "azure": "az-acr", "gcp": "gcp-images"}.get(cloud)
    image = (
        f'{{registry: {registry}, repository: team{team}/{p}{i}, tag: "1.0.{i}"}}'
        if registry
        else f'{{registry: ghcr.io, repository: example/{p}{i}, tag: "1.0.{i}"}}'
    )
    lines = [
        f"  {p}{i}:",
        f"    platform: {PLATFORM[cloud]}",
        f"    image: {image}",
        "    port: 8080",
        "    replicas: 2",
        "    cpu: 0.5",
        "    memory: 1024",
        "    health: {path: /healthz}",
        "    metrics: {path: /metrics}",
        "    env: {LOG_LEVEL: info}",
    ]
    if cloud == "aws":
        lines.append("    subnets: [aws-private]")
    if cloud == "azure":
        lines.append("    subnets: [az-apps]")
    if cloud == "gcp":
        lines.append("    subnets: [gcp-run]")
    if cloud in _BUCKETS:
        lines.append(f"    uses: [{{resource: {p}files{team}, access: read}}]")
    callees = [j for j in (i + 1, i + 2) if j < count and j // TEAM == team]
    if callees:
        lines.append("    calls:")
        lines += [f"      - {{service: {p}{j}, latency: 0.01}}" for j in callees]
    return lines


# The clouds that render buckets (docs/support.md): each team there reads its own.
_BUCKETS = frozenset({"aws", "azure"})


def _resources(cloud: str, count: int) -> list[str]:
    p = _prefix(cloud)
    teams = range(max(1, -(-count // TEAM)))
    if cloud == "kubernetes":
        return []
    out = {
        "aws": [
            "  aws-images: {kind: registry, cloud: aws}",
            "  aws-users: {kind: user-pool, cloud: aws}",
        ],
        "azure": ["  az-acr: {kind: registry, cloud: azure}"],
        "gcp": ["  gcp-images: {kind: registry, cloud: gcp}"],
    }[cloud]
    if cloud not in _BUCKETS:
        return out
    subnets = ", subnets: [az-data]" if cloud == "azure" else ""
    return out + [f"  {p}files{t}: {{kind: bucket, cloud: {cloud}{subnets}}}" for t in teams]


def targets_of(variant: str) -> list[str]:
    clouds = list(PLATFORM) if variant == "mixed" else [variant]
    return [*clouds, "gitops", "monitoring"]


def measure(
    argv: list[str], cwd: Path, env: dict[str, str] | None = None, *, program: bool = False
) -> tuple[float, float, float, int]:
    """(wall s, CPU s, peak RSS MiB, exit code) of one fresh `python -m blueprint` process
    (or, with `program`, of `argv` itself); CPU includes the children it waited for."""
    env = {**(env or os.environ), "PYTHONPATH": str(ROOT)}
    command = argv if program else [sys.executable, "-m", "blueprint", *argv]
    start = time.perf_counter()
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0 and not program:
        head = "".join(stderr.splitlines(keepends=True)[:3])
        sys.stderr.write(f"blueprint {' '.join(argv)} exited {proc.returncode}:\n{head}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[50, 500, 5000])
    parser.add_argument("--variants", nargs="+", choices=VARIANTS, default=list(VARIANTS))
    parser.add_argument("--keep", type=Path, help="write the synthetic blueprints here")
    args = parser.parse_args(argv)
    print(f"{'variant':<10} {'services':>8} {'target':<10} {'wall s':>7} {'cpu s':>7} {'MiB':>6}")
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for variant in args.variants:
            for size in args.sizes:
                path = folder / f"{variant}-{size}.yaml"
                path.write_text(synthetic(variant, size), encoding="utf-8")
                for target in [*targets_of(variant), "all"]:
                    out = folder / f"out-{variant}-{size}-{target}"
                    shutil.rmtree(out, ignore_errors=True)
                    only = [] if target == "all" else ["--only", target]
                    wall, cpu, rss, code = measure(
                        ["render", str(path), "--out", str(out), *only], folder
                    )
                    failed = failed or code != 0
                    print(
                        f"{variant:<10} {size:>8} {target:<10} {wall:>7.2f} {cpu:>7.2f} "
                        f"{rss:>6.0f}{'' if code == 0 else f'  exit {code}'}",
                        flush=True,
                    )
                    shutil.rmtree(out, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
