"""BP3007: a production system whose workloads and datastores all sit in one zone."""

from __future__ import annotations

from collections.abc import Iterator

from policies.context import Context
from policies.rules._environments import production_environments
from policies.rules.base import Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    bp = ctx.bp
    prod = production_environments(bp)
    if not prod:
        return
    placed = {s for w in bp.workloads().values() for s in w.subnets}
    placed |= {s for r in bp.resources.values() for s in r.subnets}
    for net_name, net in sorted(bp.networks.items()):
        used = sorted(s for s in net.subnets if s in placed)
        if not used:
            continue
        zones = sorted({net.subnets[s].zone for s in used})
        if len(zones) > 1:
            continue
        subject = f"networks.{net_name}"
        yield Hit(
            subject,
            f"network {net_name} places every workload and datastore in zone {zones[0]} "
            f"(subnets {', '.join(used)}), and environment {prod[0]} runs on it: one zone "
            "outage stops the system; add subnets in a second zone and place workloads in both",
            (subject, *(f"{subject}.subnets.{s}" for s in used)),
        )


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  aws: {region: eu-west-2}
networks:
  main:
    cidr: 10.0.0.0/16
    subnets:
      private-a: {cidr: 10.0.0.0/19, zone: a}
services:
  web: {platform: aws-fargate, replicas: 2, subnets: [private-a]}
environments:
  prod: {}
""",
    good="""\
name: demo
platforms:
  aws: {region: eu-west-2}
networks:
  main:
    cidr: 10.0.0.0/16
    subnets:
      private-a: {cidr: 10.0.0.0/19, zone: a}
      private-b: {cidr: 10.0.32.0/19, zone: b}
services:
  web: {platform: aws-fargate, replicas: 2, subnets: [private-a, private-b]}
environments:
  prod: {}
""",
)


RULE = Rule(
    id="BP3007",
    name="single-zone-production",
    title="Production system in a single zone",
    severity="warning",
    rationale=(
        "A zone is the unit a cloud loses at once (power, network, a bad deploy of the "
        "provider's own). A system with a production environment whose workloads and "
        "datastores all sit in subnets of one zone goes down with it, whatever its replica "
        "count. The rule applies when an environment named prod, production or prd (or "
        "prod-*) is declared."
    ),
    fix="Add subnets in a second zone (zone: b) and place each workload and datastore in both.",
    check=check,
    example=EXAMPLE,
    controls=("nist-800-53:CP-10", "nist-800-53:SC-36"),
    reads_graph=False,
)
