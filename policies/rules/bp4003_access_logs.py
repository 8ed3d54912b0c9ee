"""BP4003: a public entry point with its access logs turned off."""

from __future__ import annotations

from collections.abc import Iterator

from blueprint.model import ApiGateway
from policies.context import Context
from policies.rules.base import Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    # Only API gateways say whether they log (access_logs); load balancers and HTTP ingress
    # have no such switch in the blueprint, so there is nothing to check there.
    for name, ingress in sorted(ctx.bp.ingress.items()):
        if isinstance(ingress, ApiGateway) and ingress.public and not ingress.access_logs:
            subject = f"ingress.{name}"
            yield Hit(
                subject,
                f"public API gateway {name} has access_logs: false; requests from the "
                "internet leave no record of who called what",
                (subject,),
                ("ingress", name, "access_logs"),
            )


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  aws: {region: eu-west-2}
services:
  api: {platform: aws-fargate, replicas: 2}
ingress:
  public-api:
    kind: api-gateway
    routes: {ANY /orders: api}
    access_logs: false
""",
    good="""\
name: demo
platforms:
  aws: {region: eu-west-2}
services:
  api: {platform: aws-fargate, replicas: 2}
ingress:
  public-api:
    kind: api-gateway
    routes: {ANY /orders: api}
""",
)


RULE = Rule(
    id="BP4003",
    name="access-logs-off",
    title="Public entry point without access logs",
    severity="warning",
    rationale=(
        "The access log of a public entry point is the only record of what the internet "
        "asked for: without it an incident cannot be scoped, abuse cannot be traced to a "
        "client, and the latency the other rules reason about cannot be checked."
    ),
    fix="Remove access_logs: false (access logs are on by default).",
    check=check,
    example=EXAMPLE,
    controls=("nist-800-53:AU-2", "nist-800-53:AU-12"),
    reads_graph=False,
)
