"""BP4002: a service without a health check or a metrics endpoint."""

from __future__ import annotations

from collections.abc import Iterator

from policies.context import Context
from policies.rules.base import Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    for name, svc in sorted(ctx.bp.services.items()):
        missing = [
            what
            for what, value in (("a health check", svc.health), ("a metrics endpoint", svc.metrics))
            if value is None
        ]
        if missing:
            yield Hit(
                f"services.{name}",
                f"service {name} has no {' and no '.join(m.removeprefix('a ') for m in missing)}; "
                "declare health: {path: ...} and metrics: {path: /metrics}",
                (f"services.{name}",),
            )


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  kubernetes: {namespace: demo}
services:
  web: {platform: kubernetes}
""",
    good="""\
name: demo
platforms:
  kubernetes: {namespace: demo}
services:
  web:
    platform: kubernetes
    health: {path: /healthz}
    metrics: {path: /metrics}
""",
)


RULE = Rule(
    id="BP4002",
    name="health-and-metrics",
    title="Service without a health check or metrics endpoint",
    severity="warning",
    rationale=(
        "Without a health check the platform routes traffic to broken replicas and never "
        "restarts them; without metrics nobody sees the latency and errors the other rules "
        "reason about."
    ),
    fix="Declare health: {path: /healthz} and metrics: {path: /metrics} on the service.",
    check=check,
    example=EXAMPLE,
    controls=("nist-800-53:SI-4",),
)
