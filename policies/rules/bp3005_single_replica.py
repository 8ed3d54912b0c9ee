"""BP3005: a service behind a load balancer with fewer than two replicas."""

from __future__ import annotations

from collections.abc import Iterator

from policies.context import Context
from policies.graph import short
from policies.rules.base import Example, Hit, Rule
from policies.rules.bp3006_public_scaled_to_zero import serves_the_internet

INGRESS_LABEL = {
    "load-balancer": "load balancer",
    "http": "HTTP ingress",
    "api-gateway": "API gateway",
}


def check(ctx: Context) -> Iterator[Hit]:
    g = ctx.graph
    for service in ctx.nodes("service"):
        # Every kind of ingress spreads requests over the replicas behind it: a load balancer,
        # a Kubernetes Ingress or Container Apps ingress, an API gateway.
        fronts = sorted(ctx.forwarders.get(service, ()))
        spec = g.nodes[service]["spec"]
        balanced = spec.expose.type == "load-balancer"  # a Kubernetes LoadBalancer service
        if not fronts and not balanced:
            continue
        minimum = spec.scaling.min if spec.scaling is not None else spec.replicas
        if minimum >= 2 or scaled_to_nothing_in_public(ctx, service):
            continue
        field = "scaling.min" if spec.scaling is not None else "replicas"
        evidence: tuple[str, ...]
        if fronts:
            kind = INGRESS_LABEL.get(str(g.nodes[fronts[0]].get("ingress_kind")), "ingress")
            behind, evidence = f"{kind} {short(fronts[0])}", (fronts[0], service)
        else:
            behind, evidence = "its Kubernetes LoadBalancer service", (service,)
        yield Hit(
            service,
            f"service {short(service)} runs {minimum} replica(s) ({field}) behind {behind}; "
            "run at least 2 so one failure or deploy does not take it down",
            evidence,
            (*service.split("."), "scaling" if spec.scaling is not None else "replicas"),
        )


def scaled_to_nothing_in_public(ctx: Context, service: str) -> bool:
    """BP3006's case (replicas: 0 on a public service), reported there rather than twice."""
    spec = ctx.graph.nodes[service]["spec"]
    return (
        spec.scaling is None
        and spec.replicas == 0
        and serves_the_internet(ctx.view, short(service))
    )


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  kubernetes: {namespace: demo}
services:
  web: {platform: kubernetes, replicas: 1}
ingress:
  site:
    kind: http
    host: shop.example.com
    routes: {/: web}
""",
    good="""\
name: demo
platforms:
  kubernetes: {namespace: demo}
services:
  web: {platform: kubernetes, replicas: 2}
ingress:
  site:
    kind: http
    host: shop.example.com
    routes: {/: web}
""",
)


RULE = Rule(
    id="BP3005",
    name="single-replica",
    title="Fewer than two replicas behind a load balancer or other ingress",
    severity="warning",
    rationale=(
        "A load balancer, Kubernetes Ingress, Container Apps ingress or API gateway exists to "
        "spread load and route around failures; with one replica "
        "every crash, node drain or deploy is an outage."
    ),
    fix="Set replicas (or scaling.min) to 2 or more.",
    check=check,
    example=EXAMPLE,
)
