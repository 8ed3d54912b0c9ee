"""BP2007: a public entry point serving a port that is not HTTP(S), unless reviewed."""

from __future__ import annotations

from collections.abc import Iterator

from blueprint.model import LoadBalancer
from policies.context import Context
from policies.rules.base import Example, Hit, Rule
from policies.rules.bp2005_open_ingress import WEB_PORTS, exposed_ports, port_text


def check(ctx: Context) -> Iterator[Hit]:
    bp = ctx.bp
    for name, ingress in sorted(bp.ingress.items()):
        if not isinstance(ingress, LoadBalancer) or not ingress.public:
            continue
        declared = set(ingress.entry_point.ports) if ingress.entry_point else set()
        for port, target in sorted(ingress.forwards.items()):
            if port in WEB_PORTS or port in declared:
                continue
            subject = f"ingress.{name}"
            yield Hit(
                subject,
                f"public load balancer {name} serves port {port_text([port])} to the internet "
                f"and forwards it to service {target}; an entry point serves HTTP(S) on 80 and "
                "443 unless entry_point.ports declares the port as reviewed",
                (subject, str(port), f"services.{target}"),
                ("ingress", name, "forwards", port),
            )
    for name, svc in sorted(bp.services.items()):
        entry = svc.expose.entry_point
        if entry is None:
            continue
        ports = [p for p in exposed_ports(svc) if p not in WEB_PORTS and p not in entry.ports]
        if ports:
            subject = f"services.{name}"
            yield Hit(
                subject,
                f"service {name} is a reviewed entry point for port(s) "
                f"{', '.join(map(str, entry.ports))} but its Kubernetes {svc.expose.type} "
                f"service also serves tcp port(s) {port_text(ports)} to the internet; declare "
                "them in entry_point.ports or stop exposing them",
                (subject, *(str(p) for p in ports)),
                ("services", name, "expose", "entry_point", "ports"),
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
      public-a: {cidr: 10.0.64.0/19, public: true}
      private-a: {cidr: 10.0.0.0/19}
services:
  pgbouncer: {platform: aws-fargate, port: 5432, replicas: 2, subnets: [private-a]}
ingress:
  db-proxy:
    kind: load-balancer
    type: network
    internal: false
    subnets: [public-a]
    forwards: {5432: pgbouncer}
""",
    good="""\
name: demo
platforms:
  aws: {region: eu-west-2}
networks:
  main:
    cidr: 10.0.0.0/16
    subnets:
      public-a: {cidr: 10.0.64.0/19, public: true}
      private-a: {cidr: 10.0.0.0/19}
services:
  pgbouncer: {platform: aws-fargate, port: 5432, replicas: 2, subnets: [private-a]}
ingress:
  db-proxy:
    kind: load-balancer
    type: network
    internal: false
    subnets: [public-a]
    forwards: {5432: pgbouncer}
    allow_from: [{cidr: 203.0.113.0/24, ports: [5432]}]
    entry_point: {ports: [5432], reason: partner ETL reads through PgBouncer (SEC-142)}
""",
)


RULE = Rule(
    id="BP2007",
    name="entry-point-ports",
    title="Public entry point serving a port that is not HTTP(S)",
    severity="error",
    rationale=(
        "A public entry point exists to serve the web: TLS, authentication and rate limits "
        "live there for HTTP(S). A database, SSH or broker port forwarded from the internet "
        "(a public load balancer in front of PostgreSQL on 5432) skips all of that; if it is "
        "meant, it is a decision someone reviewed, and the blueprint records it."
    ),
    fix=(
        "Make the load balancer internal or stop forwarding the port; if the port is meant to "
        "be public, declare it: entry_point: {ports: [5432], reason: ...} (and narrow "
        "allow_from)."
    ),
    check=check,
    example=EXAMPLE,
    controls=("cis-aws:5.2", "nist-800-53:SC-7"),
    reads_graph=False,
)
