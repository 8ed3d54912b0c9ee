"""BP2003: private subnets reach the internet only through a NAT in a public subnet."""

from __future__ import annotations

from collections.abc import Iterator

from policies.context import Context
from policies.rules.base import Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    for net_name, net in ctx.bp.networks.items():
        nat_subject = f"networks.{net_name}.nat"
        if net.nat is not None and net.nat in net.subnets:
            if not net.subnets[net.nat].public:
                yield Hit(
                    nat_subject,
                    f"the NAT of network {net_name} sits in private subnet {net.nat} "
                    f"({net.subnets[net.nat].cidr}); a NAT must be in a public subnet",
                    (nat_subject, f"networks.{net_name}.subnets.{net.nat}"),
                )
            if not net.has_internet_gateway():
                yield Hit(
                    nat_subject,
                    f"network {net_name} has a NAT but no internet gateway, so the NAT "
                    "reaches nothing",
                    (nat_subject, f"networks.{net_name}"),
                )
        for sub_name, sub in net.subnets.items():
            if sub.public:
                continue
            subject = f"networks.{net_name}.subnets.{sub_name}"
            egress = net.subnet_egress(sub_name)
            if egress == "internet":
                yield Hit(
                    subject,
                    f"private subnet {sub_name} ({sub.cidr}) routes to the internet gateway "
                    "directly (egress: internet); route it through a NAT in a public subnet",
                    (subject, f"networks.{net_name}.internet_gateway"),
                    (*subject.split("."), "egress"),
                )
            elif egress == "nat" and net.nat is None:
                yield Hit(
                    subject,
                    f"private subnet {sub_name} ({sub.cidr}) has egress: nat but network "
                    f"{net_name} declares no nat",
                    (subject, f"networks.{net_name}"),
                    (*subject.split("."), "egress"),
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
      private-a: {cidr: 10.0.0.0/19, egress: internet}
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
""",
)


RULE = Rule(
    id="BP2003",
    name="private-egress",
    title="Private subnet reaching the internet other than through a NAT in a public subnet",
    severity="error",
    rationale=(
        "A private subnet with a direct route to the internet gateway is a public subnet in "
        "all but name; a NAT in a private subnet, or a NAT without an internet gateway, "
        "leaves the subnet without the egress it was designed to have."
    ),
    fix=(
        "Set the private subnet's egress to nat (or none), put the network's nat in a public "
        "subnet, and keep the internet gateway."
    ),
    check=check,
    example=EXAMPLE,
    controls=("nist-800-53:SC-7",),
    reads_graph=False,
)
