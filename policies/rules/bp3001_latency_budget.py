"""BP3001: the critical path of calls exceeds the latency budget."""

from __future__ import annotations

from collections.abc import Iterator

from policies.context import Context
from policies.graph import short
from policies.queries import chain_nodes, chain_terms, chain_text
from policies.rules.base import Example, Hit, Rule, fmt_seconds


def check(ctx: Context) -> Iterator[Hit]:
    g = ctx.graph
    for node in ctx.nodes("service", "ingress"):
        budget = g.nodes[node].get("budget")
        latency = ctx.latencies.get(node)
        if budget is None or latency is None or latency.total <= budget:
            continue
        sum_text = fmt_seconds(latency.total)
        terms = chain_terms(ctx.latencies, node)
        if isinstance(terms, int):
            sum_text += f" ({terms} calls)"
        elif len(terms) > 1:
            sum_text = " + ".join(f"{t:g}" for t in terms) + f" = {sum_text}"
        yield Hit(
            node,
            f"critical path {chain_text(ctx.latencies, node)} takes {sum_text}, over the "
            f"{fmt_seconds(float(budget))} latency budget of {short(node)}",
            chain_nodes(ctx.latencies, node),
            (*node.split("."), "latency_budget"),
        )


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  kubernetes: {namespace: demo}
services:
  app:
    platform: kubernetes
    latency_budget: 1.0
    calls: [{service: search, latency: 0.5}, {service: ranking, latency: 0.75}]
  search: {platform: kubernetes}
  ranking: {platform: kubernetes}
""",
    good="""\
name: demo
platforms:
  kubernetes: {namespace: demo}
services:
  app:
    platform: kubernetes
    latency_budget: 1.0
    calls:
      - {service: search, latency: 0.5, parallel: true}
      - {service: ranking, latency: 0.75, parallel: true}
  search: {platform: kubernetes}
  ranking: {platform: kubernetes}
""",
)


RULE = Rule(
    id="BP3001",
    name="latency-budget",
    title="Critical path of calls over the latency budget",
    severity="warning",
    rationale=(
        "A request waits for every sequential call below it: the critical path (sequential "
        "calls summed, the slowest of the parallel ones) is the least time the request takes. "
        "When it exceeds the budget the requirement cannot be met, whatever the code does "
        "(the seed's app -> api -> location, sensor, predict: 0.5 + 2 + 4 = 6.5 s against "
        "2 s). A warning by default so that a design under discussion still renders; make it "
        "an error per environment with policy.severity."
    ),
    fix=(
        "Make independent calls parallel (parallel: true), cache or precompute slow ones, or "
        "revise the budget with whoever owns the requirement."
    ),
    check=check,
    example=EXAMPLE,
)
