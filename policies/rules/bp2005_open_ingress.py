"""BP2005: traffic admitted from anywhere (0.0.0.0/0, ::/0) beyond 80/443 of an entry point."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from ipaddress import IPv4Network, IPv6Network, collapse_addresses, ip_network

from blueprint.model import FirewallRule, LoadBalancer, Service, parse_cidr
from policies.context import Context
from policies.rules.base import Example, Hit, Rule

WEB_PORTS = frozenset({80, 443})
PORT_NAMES = {
    22: "SSH",
    23: "Telnet",
    3389: "RDP",
    5432: "PostgreSQL",
    3306: "MySQL",
    1433: "SQL Server",
    6379: "Redis",
    27017: "MongoDB",
    9200: "Elasticsearch",
}
WORLD = {4: ip_network("0.0.0.0/0"), 6: ip_network("::/0")}


@dataclass(frozen=True)
class Holder:
    """Something that admits traffic from outside: its rules, and what it is."""

    subject: str
    entry_point: bool  # a public ingress, which may admit the world on 80 and 443
    rules: tuple[FirewallRule, ...]
    forwards: dict[int, str]  # port -> the service behind it (load balancers)
    declared: frozenset[int] = frozenset()  # further ports reviewed as entry-point ports


def port_text(ports: list[int]) -> str:
    return ", ".join(f"{p} ({PORT_NAMES[p]})" if p in PORT_NAMES else str(p) for p in ports)


def holders(ctx: Context) -> list[Holder]:
    """The ingresses and services with allow_from rules (the others admit nothing of their
    own: most of 5,000 services)."""
    bp = ctx.bp
    out: list[Holder] = []
    for n, i in bp.ingress.items():
        if not i.allow_from:
            continue
        if isinstance(i, LoadBalancer):
            forwards = {p: f"services.{s}" for p, s in i.forwards.items()}
            declared = frozenset(i.entry_point.ports if i.entry_point else ())
            out.append(Holder(f"ingress.{n}", i.public, i.allow_from, forwards, declared))
        else:
            out.append(Holder(f"ingress.{n}", i.public, i.allow_from, {}))
    for n, svc in bp.services.items():
        if not svc.allow_from:
            continue
        entry = svc.expose.entry_point
        declared = frozenset(entry.ports) if entry is not None else frozenset()
        out.append(Holder(f"services.{n}", entry is not None, svc.allow_from, {}, declared))
    return out


def check(ctx: Context) -> Iterator[Hit]:
    for holder in holders(ctx):
        yield from _explicit(holder)
    yield from _implicit(ctx)


def _where(holder: Holder) -> str:
    if holder.entry_point:
        ports = [str(p) for p in sorted(WEB_PORTS | holder.declared)]
        listed = f"{', '.join(ports[:-1])} and {ports[-1]}"
        return f"a public entry point may admit the world on {listed} only"
    return f"{holder.subject.split('.')[1]} is not a public entry point"


def _bad_ports(holder: Holder, ports: tuple[int, ...]) -> list[int]:
    allowed = WEB_PORTS | holder.declared if holder.entry_point else frozenset()
    return [p for p in ports if p not in allowed]


def _behind(holder: Holder, ports: list[int]) -> tuple[str, ...]:
    """The services a load balancer forwards these ports to: what the world really reaches."""
    return tuple(dict.fromkeys(holder.forwards[p] for p in ports if p in holder.forwards))


def _explicit(holder: Holder) -> Iterator[Hit]:
    subject = holder.subject
    for i, rule in enumerate(holder.rules):
        if parse_cidr(rule.cidr).prefixlen != 0:
            continue
        bad = _bad_ports(holder, rule.ports)
        if bad:
            yield Hit(
                subject,
                f"admits {rule.cidr} on {rule.protocol} port(s) {port_text(bad)}; {_where(holder)}",
                (subject, rule.cidr, *(str(p) for p in bad), *_behind(holder, bad)),
                (*subject.split("."), "allow_from", i),
            )
    yield from _covering(holder)


def _covering(holder: Holder) -> Iterator[Hit]:
    """Ranges that together cover the world (0.0.0.0/1 + 128.0.0.0/1) admit it as surely as
    0.0.0.0/0 does."""
    by_port: dict[tuple[str, int, int], list[int]] = {}
    for i, rule in enumerate(holder.rules):
        cidr = parse_cidr(rule.cidr)
        if cidr.prefixlen == 0:
            continue
        for port in rule.ports:
            by_port.setdefault((rule.protocol, cidr.version, port), []).append(i)
    grouped: dict[tuple[str, int, tuple[int, ...]], list[int]] = {}
    for (protocol, version, port), indexes in sorted(by_port.items()):
        if _covers_world([parse_cidr(holder.rules[i].cidr) for i in indexes], version):
            grouped.setdefault((protocol, version, tuple(indexes)), []).append(port)
    for (protocol, version, rule_indexes), ports in grouped.items():
        bad = _bad_ports(holder, tuple(ports))
        if not bad:
            continue
        cidrs = [holder.rules[i].cidr for i in rule_indexes]
        subject = holder.subject
        yield Hit(
            subject,
            f"admits {' + '.join(cidrs)}, together all of {WORLD[version]}, on {protocol} "
            f"port(s) {port_text(bad)}; {_where(holder)}",
            (subject, *cidrs, *(str(p) for p in bad), *_behind(holder, bad)),
            (*subject.split("."), "allow_from", rule_indexes[0]),
        )


def _covers_world(cidrs: list[IPv4Network | IPv6Network], version: int) -> bool:
    if version == 4:
        v4 = [c for c in cidrs if isinstance(c, IPv4Network)]
        return list(collapse_addresses(v4)) == [WORLD[4]]
    v6 = [c for c in cidrs if isinstance(c, IPv6Network)]
    return list(collapse_addresses(v6)) == [WORLD[6]]


def _implicit(ctx: Context) -> Iterator[Hit]:
    """A Kubernetes NodePort or LoadBalancer service without allow_from admits anyone (no
    loadBalancerSourceRanges, an open NetworkPolicy rule). A reviewed entry point (expose.
    entry_point) is BP2007's to judge."""
    for name, svc in sorted(ctx.bp.services.items()):
        expose = svc.expose
        if expose.type == "cluster-ip" or svc.allow_from or expose.entry_point is not None:
            continue
        ports = [p for p in exposed_ports(svc) if p not in WEB_PORTS]
        if not ports:
            continue
        subject = f"services.{name}"
        yield Hit(
            subject,
            f"service {name} is exposed as a Kubernetes {expose.type} service with no "
            f"allow_from, so it admits 0.0.0.0/0 on tcp port(s) {port_text(ports)}; declare "
            "the sources in allow_from, or review it as an entry point (expose.entry_point)",
            (subject, "0.0.0.0/0", *(str(p) for p in ports)),
            ("services", name, "expose"),
        )


def exposed_ports(svc: Service) -> list[int]:
    """The ports a NodePort or LoadBalancer service opens: its Service port, and the node port
    (validation refuses exposing a service without a port)."""
    ports = [svc.service_port or svc.required_port]
    if svc.expose.type == "node-port" and svc.expose.node_port is not None:
        ports.append(svc.expose.node_port)
    return ports


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
        "open to 0.0.0.0/0). Ranges that together cover the world (0.0.0.0/1 + 128.0.0.0/1) "
        "count as the world, and so does a Kubernetes NodePort or LoadBalancer service without "
        "allow_from; the evidence names the service behind a load balancer's port."
    ),
    fix=(
        "Narrow the CIDR to the networks that need it, use a bastion or session manager "
        "instead of SSH, and keep the world on 80/443 of a public ingress; declare a reviewed "
        "Kubernetes exposure with expose.entry_point."
    ),
    check=check,
    example=EXAMPLE,
    controls=("cis-aws:5.1", "cis-aws:5.2", "cis-aws:5.3", "nist-800-53:SC-7"),
    reads_graph=False,
)
