"""How `blueprint check` scales: synthetic blueprints of 10 to 5,000 services.

    python benchmarks/check_scaling.py [--sizes 10 100 1000 5000] [--keep DIR]

For each size it writes a blueprint with proportional networks (one per 100 services, ten
subnets each), resources (a bucket, a database and a queue per team of ten services), calls
(each service calls the next two of its team), a topic job per team, ingress, scopes, humans
and service principals; then prints the wall time and peak memory (RSS of the child, from
resource.getrusage) of `python -m blueprint check`, and the same check timed in-process
without start-up: load, graph, rules, and check (graph + rules + waivers + positions, from
scratch); in-proc = load + check, wall and CPU (CPU is steadier on a busy machine).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEAM = 10
PER_NETWORK = 100


def synthetic(services: int) -> str:
    teams = max(1, services // TEAM)
    networks = max(1, services // PER_NETWORK)
    out = [
        f"name: synthetic-{services}",
        "platforms:",
        "  aws: {region: eu-west-2}",
        "  kubernetes: {namespace: workers}",
        "networks:",
    ]
    for n in range(networks):
        out += [
            f"  net{n}:",
            f"    cidr: 10.{n}.0.0/16",
            "    nat: pub0-" + str(n),
            "    subnets:",
            f"      pub0-{n}: {{cidr: 10.{n}.0.0/20, public: true}}",
            f"      pub1-{n}: {{cidr: 10.{n}.16.0/20, public: true, zone: b}}",
        ]
        out += [f"      priv{k}-{n}: {{cidr: 10.{n}.{32 + 16 * k}.0/20}}" for k in range(8)]
    out.append("ingress:")
    for n in range(networks):
        team_ids = [t for t in range(teams) if t * TEAM * networks // max(services, 1) == n]
        team_ids = team_ids or [min(n, teams - 1)]
        out += [
            f"  api{n}:",
            "    kind: api-gateway",
            "    auth: {kind: jwt, issuer: users}",
            "    latency_budget: 1.0",
            "    routes:",
            f'      "ANY /{{proxy+}}": lb{n}',
            f"  lb{n}:",
            "    kind: load-balancer",
            "    type: network",
            f"    subnets: [priv0-{n}]",
            "    forwards:",
        ]
        out += [f"      {8000 + i}: s{t * TEAM}" for i, t in enumerate(team_ids)]
    out.append("services:")
    for i in range(services):
        team, net = i // TEAM, i * networks // services
        out += [
            f"  s{i}:",
            "    platform: aws-fargate",
            f'    image: {{registry: images, repository: team{team}/s{i}, tag: "1.0.{i}"}}',
            "    port: 8080",
            "    replicas: 2",
            f"    subnets: [priv{1 + i % 7}-{net}]",
            "    health: {path: /healthz}",
            "    metrics: {path: /metrics}",
            "    env: {LOG_LEVEL: info}",
            "    uses:",
            f"      - {{resource: files{team}, access: read}}",
            f"      - {{resource: db{team}, access: write}}",
            f"      - {{resource: q{team}, access: publish}}",
        ]
        callees = [j for j in (i + 1, i + 2) if j < services and j // TEAM == team]
        if callees:
            out.append("    calls:")
            out += [f"      - {{service: s{j}, latency: 0.01}}" for j in callees]
    out.append("jobs:")
    for t in range(teams):
        out += [
            f"  job{t}:",
            # Queue workers and their databases live in a cluster: AWS renders neither yet.
            "    platform: kubernetes",
            f'    image: {{registry: ghcr.io, repository: team{t}/job, tag: "1.0.0"}}',
            f"    trigger: {{topic: q{t}}}",
            "    retry: {attempts: 3}",
            "    uses:",
            f"      - {{resource: q{t}, access: subscribe}}",
            f"      - {{resource: db{t}, access: write}}",
            f"    writes: [{{resource: db{t}}}]",
        ]
    out += [
        "resources:",
        "  images: {kind: registry}",
        "  users: {kind: user-pool}",
        "  ecs: {kind: cluster}",
    ]
    for t in range(teams):
        net = t * TEAM * networks // services
        out += [
            f"  files{t}: {{kind: bucket}}",
            f"  db{t}: {{kind: database, cloud: kubernetes}}",
            f"  q{t}: {{kind: queue}}",
        ]
    out += ["identity:", "  scopes:"]
    for t in range(teams):
        out += [
            f"    team{t}:",
            f"      grants: [{{resource: files{t}, access: read}}, "
            f"{{resource: db{t}, access: read}}]",
        ]
    out += [
        "    deployers:",
        "      grants: [{resource: images, access: push}]",
        "  principals:",
        "    root: {kind: root, console: true, mfa: true}",
    ]
    for t in range(teams):
        out.append(f"    dev{t}: {{kind: human, scopes: [team{t}], console: true, mfa: true}}")
    for i in range(0, services, TEAM):
        team = i // TEAM
        out += [
            f"    s{i}-role:",
            "      kind: service",
            f"      workload: s{i}",
            f"      grants: [{{resource: files{team}, access: read}}, "
            f"{{resource: db{team}, access: write}}, {{resource: q{team}, access: publish}}]",
        ]
    return "\n".join(out) + "\n"


def child(path: Path) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MiB, exit code) of `python -m blueprint check path`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "blueprint", "check", str(path), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr.decode())
    # ru_maxrss of children is the largest child so far (KiB on Linux); the sizes grow, so the
    # latest child is the largest.
    return wall, max(peak, before) / 1024, proc.returncode


def in_process(path: Path) -> dict[str, float]:
    """Seconds (wall, and CPU for load + check) of each step, in this process."""
    sys.path.insert(0, str(ROOT))
    from blueprint.gc_pause import paused_gc
    from blueprint.loader import load
    from policies.context import Context
    from policies.engine import run_checks
    from policies.graph import build_graph
    from policies.registry import CHECKS

    times: dict[str, float] = {}
    with paused_gc():  # as `blueprint check` runs
        cpu, wall = time.process_time(), time.perf_counter()
        loaded = load(path)
        times["load"] = time.perf_counter() - wall
        load_cpu = time.process_time() - cpu
        wall = time.perf_counter()
        graph = build_graph(loaded.blueprint)
        times["graph"] = time.perf_counter() - wall
        wall = time.perf_counter()
        ctx = Context(loaded.blueprint, graph)
        for rule in CHECKS:
            list(rule.check(ctx))
        times["rules"] = time.perf_counter() - wall
        cpu, wall = time.process_time(), time.perf_counter()
        findings = run_checks(loaded)  # graph, rules, waivers, positions, order: from scratch
        times["check"] = time.perf_counter() - wall
        times["cpu"] = load_cpu + time.process_time() - cpu
    times["total"] = times["load"] + times["check"]
    times["findings"] = float(len(findings))
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[10, 100, 1000, 5000])
    parser.add_argument("--keep", type=Path, help="write the synthetic blueprints here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        header = (
            f"{'services':>8} {'lines':>7} {'cli wall s':>10} {'cli peak MiB':>12} "
            f"{'load s':>7} {'graph s':>7} {'rules s':>7} {'check s':>7} {'in-proc s':>9} "
            f"{'cpu s':>6} {'findings':>8}"
        )
        print(header)
        for size in args.sizes:
            path = folder / f"synthetic-{size}.yaml"
            text = synthetic(size)
            path.write_text(text, encoding="utf-8")
            wall, peak, _code = child(path)
            t = in_process(path)
            print(
                f"{size:>8} {text.count(chr(10)):>7} {wall:>10.2f} {peak:>12.0f} "
                f"{t['load']:>7.2f} {t['graph']:>7.2f} {t['rules']:>7.2f} "
                f"{t['check']:>7.2f} {t['total']:>9.2f} {t['cpu']:>6.2f} "
                f"{int(t['findings']):>8}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
