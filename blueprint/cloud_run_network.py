"""How Cloud Run workloads are reached and how their requests leave: each service's ingress
setting and each workload's Direct VPC egress. The gcp generator renders exactly these, and the
policy rule BP2008 reads them, so what `check` proves about a call is what is deployed.

Cloud Run's rules (https://cloud.google.com/run/docs/securing/ingress):

- ingress `all` admits the internet; `internal-and-cloud-load-balancing` admits the VPC and
  Google Cloud load balancers; `internal` the VPC only (and Pub/Sub, Eventarc, Cloud Scheduler
  and Workflows of the same project);
- a request from another Cloud Run workload counts as internal only when it leaves through
  the workload's Direct VPC egress: with egress `all-traffic`, or with `private-ranges-only`
  when `run.app` resolves to the Private Google Access addresses in the VPC (a private DNS zone
  the generator renders on every network such a caller sits on), with Private Google Access on
  the subnet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from blueprint.model import Cloud, HttpIngress, Platform, ResourceKind
from blueprint.view import SystemView

Ingress = Literal["all", "internal", "internal-and-cloud-load-balancing"]
Egress = Literal["all-traffic", "private-ranges-only"]


@dataclass(frozen=True)
class VpcPlacement:
    """The one network interface of a Cloud Run workload's Direct VPC egress."""

    network: str
    subnet: str
    egress: Egress
    declared: bool  # the workload declares its subnets; otherwise blueprint placed it
    private_run_dns: bool  # its requests to *.run.app need the private run.app zone


def behind_custom_domain(view: SystemView, ingress: str) -> bool:
    """A public http ingress with a host on GCP: a global external Application Load Balancer."""
    ing = view.blueprint.ingress.get(ingress)
    return isinstance(ing, HttpIngress) and ing.host is not None and ing.public


def run_ingress(view: SystemView, name: str) -> Ingress:
    """The ingress setting of the Cloud Run service `name`."""
    direct = view.ingress_to(name)
    if view.is_public(name):
        # Reached from the internet other than through a load balancer of its own: all.
        if any(not behind_custom_domain(view, i) for i in direct if _public_path(view, i)):
            return "all"
        return "internal-and-cloud-load-balancing"
    if direct:
        # Reached only through a load balancer or gateway the blueprint declares internal.
        return "internal-and-cloud-load-balancing"
    return "internal"


def _public_path(view: SystemView, ingress: str) -> bool:
    return view.blueprint.ingress[ingress].public or view.is_public(ingress)


def is_cloud_run_service(view: SystemView, name: str) -> bool:
    svc = view.blueprint.services.get(name)
    return svc is not None and svc.platform is Platform.CLOUD_RUN


def calls_internal_service(view: SystemView, name: str) -> bool:
    """Whether the workload calls a Cloud Run service whose ingress is not `all`."""
    return any(
        is_cloud_run_service(view, c.service) and run_ingress(view, c.service) != "all"
        for c in view.workload(name).calls
    )


def cloud_sql_databases(view: SystemView) -> tuple[str, ...]:
    """The databases rendered as Cloud SQL instances, sorted."""
    bp = view.blueprint
    return tuple(
        n for n in view.resources_in(Cloud.GCP) if bp.resources[n].kind is ResourceKind.DATABASE
    )


def is_cloud_sql(view: SystemView, resource: str) -> bool:
    res = view.blueprint.resources.get(resource)
    return (
        res is not None
        and res.kind is ResourceKind.DATABASE
        and view.resource_cloud(resource) is Cloud.GCP
    )


def cloud_sql_used_by(view: SystemView, name: str) -> tuple[str, ...]:
    """The Cloud SQL databases the workload uses or writes, sorted."""
    w = view.workload(name)
    used = {u.resource for u in w.uses} | {wr.resource for wr in getattr(w, "writes", ())}
    return tuple(sorted(r for r in used if is_cloud_sql(view, r)))


def gcp_network(view: SystemView) -> str | None:
    """The blueprint's network on GCP that Cloud SQL and placed workloads use: the first one."""
    networks = view.networks_in(Cloud.GCP)
    return networks[0] if networks else None


def database_network(view: SystemView, database: str) -> str | None:
    """The network a Cloud SQL instance gets its private IP on: that of its subnets, else the
    blueprint's network on GCP."""
    subnets = view.blueprint.resources[database].subnets
    if subnets:
        return view.subnet_network(subnets[0])
    return gcp_network(view)


def _default_subnet(view: SystemView, network: str) -> str:
    """A private subnet of the network (the first by name), else its first subnet."""
    subnets = view.blueprint.networks[network].subnets
    private = sorted(n for n, s in subnets.items() if not s.public)
    return private[0] if private else sorted(subnets)[0]


def vpc_placement(view: SystemView, name: str) -> VpcPlacement | None:
    """The Direct VPC egress of the Cloud Run workload `name`, or None without one.

    Declared subnets keep their meaning (egress `all-traffic` unless the subnet's egress is
    `internet`). A workload without subnets that calls an internal service or uses Cloud SQL is
    placed on the blueprint's GCP network with `private-ranges-only`, so its other traffic
    leaves as before.
    """
    w = view.workload(name)
    if w.platform is not Platform.CLOUD_RUN:
        return None
    internal = calls_internal_service(view, name)
    if w.subnets:
        subnet = w.subnets[0]
        network = view.subnet_network(subnet)
        if network is None:
            return None
        route = view.blueprint.networks[network].subnet_egress(subnet)
        egress: Egress = "private-ranges-only" if route == "internet" else "all-traffic"
        return VpcPlacement(
            network, subnet, egress, True, internal and egress == "private-ranges-only"
        )
    databases = cloud_sql_used_by(view, name)
    if not (internal or databases):
        return None
    network = database_network(view, databases[0]) if databases else gcp_network(view)
    if network is None:
        return None
    return VpcPlacement(
        network, _default_subnet(view, network), "private-ranges-only", False, internal
    )


def enters_vpc(view: SystemView, caller: str) -> bool:
    """Whether the Cloud Run workload's requests to *.run.app leave through its VPC."""
    placement = vpc_placement(view, caller)
    if placement is None:
        return False
    return placement.egress == "all-traffic" or placement.private_run_dns
