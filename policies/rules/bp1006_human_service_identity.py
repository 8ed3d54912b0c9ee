"""BP1006: a human who can act as a service's identity."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from policies.context import Context
from policies.graph import out_edges, short
from policies.rules.base import Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    g = ctx.graph
    for principal in ctx.nodes("principal"):
        if g.nodes[principal].get("principal_kind") != "human":
            continue
        for path in assumable(ctx, principal):
            other = path[-1]
            data = g.nodes[other]
            if data.get("principal_kind") != "service":
                continue
            through = f" through {', '.join(short(n) for n in path[1:-1])}" if len(path) > 2 else ""
            yield Hit(
                principal,
                f"human {short(principal)} can assume service identity {short(other)} (the "
                f"identity of {data.get('workload')}){through}; people should not act as a "
                "workload",
                path,
            )


def assumable(ctx: Context, start: str) -> list[tuple[str, ...]]:
    """Every principal `start` can become by a chain of can_assume, with the shortest chain,
    sorted by target (an automation role that can assume a service identity passes it on)."""
    paths: dict[str, tuple[str, ...]] = {start: (start,)}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in sorted(v for v, _ in out_edges(ctx.graph, node, "can-assume")):
            if nxt not in paths:
                paths[nxt] = (*paths[node], nxt)
                queue.append(nxt)
    return [paths[n] for n in sorted(paths) if n != start]


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  aws: {region: eu-west-2}
services:
  web: {platform: aws-fargate}
identity:
  principals:
    web-role: {kind: service, workload: web}
    leo: {kind: human, can_assume: [web-role]}
""",
    good="""\
name: demo
platforms:
  aws: {region: eu-west-2}
services:
  web: {platform: aws-fargate}
identity:
  principals:
    web-role: {kind: service, workload: web}
    leo: {kind: human}
""",
)


RULE = Rule(
    id="BP1006",
    name="human-holds-service-identity",
    title="Human can assume a service's identity",
    severity="error",
    rationale=(
        "A person acting as a workload's identity bypasses the review of both: actions show "
        "up as the service in audit logs, and the person gains whatever the service holds."
    ),
    fix=(
        "Remove the service principal from can_assume; grant the person what they need "
        "through a scope, or use a break-glass role with its own audit trail."
    ),
    check=check,
    example=EXAMPLE,
    controls=("nist-800-53:AC-2", "nist-800-53:AC-6"),
)
