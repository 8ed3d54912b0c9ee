"""How the AWS render scales: synthetic all-Fargate blueprints of N services.

    python benchmarks/aws_render_scaling.py [--sizes 250 1000] [--repeat 1]

Each service calls the next two in its team of ten and has a health check; a public
application load balancer per team forwards 443 to the team's first service. It times, in
process, `generators.aws` rendering Terraform and CloudFormation from a validated blueprint
(validation excluded), and apart from it the plan alone, the best of `--repeat` runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEAM = 10


def synthetic(services: int) -> dict[str, Any]:
    svcs: dict[str, Any] = {}
    for i in range(services):
        callees = [j for j in (i + 1, i + 2) if j < services and j // TEAM == i // TEAM]
        svcs[f"s{i}"] = {
            "platform": "aws-fargate",
            "image": {"registry": "ghcr.io", "repository": f"bench/s{i}", "tag": "1"},
            "port": 8000 + i % 100,
            "subnets": ["app-a"],
            "health": {"path": "/healthz"},
            "calls": [{"service": f"s{j}"} for j in callees],
        }
    subnets = {
        "pub-a": {"cidr": "10.1.0.0/24", "public": True},
        "pub-b": {"cidr": "10.1.1.0/24", "zone": "b", "public": True},
        "app-a": {"cidr": "10.1.16.0/20"},
    }
    return {
        "name": f"aws-{services}",
        "platforms": {"aws": {"region": "eu-west-1", "formats": ["terraform", "cloudformation"]}},
        "networks": {"main": {"cidr": "10.1.0.0/16", "subnets": subnets, "nat": "pub-a"}},
        "ingress": {
            f"lb{t}": {
                "kind": "load-balancer",
                "type": "application",
                "internal": False,
                "subnets": ["pub-a", "pub-b"],
                "forwards": {443: f"s{t * TEAM}"},
            }
            for t in range(max(1, services // TEAM))
        },
        "services": svcs,
    }


def render_seconds(services: int, repeat: int) -> tuple[float, float]:
    """(whole render, plan only) in seconds."""
    from blueprint.model import Blueprint
    from blueprint.view import SystemView
    from generators import RenderContext
    from generators.aws import GENERATOR
    from generators.aws.plan import build_plan

    bp = Blueprint.model_validate(synthetic(services))
    whole = plan = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        GENERATOR.render(RenderContext(blueprint=bp))
        whole = min(whole, time.perf_counter() - start)
        start = time.perf_counter()
        build_plan(SystemView.of(bp))
        plan = min(plan, time.perf_counter() - start)
    return whole, plan


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 1000])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    for n in args.sizes:
        whole, plan = render_seconds(n, args.repeat)
        print(f"{n:>6} services: render {whole:6.2f} s, plan {plan:6.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
