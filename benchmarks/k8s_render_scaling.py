"""How the Kubernetes render scales: synthetic all-Kubernetes blueprints of N services.

    python benchmarks/k8s_render_scaling.py [--sizes 250 1000 2000] [--repeat 1]

Each service calls the next two in its team of ten, every fifth service is exposed on a
NodePort and every service has health and metrics endpoints; an HTTP ingress routes to the
first of each team. It times, in-process, `generators.kubernetes` rendering every file from a
loaded blueprint (load time excluded), and apart from it the derivation alone (every release's
values: network policies, probes, ports; no YAML dumping), the best of `--repeat` runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEAM = 10
DIGEST = "sha256:" + "a" * 64


def synthetic(services: int) -> str:
    out = [
        f"name: k8s-{services}",
        "platforms:",
        "  kubernetes: {namespace: bench}",
        "ingress:",
        "  web:",
        "    kind: http",
        "    routes:",
    ]
    out += [f"      /t{t}: s{t * TEAM}" for t in range(max(1, services // TEAM))]
    out.append("services:")
    for i in range(services):
        team = i // TEAM
        callees = [j for j in (i + 1, i + 2) if j < services and j // TEAM == team]
        out += [
            f"  s{i}:",
            "    platform: kubernetes",
            f"    image: {{registry: ghcr.io, repository: bench/s{i}, "
            f'tag: "1", digest: "{DIGEST}"}}',
            f"    port: {8000 + i % 100}",
            "    health: {path: /healthz}",
            "    metrics: {path: /metrics, port: 9100}",
        ]
        if i % 5 == 4:
            out.append("    expose: {type: node-port}")
        if callees:
            out.append("    calls: [" + ", ".join(f"{{service: s{j}}}" for j in callees) + "]")
    return "\n".join(out) + "\n"


def render_seconds(services: int, repeat: int) -> tuple[float, float]:
    """(whole render, values only) in seconds."""
    from blueprint.loader import load_source, source_from_bytes
    from generators import RenderContext
    from generators.kubernetes import GENERATOR, values

    loaded = load_source(source_from_bytes(synthetic(services).encode(), "blueprint.yaml"))
    best, best_values = float("inf"), float("inf")
    for _ in range(repeat):
        ctx = RenderContext(blueprint=loaded.blueprint)
        start = time.perf_counter()
        for name in values.kubernetes_workloads(ctx.view):
            values.release_values(ctx.view, name)
        best_values = min(best_values, time.perf_counter() - start)
        start = time.perf_counter()
        files = GENERATOR.render(RenderContext(blueprint=loaded.blueprint))
        best = min(best, time.perf_counter() - start)
        assert len(files) >= services
    return best, best_values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 1000, 2000])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    print(f"{'services':>9} {'render s':>9} {'values s':>9}")
    for size in args.sizes:
        whole, derived = render_seconds(size, args.repeat)
        print(f"{size:>9} {whole:>9.2f} {derived:>9.2f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
