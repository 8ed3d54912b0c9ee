"""The system view: every fact derived from a validated blueprint, computed once in O(n).

The policy graph, the generators and the security diff read these facts instead of deriving
them again, so what the checks prove is what is rendered:

- `connections`: who may open a connection to whom, on which port and protocol, and why
  (a call, an ingress forward, an exposure to the internet, a health check, a metrics
  scrape, an event delivery, a workload reaching a database it uses);
- `exposures`: every way in from outside, under ONE definition (public ingress and the ports
  it listens on, Kubernetes node-port and load-balancer services, services reached by a load
  balancer outside their cluster, firewall rules, public resources, public subnets);
- resolved health and metrics ports, workloads and resources per platform and cloud, the
  infrastructure-as-code roots that exist, and each workload's and principal's grants.

Subjects are named by their ids (`blueprint.subjects`): `services.web`, `ingress.lb`,
`internet`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from functools import cached_property
from ipaddress import ip_network
from types import MappingProxyType
from typing import Any, TypeVar

from blueprint.model import (
    Blueprint,
    Call,
    Cloud,
    EventTrigger,
    FirewallRule,
    Grant,
    HttpIngress,
    Job,
    LoadBalancer,
    Platform,
    ResourceKind,
    Service,
    ingress_targets,
)
from blueprint.subjects import (
    INTERNET,
    MONITORING,
    PLATFORM,
    PRIVATE_NETWORK,
    ingress_id,
    job_id,
    resource_id,
    service_id,
    subnet_id,
)

ANYWHERE = ("0.0.0.0/0",)  # the sources of an exposure without allow_from
HTTPS_PORT = 443
HTTP_PORT = 80
# Platforms that run request-driven services behind their own HTTPS ingress.
_Ordered = TypeVar("_Ordered")
HTTPS_INGRESS_PLATFORMS = frozenset(
    {Platform.AZURE_CONTAINER_APPS, Platform.AZURE_FUNCTIONS, Platform.CLOUD_RUN}
)


class Reason(StrEnum):
    """Why a connection is allowed."""

    CALL = "call"  # a declared call between workloads
    INGRESS_FORWARD = "ingress-forward"  # an ingress forwards or routes to its target
    EXPOSURE = "exposure"  # the internet reaches an exposed entry point
    HEALTH_CHECK = "health-check"  # the platform probes the service's health endpoint
    METRICS_SCRAPE = "metrics-scrape"  # Prometheus scrapes the metrics endpoint
    EVENT_DELIVERY = "event-delivery"  # a resource delivers its events to a job
    DATA_ACCESS = "data-access"  # a workload connects to a database it uses, on its port


class ExposureKind(StrEnum):
    """The ways in from outside the system."""

    PUBLIC_INGRESS = "public-ingress"  # an ingress that is public (not internal)
    NODE_PORT = "node-port"  # a Kubernetes Service of type NodePort
    LOAD_BALANCER_SERVICE = "load-balancer-service"  # a Kubernetes Service of type LoadBalancer
    # A Kubernetes service behind a load balancer or gateway outside the cluster: the cluster
    # cannot name that source, so it admits every source on the service port.
    EXTERNAL_INGRESS = "external-ingress"
    ALLOW_FROM = "allow-from"  # a service's own firewall rules admit these sources
    PUBLIC_RESOURCE = "public-resource"  # a resource with a public endpoint
    PUBLIC_SUBNET = "public-subnet"  # a subnet routed from the internet gateway


@dataclass(frozen=True, order=True)
class Connection:
    """One allowed connection. `port` is None where the port is the platform's own (a public
    resource's endpoint, an event delivery)."""

    source: str
    destination: str
    port: int | None
    protocol: str
    reason: Reason

    @property
    def key(self) -> tuple[str, str, int | None, str]:
        """What a rendered network can show: the reason is intent, not configuration."""
        return (self.source, self.destination, self.port, self.protocol)


