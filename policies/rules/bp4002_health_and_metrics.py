"""BP4002: a service without a health check or a metrics endpoint."""

from __future__ import annotations

from collections.abc import Iterator

from policies.context import Context
from policies.rules.base import Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    for name, svc in sorted(ctx.bp.services.items()):
        # Any kind of health check counts (http, grpc, tcp, exec). A service without a port
        # cannot be scraped, so it is asked for a health check only.
        wanted: list[tuple[str, object]] = [("a health check", svc.health)]
        if svc.port is not None:
            wanted.append(("a metrics endpoint", svc.metrics))
        missing = [what for what, value in wanted if value is None]
        if missing:
            yield Hit(
                f"services.{name}",
                f"service {name} has no {' and no '.join(m.removeprefix('a ') for m in missing)}; "
                "declare health: {path: ...} (or kind grpc, tcp or exec) and metrics: "
                "{path: /metrics}",
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
    fix=(
        "Declare health: {path: /healthz} (or {kind: grpc}, {kind: tcp}, {kind: exec, command: "
        "[...]}) and metrics: {path: /metrics} on the service."
    ),
    check=check,
    example=EXAMPLE,
    controls=("nist-800-53:SI-4",),
    reads_graph=False,
)
