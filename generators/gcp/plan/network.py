"""Networks: VPCs with their subnetworks, and each service's direct VPC egress."""

from __future__ import annotations

from blueprint.model import Cloud, Service
from blueprint.view import SystemView
from generators.gcp.plan.records import Subnetwork, VpcEgress, VpcNetwork


def vpc_egress(view: SystemView, svc: Service) -> VpcEgress | None:
    if not svc.subnets:
        return None
    # Direct VPC egress takes one network interface; the loader already checked that all the
    # service's subnets belong to one network.
    subnet = svc.subnets[0]
    network = view.subnet_network(subnet)
    if network is None:
        raise ValueError(f"subnet {subnet!r} is in no network")
    egress = view.blueprint.networks[network].subnet_egress(subnet)
    # "internet": only private ranges go through the VPC, the rest leaves Cloud Run directly.
    # "nat" and "none": everything goes through the VPC, so its Cloud NAT (or the absence of
    # one) decides whether the internet is reachable.
    return VpcEgress(
        network=network,
        subnet=subnet,
        egress="private-ranges-only" if egress == "internet" else "all-traffic",
    )


def networks(view: SystemView) -> tuple[VpcNetwork, ...]:
    return tuple(_network(view, name) for name in view.networks_in(Cloud.GCP))


def _network(view: SystemView, name: str) -> VpcNetwork:
    net = view.blueprint.networks[name]
    return VpcNetwork(
        name=name,
        subnets=tuple(
            Subnetwork(sub, s.cidr, net.subnet_egress(sub) == "nat")
            for sub, s in sorted(net.subnets.items())
        ),
    )