@dataclass(frozen=True, order=True)
class Exposure:
    """One way in from outside: `target` accepts `protocol` traffic on `port` (None: every
    port, as for a public subnet) from `sources` (CIDRs)."""

    target: str
    kind: ExposureKind
    port: int | None
    protocol: str
    sources: tuple[str, ...]

    @property
    def open_to_anyone(self) -> bool:
        return any(s in ("0.0.0.0/0", "::/0") for s in self.sources)

    @property
    def from_internet(self) -> bool:
        """Whether any admitted source is a public address (not only private ranges)."""
        return any(not ip_network(s).is_private for s in self.sources)

    @property
    def source(self) -> str:
        """The source a connection through this way in comes from."""
        return INTERNET if self.from_internet else PRIVATE_NETWORK


@dataclass(frozen=True, order=True)
class IacRoot:
    """A directory of infrastructure code a generator renders and a controller may apply."""

    cloud: Cloud
    tool: str  # terraform | cloudformation | bicep
    path: str  # relative to out/<system>/


def _frozen(d: Mapping[str, tuple[str, ...]]) -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType(dict(d))


@dataclass(frozen=True)
class SystemView:
    blueprint: Blueprint
    exposures: tuple[Exposure, ...]
    iac_roots: tuple[IacRoot, ...]
    # callee service name -> caller workload names (sorted)
    _callers: Mapping[str, tuple[str, ...]] = field(repr=False)
    # target name (service or ingress) -> ingress names forwarding to it (sorted)
    _ingress_to: Mapping[str, tuple[str, ...]] = field(repr=False)
    _public: frozenset[str] = field(repr=False)  # targets a public ingress chain reaches
    _service_principal: Mapping[str, str] = field(repr=False)
    _by_platform: Mapping[Platform, tuple[str, ...]] = field(repr=False)
    _subnet_network: Mapping[str, str] = field(repr=False)
    _exposures_by_target: Mapping[str, tuple[Exposure, ...]] = field(repr=False)

    @cached_property
    def connections(self) -> tuple[Connection, ...]:
        """Every allowed connection, sorted: built on first use, since the checks never read
        them (a third of the view's build at 5,000 services); the generators do."""
        return _connections(self.blueprint, self.exposures)

    @classmethod
    def of(cls, bp: Blueprint) -> SystemView:
        """The view of `bp`. The blueprint is frozen, so the view of the last one asked for is
        kept: the check, and each generator of a render, ask for the same one (building it
        is a second per 5,000 services)."""
        global _last_view
        if _last_view is None or _last_view.blueprint is not bp:
            _last_view = _build(bp)
        return _last_view

    # -- workloads, platforms and clouds ------------------------------------------------------

    def workload(self, name: str) -> Service | Job:
        bp = self.blueprint
        return bp.services[name] if name in bp.services else bp.jobs[name]

    def workload_id(self, name: str) -> str:
        return service_id(name) if name in self.blueprint.services else job_id(name)

    def workloads_on(self, *platforms: Platform) -> tuple[str, ...]:
        """Names of the services and jobs on these platforms, sorted."""
        names: list[str] = []
        for p in platforms:
            names.extend(self._by_platform.get(p, ()))
        return tuple(sorted(names))

    def workloads_in(self, cloud: Cloud) -> tuple[str, ...]:
        return self.workloads_on(*(p for p in Platform if p.cloud is cloud))

    def declared_clouds(self) -> tuple[Cloud, ...]:
        return self.blueprint.declared_clouds()

    def default_cloud(self) -> Cloud | None:
        return self.blueprint.default_cloud()

    def resource_cloud(self, name: str) -> Cloud | None:
        return self.blueprint.resources[name].cloud or self.default_cloud()

    def network_cloud(self, name: str) -> Cloud | None:
        return self.blueprint.networks[name].cloud or self.default_cloud()

    def resources_in(self, cloud: Cloud) -> tuple[str, ...]:
        return tuple(sorted(n for n in self.blueprint.resources if self.resource_cloud(n) is cloud))

    def networks_in(self, cloud: Cloud) -> tuple[str, ...]:
        return tuple(sorted(n for n in self.blueprint.networks if self.network_cloud(n) is cloud))

    def subnet_network(self, subnet: str) -> str | None:
        return self._subnet_network.get(subnet)

    def has_root(self, cloud: Cloud, tool: str) -> bool:
        return any(r.cloud is cloud and r.tool == tool for r in self.iac_roots)

    # -- calls, ingress and exposure ----------------------------------------------------------

    def callers_of(self, service: str) -> tuple[str, ...]:
        """Workloads (services and jobs) that declare a call to `service`, sorted."""
        return self._callers.get(service, ())

    def ingress_to(self, target: str) -> tuple[str, ...]:
        """Ingress points that forward or route directly to `target` (a service or ingress)."""
        return self._ingress_to.get(target, ())

    def is_public(self, target: str) -> bool:
        """Whether a public ingress reaches `target`, directly or through other ingress."""
        return target in self._public

    def exposures_of(self, subject: str) -> tuple[Exposure, ...]:
        """Every way in to `subject` (a service, ingress, resource or subnet id)."""
        return self._exposures_by_target.get(subject, ())

    def health_port(self, service: str) -> int | None:
        """The port the health check probes, or None when no health check is declared."""
        svc = self.blueprint.services[service]
        if svc.health is None or not svc.health.probes_a_port:
            return None  # none declared, or a command run inside the container
        return svc.health.port or svc.port

    def metrics_port(self, service: str) -> int | None:
        """The port Prometheus scrapes, or None when no metrics endpoint is declared."""
        svc = self.blueprint.services[service]
        if svc.metrics is None:
            return None
        return svc.metrics.port or svc.port

    def scrape_endpoint(self, service: str) -> tuple[str, int] | None:
        """(scheme, port) Prometheus scrapes from outside the platform, or None without a
        metrics endpoint: request-driven platforms are reached through their HTTPS ingress,
        which balances across instances; elsewhere each instance on its metrics port."""
        port = self.metrics_port(service)
        if port is None:
            return None
        if self.blueprint.services[service].platform in HTTPS_INGRESS_PLATFORMS:
            return "https", HTTPS_PORT
        return "http", port

    def call_port(self, call: Call) -> tuple[int, str] | None:
        """(port, protocol) a call arrives on at its callee's pods: the named port it declares
        or the callee's port; None for a callee that is not a service with a port."""
        return _call_port(self.blueprint, call)

    def target_ports(self, target: str) -> tuple[int, ...]:
        """The ports a call or forward to `target` arrives on: a service's port, an ingress's
        listeners."""
        return _target_ports(self.blueprint, target)

    def listener_ports(self, ingress: str) -> tuple[int, ...]:
        """The ports an ingress accepts connections on."""
        return _listener_ports(self.blueprint.ingress[ingress])

    # -- identity -----------------------------------------------------------------------------

    def service_principal(self, workload: str) -> str | None:
        return self._service_principal.get(workload)

    def granted(self, principal: str) -> tuple[Grant, ...]:
        """Every grant a principal holds: its own and those of its scopes, in order."""
        ident = self.blueprint.identity
        p = ident.principals[principal]
        grants = list(p.grants)
        for scope in p.scopes:
            grants.extend(ident.scopes[scope].grants)
        return tuple(grants)

    def workload_grants(self, workload: str) -> tuple[Grant, ...]:
        """What a workload's runtime identity is granted, which generators render as IAM or RBAC.

        A declared service principal's grants are what gets deployed (the policy engine
        compares them with the declared uses); without one, the identity is derived from the
        declared uses, least privilege by construction.
        """
        principal = self.service_principal(workload)
        if principal is not None:
            return self.granted(principal)
        w = self.workload(workload)
        return tuple(Grant(resource=u.resource, access=u.access) for u in w.uses)


