"""BP2001: subnets inside their network and not overlapping, also across peered networks."""

from __future__ import annotations

from collections.abc import Iterator
from ipaddress import IPv4Network, IPv6Network

from blueprint.model import parse_cidr
from policies.context import Context
from policies.rules.base import Example, Hit, Rule

Net = IPv4Network | IPv6Network


def overlaps(items: list[tuple[Net, str]]) -> Iterator[tuple[str, Net, str, Net]]:
    """(later, its cidr, earlier, its cidr) for each range overlapping an earlier one, in one
    sorted sweep (not pair-wise): a range overlaps the widest-reaching range before it."""
    ordered = sorted(
        items,
        key=lambda i: (i[0].version, int(i[0].network_address), -int(i[0].num_addresses), i[1]),
    )
    reach: tuple[int, int, Net, str] | None = None  # (version, last address, cidr, name)
    for cidr, name in ordered:
        first = int(cidr.network_address)
        last = int(cidr.broadcast_address)
        if reach is not None and reach[0] == cidr.version and first <= reach[1]:
            yield name, cidr, reach[3], reach[2]
        if reach is None or reach[0] != cidr.version or last > reach[1]:
            reach = (cidr.version, last, cidr, name)


def check(ctx: Context) -> Iterator[Hit]:
    bp = ctx.bp
    for net_name, net in bp.networks.items():
        net_cidr = parse_cidr(net.cidr)
        subnets: list[tuple[Net, str]] = []
        for sub_name, sub in net.subnets.items():
            cidr = parse_cidr(sub.cidr)
            subnets.append((cidr, sub_name))
            if cidr.version != net_cidr.version or not cidr.subnet_of(net_cidr):  # type: ignore[arg-type]  # versions checked first
                subject = f"networks.{net_name}.subnets.{sub_name}"
                yield Hit(
                    subject,
                    f"{sub.cidr} is outside its network's {net.cidr} (network {net_name})",
                    (subject, f"networks.{net_name}"),
                    (*subject.split("."), "cidr"),
                )
        for later, cidr, earlier, other in overlaps(subnets):
            subject = f"networks.{net_name}.subnets.{later}"
            yield Hit(
                subject,
                f"{cidr} overlaps {other} (subnet {earlier})",
                (subject, f"networks.{net_name}.subnets.{earlier}"),
                (*subject.split("."), "cidr"),
            )
    seen: set[tuple[str, str]] = set()
    for net_name, net in sorted(bp.networks.items()):
        for peer in net.peers:
            pair = (min(net_name, peer), max(net_name, peer))
            if peer not in bp.networks or pair in seen:
                continue
            seen.add(pair)
            a, b = parse_cidr(net.cidr), parse_cidr(bp.networks[peer].cidr)
            if a.version == b.version and a.overlaps(b):
                subject = f"networks.{net_name}"
                yield Hit(
                    subject,
                    f"{net.cidr} overlaps {bp.networks[peer].cidr} (network {peer}), which it "
                    "peers with; peered address spaces must be disjoint",
                    (subject, f"networks.{peer}"),
                    ("networks", net_name, "peers"),
                )


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  aws: {region: eu-west-2}
networks:
  a:
    cidr: 10.0.0.0/16
    peers: [b]
    subnets: {a1: {cidr: 10.0.0.0/24}}
  b:
    cidr: 10.0.0.0/8
    subnets: {b1: {cidr: 10.1.0.0/24}}
""",
    good="""\
name: demo
platforms:
  aws: {region: eu-west-2}
networks:
  a:
    cidr: 10.0.0.0/16
    peers: [b]
    subnets: {a1: {cidr: 10.0.0.0/24}}
  b:
    cidr: 10.1.0.0/16
    subnets: {b1: {cidr: 10.1.0.0/24}}
""",
)


RULE = Rule(
    id="BP2001",
    name="subnet-cidr",
    title="Subnet outside its network or overlapping another (also across peering)",
    severity="error",
    rationale=(
        "Overlapping ranges make routes ambiguous: traffic for the overlap goes to one side "
        "only, and peering between overlapping networks is refused by every cloud."
    ),
    fix="Give each subnet a range inside its network, disjoint from the others and from peers.",
    check=check,
    example=EXAMPLE,
    controls=("cis-aws:5.5", "nist-800-53:SC-7"),
    reads_graph=False,
)
