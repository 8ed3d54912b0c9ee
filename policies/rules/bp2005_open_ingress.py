"""BP2005: traffic admitted from anywhere (0.0.0.0/0, ::/0) beyond 80/443 of an entry point."""

from __future__ import annotations

from collections.abc import Iterator

from blueprint.model import FirewallRule, parse_cidr
from policies.context import Context
from policies.rules.base import Example, Hit, Rule

WEB_PORTS = frozenset({80, 443})
PORT_NAMES = {22: "SSH", 3389: "RDP", 5432: "PostgreSQL", 3306: "MySQL", 6379: "Redis"}


def check(ctx: Context) -> Iterator[Hit]:
    bp = ctx.bp
    holders: list[tuple[str, bool, tuple[FirewallRule, ...]]] = [
        (f"ingress.{n}", i.public, i.allow_from) for n, i in bp.ingress.items()
    ]
    holders += [(f"services.{n}", False, s.allow_from) for n, s in bp.services.items()]
    for subject, entry_point, rules in holders:
        for i, rule in enumerate(rules):
            if parse_cidr(rule.cidr).prefixlen != 0:
                continue
            bad = [p for p in rule.ports if not (entry_point and p in WEB_PORTS)]
            if not bad:
                continue
            ports = ", ".join(f"{p} ({PORT_NAMES[p]})" if p in PORT_NAMES else str(p) for p in bad)
            where = (
                "a public entry point may admit the world on 80 and 443 only"
                if entry_point
                else f"{subject.split('.')[1]} is not a public entry point"
            )
            yield Hit(
                subject,
                f"admits {rule.cidr} on {rule.protocol} port(s) {ports}; {where}",
                (subject, rule.cidr, *(str(p) for p in bad)),
                (*subject.split("."), "allow_from", i),
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
ingress:
  lb:
    kind: load-balancer
    internal: false
    subnets: [public-a]
    forwards: {443: web}
    allow_from: [{cidr: 0.0.0.0/0, ports: [443, 22]}]
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
ingress:
  lb:
    kind: load-balancer
    internal: false
    subnets: [public-a]
    forwards: {443: web}
    allow_from: [{cidr: 0.0.0.0/0, ports: [443]}]
""",
)


RULE = Rule(
    id="BP2005",
    name="open-ingress",
    title="Open to 0.0.0.0/0 or ::/0 beyond 80/443 of a public entry point",
    severity="error",
    rationale=(
        "Admitting the whole internet is right only for the web ports of a public entry "
        "point. Anything else open to 0.0.0.0/0 or ::/0 (SSH, databases, an internal load "
        "balancer) is scanned within minutes (the seed's load balancer open to ::/0 and SSH "
        "open to 0.0.0.0/0)."
    ),
    fix=(
        "Narrow the CIDR to the networks that need it, use a bastion or session manager "
        "instead of SSH, and keep the world on 80/443 of a public ingress."
    ),
    check=check,
    example=EXAMPLE,
    controls=("cis-aws:5.1", "cis-aws:5.2", "cis-aws:5.3", "nist-800-53:SC-7"),
)
