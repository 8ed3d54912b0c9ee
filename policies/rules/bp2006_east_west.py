"""BP2006: a service admitting internal traffic from workloads that declare no call to it."""

from __future__ import annotations

from collections.abc import Iterator

from blueprint.model import parse_cidr
from policies.context import Context
from policies.graph import short
from policies.rules.base import Example, Hit, Rule

SHOWN = 5


def check(ctx: Context) -> Iterator[Hit]:
    g = ctx.graph
    subnets = [(n, parse_cidr(str(g.nodes[n]["cidr"]))) for n in ctx.nodes("subnet")]
    for service in ctx.nodes("service"):
        spec = g.nodes[service]["spec"]
        if not spec.allow_from:
            continue
        allowed = ctx.callers.get(service, set()) | {service}
        for i, rule in enumerate(spec.allow_from):
            cidr = parse_cidr(rule.cidr)
            if cidr.prefixlen == 0:
                continue  # BP2005 reports the world
            admitted: set[str] = set()
            for subnet, sub_cidr in subnets:
                if sub_cidr.version != cidr.version or not sub_cidr.overlaps(cidr):
                    continue
                for member in ctx.subnet_members.get(subnet, ()):
                    if g.nodes[member].get("kind") in ("service", "job"):
                        admitted.add(member)
            strangers = sorted(admitted - allowed)
            if not strangers:
                continue
            names = ", ".join(short(s) for s in strangers[:SHOWN])
            if len(strangers) > SHOWN:
                names += f" and {len(strangers) - SHOWN} more"
            yield Hit(
                service,
                f"admits {rule.cidr} on port(s) {', '.join(map(str, rule.ports))}, which lets "
                f"in {len(strangers)} workload(s) that declare no call to {short(service)}: "
                f"{names}",
                (service, rule.cidr, *strangers),
                (*service.split("."), "allow_from", i),
            )


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  aws: {region: eu-west-2}
networks:
  main:
    cidr: 10.0.0.0/16
    nat: public-a
    subnets:
      public-a: {cidr: 10.0.64.0/19, public: true}
      private-a: {cidr: 10.0.0.0/19}
services:
  web:
    platform: aws-fargate
    replicas: 2
    subnets: [private-a]
  api:
    platform: aws-fargate
    subnets: [private-a]
    allow_from: [{cidr: 10.0.0.0/16, ports: [8080]}]
""",
    good="""\
name: demo
platforms:
  aws: {region: eu-west-2}
networks:
  main:
    cidr: 10.0.0.0/16
    nat: public-a
    subnets:
      public-a: {cidr: 10.0.64.0/19, public: true}
      private-a: {cidr: 10.0.0.0/19}
services:
  web:
    platform: aws-fargate
    replicas: 2
    subnets: [private-a]
    calls: [{service: api}]
  api:
    platform: aws-fargate
    subnets: [private-a]
    allow_from: [{cidr: 10.0.0.0/19, ports: [8080]}]
""",
)


RULE = Rule(
    id="BP2006",
    name="east-west",
    title="Service admits internal traffic beyond its declared callers",
    severity="error",
    rationale=(
        "Inside the network a service should accept connections only from the workloads "
        "that declare a call to it (generators derive security groups and network policies "
        "from the calls). An allow_from range that also covers other workloads lets a "
        "compromised neighbour move sideways."
    ),
    fix=(
        "Remove the allow_from range and declare the calls instead, or narrow the range to "
        "the callers' subnets."
    ),
    check=check,
    example=EXAMPLE,
    controls=("cis-kubernetes:5.3.2", "nist-800-53:AC-4", "nist-800-53:SC-7"),
)