def _listener_ports(ingress: object) -> tuple[int, ...]:
    if isinstance(ingress, LoadBalancer):
        return tuple(sorted(ingress.forwards))
    if isinstance(ingress, HttpIngress):
        return (HTTPS_PORT,) if ingress.tls_secret else (HTTP_PORT,)
    return (HTTPS_PORT,)  # an API gateway terminates TLS


def _admitted(rules: Iterable[FirewallRule], port: int) -> tuple[str, ...]:
    return tuple(sorted({r.cidr for r in rules if port in r.ports}))


_last_view: SystemView | None = None

_CONNECTION_FIELDS = operator.attrgetter(*(f.name for f in fields(Connection)))
_EXPOSURE_FIELDS = operator.attrgetter(*(f.name for f in fields(Exposure)))


def _sorted_unique(
    items: Sequence[_Ordered], key: Callable[[_Ordered], Any]
) -> tuple[_Ordered, ...]:
    """`tuple(sorted(set(items)))` for a frozen, ordered dataclass, given the getter of all its
    fields: its equality, hash and order are those of its field tuple, so deduplicating and
    sorting by that tuple gives the same items in the same order, without a Python-level
    `__hash__`, `__eq__` and `__lt__` call per comparison (a tenth of a second at 25,000
    connections). Of equal items the first is kept, as a set keeps it."""
    unique = {key(item): item for item in reversed(items)}
    return tuple(unique[k] for k in sorted(unique))


