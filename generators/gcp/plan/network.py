"""Networks: VPCs with their subnetworks, and each workload's Direct VPC egress (decided in
blueprint.cloud_run_network, which the policy rules read too)."""

from __future__ import annotations

from blueprint.cloud_run_network import cloud_sql_databases, database_network, vpc_placement
from blueprint.model import Cloud
from blueprint.view import SystemView
from generators.gcp.plan.records import Subnetwork, VpcEgress, VpcNetwork


def vpc_egress(view: SystemView, name: str) -> VpcEgress | None:
    placement = vpc_placement(view, name)
    if placement is None:
        return None
    return VpcEgress(placement.network, placement.subnet, placement.egress)


def networks(view: SystemView) -> tuple[VpcNetwork, ...]:
    run_dns: set[str] = set()
    for name in view.workloads_in(Cloud.GCP):
        placement = vpc_placement(view, name)
        if placement is not None and placement.private_run_dns:
            run_dns.add(placement.network)
    sql = {database_network(view, db) for db in cloud_sql_databases(view)}
    return tuple(_network(view, n, n in run_dns, n in sql) for n in view.networks_in(Cloud.GCP))


def _network(view: SystemView, name: str, run_dns: bool, sql: bool) -> VpcNetwork:
    net = view.blueprint.networks[name]
    return VpcNetwork(
        name=name,
        subnets=tuple(
            Subnetwork(sub, s.cidr, net.subnet_egress(sub) == "nat")
            for sub, s in sorted(net.subnets.items())
        ),
        private_run_dns=run_dns,
        private_services=sql,
    )
