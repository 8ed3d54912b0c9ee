"""Networks: VPCs, subnets, their route tables and flow logs."""

from __future__ import annotations

from blueprint.model import Cloud
from blueprint.model import Network as NetworkSpec
from generators.aws import actions
from generators.aws.errors import UnsupportedBlueprintError
from generators.aws.naming import cfn_id, physical, tf_label
from generators.aws.plan.records import Named, Network, PolicyDoc, Role, Statement, Subnet
from generators.aws.plan.state import PlanState
from generators.aws.values import arn, value


def plan_networks(st: PlanState) -> None:
    for net_name in st.view.networks_in(Cloud.AWS):
        net = st.bp.networks[net_name]
        subnets: list[Subnet] = []
        for sub_name, sub in sorted(net.subnets.items()):
            subnet = Subnet(
                id=Named(tf_label(sub_name), cfn_id(sub_name, "subnet"), sub_name),
                network=net_name,
                cidr=sub.cidr,
                az=f"{st.region}{sub.zone}",
                zone=sub.zone,
                public=sub.public,
                egress=net.subnet_egress(sub_name),
            )
            subnets.append(subnet)
            st.subnets[sub_name] = subnet
        nat = st.subnets[net.nat] if net.nat else None
        _check_routes(net_name, net, subnets, nat)
        flow_log_group = Named(
            tf_label(net_name, "flow_logs"),
            cfn_id(net_name, "flow", "logs"),
            f"/vpc/{st.bp.name}/{net_name}",
        )
        flow_role = _flow_log_role(st, net_name, flow_log_group)
        st.system.roles.append(flow_role)
        st.system.networks.append(
            Network(
                id=Named(tf_label(net_name), cfn_id(net_name, "vpc"), net_name),
                key=net_name,
                cidr=net.cidr,
                subnets=tuple(subnets),
                internet_gateway=net.has_internet_gateway(),
                nat_subnet=nat,
                flow_log_group=flow_log_group,
                flow_log_role=flow_role,
            )
        )


def _check_routes(
    net_name: str, net: NetworkSpec, subnets: list[Subnet], nat: Subnet | None
) -> None:
    """Every route a subnet needs has a gateway to go to."""
    if nat is not None and not net.has_internet_gateway():
        raise UnsupportedBlueprintError(
            f"network {net_name}: a NAT gateway needs an internet gateway"
        )
    if any(s.egress == "nat" for s in subnets) and nat is None:
        raise UnsupportedBlueprintError(
            f"network {net_name}: a subnet routes through NAT but the network has none"
        )
    if any(s.egress == "internet" for s in subnets) and not net.has_internet_gateway():
        raise UnsupportedBlueprintError(
            f"network {net_name}: a subnet routes to the internet but there is no gateway"
        )


def _flow_log_role(st: PlanState, net_name: str, flow_log_group: Named) -> Role:
    flow_arn = arn("logs", f"log-group:{flow_log_group.name}")
    return Role(
        id=Named(
            tf_label(net_name, "flow_logs"),
            cfn_id(net_name, "flow", "logs", "role"),
            physical(st.bp.name, net_name, "flow-logs", limit=64),
        ),
        purpose="flow-logs",
        trust_service="vpc-flow-logs.amazonaws.com",
        policy=PolicyDoc(
            (
                Statement("DescribeLogGroups", ("logs:DescribeLogGroups",), ("*",)),
                Statement("DescribeLogStreams", ("logs:DescribeLogStreams",), (flow_arn,)),
                Statement(
                    "WriteFlowLogs",
                    actions.EXECUTION_LOGS.actions,
                    (value(flow_arn, ":log-stream:*"),),
                ),
            )
        ),
    )
