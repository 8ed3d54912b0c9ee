"""Networks in CloudFormation: VPC, flow logs, subnets, gateways, route tables."""

from __future__ import annotations

from generators.aws.cloudformation.template import Template, cfn, get_att, ref, tags
from generators.aws.naming import cfn_id
from generators.aws.plan.records import Network
from generators.aws.values import REGION, value


def render_networks(t: Template) -> None:
    for n in t.s.networks:
        _network(t, n)


def _network(t: Template, n: Network) -> None:
    vpc = n.id.cfn
    t.add(
        vpc,
        "AWS::EC2::VPC",
        {
            "CidrBlock": n.cidr,
            "EnableDnsHostnames": True,
            "EnableDnsSupport": True,
            "Tags": tags(Name=f"{t.s.name}-{n.key}"),
        },
    )
    t.log_group(n.flow_log_group)
    t.add(
        cfn_id(vpc, "flow", "log"),
        "AWS::EC2::FlowLog",
        {
            "ResourceId": ref(vpc),
            "ResourceType": "VPC",
            "TrafficType": "ALL",
            "LogDestinationType": "cloud-watch-logs",
            "LogGroupName": ref(n.flow_log_group),
            "DeliverLogsPermissionArn": get_att(n.flow_log_role.id, "Arn"),
        },
    )
    for sub in n.subnets:
        t.add(
            sub.id.cfn,
            "AWS::EC2::Subnet",
            {
                "VpcId": ref(vpc),
                "CidrBlock": sub.cidr,
                # The zone in whatever region the stack is deployed to (cfn-lint W3010).
                "AvailabilityZone": cfn(value(REGION, sub.zone)),
                "MapPublicIpOnLaunch": False,
                "Tags": tags(
                    Name=f"{t.s.name}-{sub.id.name}",
                    Tier="public" if sub.public else "private",
                ),
            },
        )
    _gateways(t, n)
    _route_tables(t, n)
    t.output(cfn_id(vpc, "id"), f"VPC of network {n.key}", ref(vpc))


def _gateways(t: Template, n: Network) -> None:
    vpc = n.id.cfn
    igw = cfn_id(vpc, "internet", "gateway")
    attachment = cfn_id(vpc, "gateway", "attachment")
    if n.internet_gateway:
        t.add(igw, "AWS::EC2::InternetGateway", {})
        t.add(
            attachment,
            "AWS::EC2::VPCGatewayAttachment",
            {"VpcId": ref(vpc), "InternetGatewayId": ref(igw)},
        )
    if n.nat_subnet is not None:
        t.add(
            cfn_id(vpc, "nat", "eip"),
            "AWS::EC2::EIP",
            {"Domain": "vpc"},
            depends_on=[attachment],
        )
        t.add(
            cfn_id(vpc, "nat"),
            "AWS::EC2::NatGateway",
            {
                "AllocationId": get_att(cfn_id(vpc, "nat", "eip"), "AllocationId"),
                "SubnetId": ref(n.nat_subnet.id),
            },
        )


def _route_tables(t: Template, n: Network) -> None:
    vpc = n.id.cfn
    for egress, subnets in n.route_tables():
        table = cfn_id(vpc, egress, "routes")
        t.add(
            table,
            "AWS::EC2::RouteTable",
            {"VpcId": ref(vpc), "Tags": tags(Name=f"{t.s.name}-{n.key}-{egress}")},
        )
        if egress == "internet":
            t.add(
                cfn_id(table, "default"),
                "AWS::EC2::Route",
                {
                    "RouteTableId": ref(table),
                    "DestinationCidrBlock": "0.0.0.0/0",
                    "GatewayId": ref(cfn_id(vpc, "internet", "gateway")),
                },
                depends_on=[cfn_id(vpc, "gateway", "attachment")],
            )
        elif egress == "nat":
            t.add(
                cfn_id(table, "default"),
                "AWS::EC2::Route",
                {
                    "RouteTableId": ref(table),
                    "DestinationCidrBlock": "0.0.0.0/0",
                    "NatGatewayId": ref(cfn_id(vpc, "nat")),
                },
            )
        for sub in subnets:
            t.add(
                cfn_id(sub.id.cfn, "routes"),
                "AWS::EC2::SubnetRouteTableAssociation",
                {"SubnetId": ref(sub.id), "RouteTableId": ref(table)},
            )
