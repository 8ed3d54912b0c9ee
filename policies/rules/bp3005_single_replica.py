"""BP3005: a service behind a load balancer with fewer than two replicas."""

from __future__ import annotations

from collections.abc import Iterator

from policies.context import Context
from policies.graph import short
from policies.rules.base import Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    g = ctx.graph
    for service in ctx.nodes("service"):
        lbs = sorted(
            i
            for i in ctx.forwarders.get(service, ())
            if g.nodes[i].get("ingress_kind") == "load-balancer"
        )
        if not lbs:
            continue
        spec = g.nodes[service]["spec"]
        minimum = spec.scaling.min if spec.scaling is not None else spec.replicas
        if minimum >= 2:
            continue
        field = "scaling.min" if spec.scaling is not None else "replicas"
        yield Hit(
            service,
            f"service {short(service)} runs {minimum} replica(s) ({field}) behind load "
            f"balancer {short(lbs[0])}; run at least 2 so one failure or deploy does not "
            "take it down",
            (lbs[0], service),
            (*service.split("."), "scaling" if spec.scaling is not None else "replicas"),
        )


RULE = Rule(
    id="BP3005",
    name="single-replica",
    title="Fewer than two replicas behind a load balancer",
    severity="warning",
    rationale=(
        "A load balancer exists to spread load and route around failures; with one replica "
        "every crash, node drain or deploy is an outage."
    ),
    fix="Set replicas (or scaling.min) to 2 or more.",
    check=check,
)
