"""BP3002: services that call each other in a cycle."""

from __future__ import annotations

from collections.abc import Iterator

from policies.context import Context
from policies.graph import short
from policies.rules.base import Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    for cycle in ctx.cycles:
        yield Hit(
            cycle[0],
            f"call cycle {' -> '.join(short(n) for n in cycle)}",
            cycle,
            (*cycle[0].split("."), "calls"),
        )


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  kubernetes: {namespace: demo}
services:
  orders: {platform: kubernetes, calls: [{service: billing}]}
  billing: {platform: kubernetes, calls: [{service: orders}]}
""",
    good="""\
name: demo
platforms:
  kubernetes: {namespace: demo}
services:
  orders: {platform: kubernetes, calls: [{service: billing}]}
  billing: {platform: kubernetes}
""",
)


RULE = Rule(
    id="BP3002",
    name="call-cycle",
    title="Call cycle",
    severity="error",
    rationale=(
        "A request that can come back to a service it passed through has no bounded latency, "
        "can deadlock on connection pools and amplifies retries into outages."
    ),
    fix="Break the cycle: move the shared logic into a service both call, or use a queue.",
    check=check,
    example=EXAMPLE,
)