def _build(bp: Blueprint) -> SystemView:
    workloads: dict[str, Service | Job] = {**bp.services, **bp.jobs}
    wid = {n: (service_id(n) if n in bp.services else job_id(n)) for n in workloads}
    callers: dict[str, set[str]] = {}
    by_platform: dict[Platform, list[str]] = {}
    for name, w in workloads.items():
        by_platform.setdefault(w.platform, []).append(name)
        for call in w.calls:
            callers.setdefault(call.service, set()).add(name)
    ingress_to: dict[str, set[str]] = {}
    for name, ing in bp.ingress.items():
        for target in ingress_targets(ing):
            ingress_to.setdefault(target, set()).add(name)
    exposures: list[Exposure] = []
    _ingress_exposures(bp, exposures)
    _service_exposure_facts(bp, workloads, wid, ingress_to, exposures)
    _resource_and_subnet_exposures(bp, exposures)
    subnet_network = {s: n for n, net in bp.networks.items() for s in net.subnets}
    unique_exposures = _sorted_unique(exposures, _EXPOSURE_FIELDS)
    by_target: dict[str, tuple[Exposure, ...]] = {}
    for e in unique_exposures:
        by_target[e.target] = (*by_target.get(e.target, ()), e)
    principals = {
        p.workload: name
        for name, p in reversed(bp.identity.principals.items())
        if p.kind == "service" and p.workload is not None
    }
    return SystemView(
        blueprint=bp,
        exposures=unique_exposures,
        iac_roots=_iac_roots(bp, workloads),
        _callers=_frozen({k: tuple(sorted(v)) for k, v in callers.items()}),
        _ingress_to=_frozen({k: tuple(sorted(v)) for k, v in ingress_to.items()}),
        _public=_publicly_reached(bp),
        _service_principal=MappingProxyType(principals),
        _by_platform=MappingProxyType({k: tuple(v) for k, v in by_platform.items()}),
        _subnet_network=MappingProxyType(subnet_network),
        _exposures_by_target=MappingProxyType(by_target),
    )


def _publicly_reached(bp: Blueprint) -> frozenset[str]:
    """Every service or ingress a chain of ingress starting at a public one forwards to (one
    traversal; an ingress's own publicness does not count for itself)."""
    reached: set[str] = set()
    frontier = [name for name, ing in bp.ingress.items() if ing.public]
    expanded = set(frontier)
    while frontier:
        current = frontier.pop()
        for target in ingress_targets(bp.ingress[current]):
            reached.add(target)
            if target in bp.ingress and target not in expanded:
                expanded.add(target)
                frontier.append(target)
    return frozenset(reached)


def _call_port(bp: Blueprint, call: Call) -> tuple[int, str] | None:
    callee = bp.services.get(call.service)
    if callee is None:
        return None
    named = callee.named_port(call.port)
    if named is not None:
        return named.port, named.protocol
    return None if callee.port is None else (callee.port, "tcp")


def _target_ports(bp: Blueprint, target: str) -> tuple[int, ...]:
    if target in bp.services:
        port = bp.services[target].port
        return () if port is None else (port,)
    if target in bp.ingress:
        return _listener_ports(bp.ingress[target])
    return ()


