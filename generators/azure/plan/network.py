"""Networks: virtual networks and subnets (with their NSGs and delegations), private
endpoints with their DNS zones, and whether each resource keeps a public endpoint."""

from __future__ import annotations

from blueprint.model import Cloud, Platform, Service
from blueprint.subjects import ingress_id, service_id
from generators.azure.naming import local_name, symbol
from generators.azure.plan import checkov
from generators.azure.plan.constants import APP_DELEGATION, PRIVATE_LINK, relational
from generators.azure.plan.records import (
    Access,
    DnsZone,
    NetworkPlan,
    PrivateEndpoint,
    SubnetPlan,
)
from generators.azure.plan.state import AzurePlanError, PlanState


def delegated_subnets(st: PlanState) -> dict[str, str]:
    """Subnet -> the workload platform it is delegated to (one environment or Flex app)."""
    delegated: dict[str, str] = {}
    for name, w in st.workloads.items():
        for subnet in w.subnets[:1]:
            delegated.setdefault(subnet, name)
    for name, r in st.resources.items():
        for subnet in r.subnets:
            if subnet in st.db_delegated and not relational(r):
                raise AzurePlanError(
                    f"resource {name!r} puts a private endpoint in subnet {subnet!r}, which "
                    f"is delegated to {st.db_delegated[subnet]}; declare a separate subnet for "
                    "private endpoints"
                )
            if subnet in delegated:
                raise AzurePlanError(
                    f"resource {name!r} puts a private endpoint in subnet {subnet!r}, which "
                    f"is delegated to {APP_DELEGATION} for workload {delegated[subnet]!r}; "
                    "declare a separate subnet for private endpoints"
                )
    return delegated


def plan_networks(st: PlanState) -> None:
    used = set(st.delegated) | set(st.db_delegated)
    for r in st.resources.values():
        used.update(r.subnets)
    public_env_subnets = _public_environment_sources(st)
    azure_networks = set(st.view.networks_in(Cloud.AZURE))
    for net_name, net in st.bp.networks.items():
        if net_name not in azure_networks:
            continue
        subnets = tuple(
            SubnetPlan(
                symbol=symbol("snet", s_name),
                name=s_name,
                cidr=s.cidr,
                delegation=APP_DELEGATION
                if s_name in st.delegated
                else st.db_delegated.get(s_name),
                nsg_symbol=symbol("nsg", s_name),
                nsg_name=local_name("nsg", s_name, 80),
                https_sources=public_env_subnets.get(s_name, ()),
            )
            for s_name, s in net.subnets.items()
        )
        st.plan.networks.append(
            NetworkPlan(
                symbol("vnet", net_name), local_name("vnet", net_name, 64), net.cidr, subnets
            )
        )


def _public_environment_sources(st: PlanState) -> dict[str, tuple[str, ...]]:
    sources: dict[str, tuple[str, ...]] = {}
    for name, w in st.workloads.items():
        if (
            isinstance(w, Service)
            and w.platform is Platform.AZURE_CONTAINER_APPS
            and w.subnets
            and st.view.is_public(name)
        ):
            allowed = ip_allow(st, name) or ("Internet",)
            merged = tuple(sorted(set(sources.get(w.subnets[0], ())) | set(allowed)))
            sources[w.subnets[0]] = merged
    return sources


def ip_allow(st: PlanState, name: str) -> tuple[str, ...]:
    """The sources a public Container App admits: the union of the view's exposures of the app
    and of the ingress in front of it (the app is that ingress on Azure); () when any of them
    admits everyone, as Container Apps then takes no restriction list."""
    cidrs: set[str] = set()
    exposures = [e for i in st.view.ingress_to(name) for e in st.view.exposures_of(ingress_id(i))]
    exposures += st.view.exposures_of(service_id(name))
    for e in exposures:
        if e.open_to_anyone:
            return ()
        cidrs.update(e.sources)
    return tuple(sorted(cidrs))


def subnet_symbol(st: PlanState, subnet: str) -> str:
    if st.view.subnet_network(subnet) is None:
        raise AzurePlanError(f"subnet {subnet!r} is in no network")
    return symbol("snet", subnet)


def endpoint_access(
    st: PlanState,
    resource_symbol: str,
    kind: str,
    subnets: tuple[str, ...],
    what: str,
    trusted_services: bool = False,
) -> Access:
    if not subnets:
        return Access(private=False, skips=checkov.public_endpoint_skips(kind, what))
    subnet = subnets[0]
    group, zone = PRIVATE_LINK[kind]
    zone_symbol = private_zone(st, zone)
    st.plan.private_endpoints.append(
        PrivateEndpoint(
            symbol=symbol("pe", resource_symbol, group.lower()),
            name=local_name("pe", f"{resource_symbol.replace('_', '-')}-{group.lower()}", 80),
            subnet_symbol=subnet_symbol(st, subnet),
            target_symbol=resource_symbol,
            group_id=group,
            zone_symbol=zone_symbol,
        )
    )
    return Access(private=True, trusted_services=trusted_services)


def private_zone(st: PlanState, zone: str) -> str:
    """The symbol of a private DNS zone, declared once and linked to every VNet."""
    if zone not in st.zone_symbols:
        st.zone_symbols[zone] = symbol("dns", zone.replace(".", "_"))
    return st.zone_symbols[zone]


def plan_dns_zones(st: PlanState) -> None:
    for zone, zone_symbol in sorted(st.zone_symbols.items()):
        links = tuple((symbol(zone_symbol, n.symbol), n.name, n.symbol) for n in st.plan.networks)
        st.plan.dns_zones.append(DnsZone(zone_symbol, zone, links))


def storage_access(
    st: PlanState,
    sym: str,
    subnets: tuple[str, ...],
    what: str,
    *,
    with_queues: bool,
    trusted_services: bool,
) -> Access:
    blob = endpoint_access(
        st, sym, "blob", subnets, f"the storage account holding {what}", trusted_services
    )
    if blob.private and with_queues:
        endpoint_access(st, sym, "queue", subnets, what, trusted_services)
    if blob.private and trusted_services:
        return Access(True, True, (checkov.EVENT_GRID_PUBLIC_ENDPOINT,))
    return blob
