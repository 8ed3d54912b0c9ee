"""BP3006: a public service with replicas: 0 (and no autoscaling to bring it back)."""

from __future__ import annotations

from collections.abc import Iterator

from blueprint.view import SystemView
from policies.context import Context
from policies.rules.base import Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    bp, view = ctx.bp, ctx.view
    for name, svc in sorted(bp.services.items()):
        if svc.replicas != 0 or svc.scaling is not None:
            continue
        if not serves_the_internet(view, name):
            continue
        public = view.is_public(name)
        fronts = [i for i in view.ingress_to(name) if bp.ingress[i].public]
        if fronts:
            how = f"public ingress {fronts[0]} routes to it"
        elif public:
            how = "a public ingress reaches it through other ingress"
        else:
            how = f"it is exposed as a Kubernetes {svc.expose.type} service"
        evidence = (f"ingress.{fronts[0]}",) if fronts else ()
        yield Hit(
            f"services.{name}",
            f"service {name} runs 0 replicas but {how}: every request fails; set replicas to "
            "2 or more, or scaling: {min: 0, max: N} to scale from zero on demand",
            (*evidence, f"services.{name}"),
            ("services", name, "replicas"),
        )


def serves_the_internet(view: SystemView, service: str) -> bool:
    """Whether a public ingress reaches the service, or it is a NodePort/LoadBalancer."""
    return view.is_public(service) or view.blueprint.services[service].expose.type != "cluster-ip"


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  kubernetes: {namespace: demo}
services:
  web: {platform: kubernetes, replicas: 0}
ingress:
  site: {kind: http, host: shop.example.com, routes: {/: web}}
""",
    good="""\
name: demo
platforms:
  kubernetes: {namespace: demo}
services:
  web: {platform: kubernetes, replicas: 2}
ingress:
  site: {kind: http, host: shop.example.com, routes: {/: web}}
""",
)


RULE = Rule(
    id="BP3006",
    name="public-service-without-replicas",
    title="Public service with zero replicas",
    severity="warning",
    rationale=(
        "A public entry point in front of a service that runs no replica answers every "
        "request with an error; replicas: 0 left from a maintenance window or an environment "
        "overlay is an outage nobody declared. Scaling from zero on demand (scaling.min: 0) "
        "is a different, deliberate choice and is not reported."
    ),
    fix="Set replicas to 2 or more, or declare scaling: {min: 0, max: N}.",
    check=check,
    example=EXAMPLE,
)