def _connections(bp: Blueprint, exposures: Iterable[Exposure]) -> tuple[Connection, ...]:
    workloads: dict[str, Service | Job] = {**bp.services, **bp.jobs}
    wid = {n: (service_id(n) if n in bp.services else job_id(n)) for n in workloads}
    connections: list[Connection] = []
    _ingress_forwards(bp, wid, connections)
    _workload_connections(bp, workloads, wid, connections)
    # The internet (or a private network) reaches each way in to an ingress or a service; a
    # public resource's or subnet's exposure is not a connection to a port.
    connections.extend(
        Connection(e.source, e.target, e.port, e.protocol, Reason.EXPOSURE)
        for e in exposures
        if e.kind not in (ExposureKind.PUBLIC_RESOURCE, ExposureKind.PUBLIC_SUBNET)
    )
    return _sorted_unique(connections, _CONNECTION_FIELDS)


def _ingress_forwards(bp: Blueprint, wid: dict[str, str], connections: list[Connection]) -> None:
    for name, ing in bp.ingress.items():
        iid = ingress_id(name)
        for target in ingress_targets(ing):
            destination = ingress_id(target) if target in bp.ingress else wid.get(target)
            if destination is None:
                continue
            for port in _target_ports(bp, target):
                connections.append(
                    Connection(iid, destination, port, "tcp", Reason.INGRESS_FORWARD)
                )


def _ingress_exposures(bp: Blueprint, exposures: list[Exposure]) -> None:
    for name, ing in bp.ingress.items():
        iid = ingress_id(name)
        if ing.public:
            for port in _listener_ports(ing):
                rules = ing.allow_from
                if isinstance(ing, LoadBalancer):
                    sources = _admitted(rules, port) if rules else ANYWHERE
                else:
                    # Gateways and HTTP ingress listen on one port: their rules name sources.
                    sources = tuple(sorted({r.cidr for r in rules})) or ANYWHERE
                if not sources:
                    continue  # its rules admit nobody on this listener
                for exposed in _redirected(ing, port):
                    exposures.append(
                        Exposure(iid, ExposureKind.PUBLIC_INGRESS, exposed, "tcp", sources)
                    )


def _redirected(ing: object, port: int) -> tuple[int, ...]:
    """The port, and HTTP beside HTTPS on a load balancer with TLS: the listener on 80 that
    only redirects to 443 is reached from the same sources."""
    if isinstance(ing, LoadBalancer) and ing.tls is not None and port == HTTPS_PORT:
        return (HTTP_PORT, HTTPS_PORT) if HTTP_PORT not in ing.forwards else (port,)
    return (port,)


def _data_access(bp: Blueprint, w: Service | Job, source: str) -> list[Connection]:
    """A workload reaches each database it uses on the database's port."""
    out: list[Connection] = []
    for use in w.uses:
        res = bp.resources.get(use.resource)
        if res is not None and res.kind is ResourceKind.DATABASE:
            out.append(
                Connection(
                    source, resource_id(use.resource), res.db_port, "tcp", Reason.DATA_ACCESS
                )
            )
    return out


def _service_exposure_kind(
    bp: Blueprint, name: str, svc: Service, ingress_to: dict[str, set[str]]
) -> ExposureKind | None:
    if svc.platform is Platform.KUBERNETES:
        if svc.expose.type == "node-port":
            return ExposureKind.NODE_PORT
        if svc.expose.type == "load-balancer":
            return ExposureKind.LOAD_BALANCER_SERVICE
        if any(not isinstance(bp.ingress[i], HttpIngress) for i in ingress_to.get(name, ())):
            return ExposureKind.EXTERNAL_INGRESS
    if svc.allow_from:
        return ExposureKind.ALLOW_FROM
    return None


def _workload_connections(
    bp: Blueprint,
    workloads: dict[str, Service | Job],
    wid: dict[str, str],
    connections: list[Connection],
) -> None:
    for name, w in workloads.items():
        connections.extend(_data_access(bp, w, wid[name]))
        for call in w.calls:
            arrival = _call_port(bp, call)
            if arrival is not None:
                port, protocol = arrival
                connections.append(
                    Connection(wid[name], service_id(call.service), port, protocol, Reason.CALL)
                )
        if isinstance(w, Job):
            if isinstance(w.trigger, EventTrigger) and w.trigger.resource in bp.resources:
                connections.append(
                    Connection(
                        resource_id(w.trigger.resource),
                        wid[name],
                        None,
                        "https",
                        Reason.EVENT_DELIVERY,
                    )
                )
            continue
        sid = wid[name]
        health_port = (w.health.port or w.port) if w.health and w.health.probes_a_port else None
        if health_port is not None:
            connections.append(Connection(PLATFORM, sid, health_port, "tcp", Reason.HEALTH_CHECK))
        metrics_port = (w.metrics.port or w.port) if w.metrics else None
        if metrics_port is not None:
            connections.append(
                Connection(MONITORING, sid, metrics_port, "tcp", Reason.METRICS_SCRAPE)
            )


