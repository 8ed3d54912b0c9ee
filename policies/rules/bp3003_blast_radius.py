"""BP3003: which workloads stop when a datastore or broker fails."""

from __future__ import annotations

from collections.abc import Iterator

from policies.context import Context
from policies.graph import short
from policies.rules.base import Example, Hit, Rule

SHOWN = 10


def check(ctx: Context) -> Iterator[Hit]:
    g = ctx.graph
    for node, stopped in ctx.blast.items():
        shown = sorted(short(n) for n in stopped)
        names = ", ".join(shown[:SHOWN])
        if len(stopped) > SHOWN:
            names += f" and {len(stopped) - SHOWN} more"
        kind = g.nodes[node].get("resource_kind")
        yield Hit(
            node,
            f"if {kind} {short(node)} fails, {len(stopped)} workload(s) stop: {names}",
            (node, *stopped),
        )


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  kubernetes: {namespace: demo}
services:
  front: {platform: kubernetes, calls: [{service: back}]}
  back: {platform: kubernetes, uses: [{resource: db, access: read}]}
resources:
  db: {kind: database}
""",
    good="""\
name: demo
platforms:
  kubernetes: {namespace: demo}
services:
  front: {platform: kubernetes, calls: [{service: back}]}
  back: {platform: kubernetes}
""",
)


RULE = Rule(
    id="BP3003",
    name="blast-radius",
    title="Blast radius of a datastore or broker",
    severity="note",
    rationale=(
        "Knowing what stops when a database, bucket, queue, topic, broker or secret store "
        "fails is the start of every incident plan: the workloads that use it directly, "
        "those consuming its topics, and every workload that calls one of them."
    ),
    fix="Nothing to fix; plan for it (retries, buffers, replicas). Set the rule off to hide it.",
    check=check,
    example=EXAMPLE,
)