def _service_exposure_facts(
    bp: Blueprint,
    workloads: dict[str, Service | Job],
    wid: dict[str, str],
    ingress_to: dict[str, set[str]],
    exposures: list[Exposure],
) -> None:
    for name, w in workloads.items():
        if isinstance(w, Job):
            continue
        kind = _service_exposure_kind(bp, name, w, ingress_to)
        if kind is not None:
            _service_exposures(wid[name], w, kind, exposures)


def _service_exposures(
    sid: str, svc: Service, kind: ExposureKind, exposures: list[Exposure]
) -> None:
    """An exposed service admits its allow_from sources on their ports, or anyone on its port."""
    admitted: list[tuple[int, str, tuple[str, ...]]] = []
    if svc.allow_from:
        for port, protocol in sorted(
            {(p, str(r.protocol)) for r in svc.allow_from for p in r.ports}
        ):
            rules = (r for r in svc.allow_from if r.protocol == protocol)
            admitted.append((port, protocol, _admitted(rules, port)))
    elif svc.port is not None:
        admitted.append((svc.port, "tcp", ANYWHERE))
    exposures.extend(
        Exposure(sid, kind, port, protocol, cidrs) for port, protocol, cidrs in admitted
    )


def _resource_and_subnet_exposures(bp: Blueprint, exposures: list[Exposure]) -> None:
    for name, res in bp.resources.items():
        if res.public:
            exposures.append(
                Exposure(resource_id(name), ExposureKind.PUBLIC_RESOURCE, None, "tcp", ANYWHERE)
            )
    for net_name, net in bp.networks.items():
        if not net.has_internet_gateway():
            continue
        for sub_name, sub in net.subnets.items():
            if sub.public:
                exposures.append(
                    Exposure(
                        subnet_id(net_name, sub_name),
                        ExposureKind.PUBLIC_SUBNET,
                        None,
                        "tcp",
                        ANYWHERE,
                    )
                )


def _has_aws(bp: Blueprint, workloads: dict[str, Service | Job]) -> bool:
    default = bp.default_cloud()
    if any(w.platform.cloud is Cloud.AWS for w in workloads.values()):
        return True
    if any((r.cloud or default) is Cloud.AWS for r in bp.resources.values()):
        return True
    if any((n.cloud or default) is Cloud.AWS for n in bp.networks.values()):
        return True
    # Principals and scopes have no cloud of their own: they belong to the default cloud.
    identity = bp.identity
    return default is Cloud.AWS and bool(identity.principals or identity.scopes)


def iac_roots_of(bp: Blueprint) -> tuple[IacRoot, ...]:
    """The infrastructure-as-code folders the blueprint renders, without building the view."""
    return _iac_roots(bp, bp.workloads())


def _iac_roots(bp: Blueprint, workloads: dict[str, Service | Job]) -> tuple[IacRoot, ...]:
    """The AWS roots exist when AWS is declared and the blueprint has anything on AWS (a
    workload, a resource, a network or identity); the GCP Terraform root when a service runs on
    Cloud Run. (Azure's Bicep root: see generators/azure, which decides what it renders.)"""
    roots: list[IacRoot] = []
    aws = bp.platforms.aws
    if aws is not None and _has_aws(bp, workloads):
        if "terraform" in aws.formats:
            roots.append(IacRoot(Cloud.AWS, "terraform", "aws/terraform"))
        if "cloudformation" in aws.formats:
            roots.append(IacRoot(Cloud.AWS, "cloudformation", "aws/cloudformation"))
    if any(w.platform is Platform.CLOUD_RUN for w in workloads.values()):
        roots.append(IacRoot(Cloud.GCP, "terraform", "gcp/terraform"))
    return tuple(roots)
