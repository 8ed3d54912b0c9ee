"""The system graph: one `networkx.MultiDiGraph` built from a blueprint in one pass (networkx
is handed the nodes and edges when something asks for it; see `policies.system_graph`).

It is the single source the rules read (and the `blueprint diff` queries in `policies.queries`).

Nodes (attribute `kind`), with ids that are stable subject paths:

| kind       | id                                   | notes                                    |
| ---------- | ------------------------------------ | ---------------------------------------- |
| internet   | `internet`                           | the one outside world                    |
| network    | `networks.main`                      | `cidr`, `cloud`                          |
| subnet     | `networks.main.subnets.private-a`    | `cidr`, `public`, `zone`, `egress`       |
| gateway    | `networks.main.internet_gateway`,    | `gateway`: `igw` or `nat`                |
|            | `networks.main.nat`                  |                                          |
| ingress    | `ingress.lb`                         | `ingress_kind`, `public`, `budget`       |
| service    | `services.web`                       | `spec`: the model object                 |
| job        | `jobs.worker1`                       | `spec`                                   |
| resource   | `resources.uploads`                  | `resource_kind`, `datastore`, `public`   |
| principal  | `identity.principals.leo`            | `principal_kind`, `console`, `mfa`, ...  |
| scope      | `identity.scopes.developer`          |                                          |
| identity   | `services.web.identity`              | a workload's identity derived from its   |
|            |                                      | uses (its grants are the `uses` edges)   |
| any        | `*`                                  | the target of wildcard grants            |

Edges (attribute `kind`; a MultiDiGraph, so one pair can carry several):

- `routes-to`: inbound routing (internet -> internet gateway -> public subnet), and the
  internet reaching each exposure of the system view (`via`: the exposure kind, `port`,
  `protocol`, `sources`): a public ingress on each listener, a public resource, a Kubernetes
  node-port or load-balancer service, a service with its own allow_from.
- `egress`: outbound routing (subnet -> NAT -> internet gateway -> internet).
- `forwards-to` (`via`: listener port or route; `ports`, `protocol`: where it arrives):
  ingress -> service or ingress.
- `runs-in`: service, job, resource, load balancer or NAT -> subnet. `part-of`: subnet ->
  network, topic -> broker. `peers-with`: network -> network (as declared).
- `calls` (`latency`, `parallel`, `order`, `ports`, `protocol`): workload -> service.
- `uses` (`access`), `writes` (`table`), `subscribes` (topic trigger), `triggered-by` (object
  event), `buffers-to`, `pulls` (the image registry, for the execution identity): workload ->
  resource.
- `runs-as`: workload -> its runtime identity (a service principal or a derived identity).
- `member-of`: principal -> scope. `granted` (`access`): principal or scope -> resource,
  workload or `*` (a derived identity's grants are its workload's `uses` edges; use
  `policies.queries.effective_grants`). `can-assume`: principal -> principal. `can-pass`:
  principal -> runtime identity (it holds pass-role). `hosts`: cluster resource -> workload
  of its cloud.

Built from the `SystemView` (blueprint.view) with local indexes only: no scan of the whole
blueprint per item. `build_graph` returns a `SystemGraph` (policies.system_graph), which owns
the networkx graph and its indexes; node and edge kinds are `policies.kinds` enums.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from blueprint.model import (
    DATASTORE_KINDS,
    Access,
    ApiGateway,
    Blueprint,
    EventTrigger,
    HttpIngress,
    Job,
    LoadBalancer,
    Platform,
    ResourceKind,
    Service,
    TopicTrigger,
)
from blueprint.subjects import (
    ANY,
    INTERNET,
    derived_identity_id,
    igw_id,
    ingress_id,
    job_id,
    nat_id,
    network_id,
    principal_id,
    resource_id,
    scope_id,
    service_id,
    short,
    subnet_id,
)
from blueprint.view import ExposureKind, SystemView
from policies.kinds import EdgeKind, NodeKind
from policies.system_graph import Edge, EdgeData, NodeData, NodeTable, SystemGraph

__all__ = [
    "ANY",
    "INTERNET",
    "EdgeKind",
    "NodeKind",
    "SystemGraph",
    "build_graph",
    "derived_identity_id",
    "edges_of_kind",
    "igw_id",
    "in_edges",
    "ingress_id",
    "job_id",
    "nat_id",
    "network_id",
    "nodes_of_kind",
    "out_edges",
    "principal_id",
    "resource_id",
    "scope_id",
    "service_id",
    "short",
    "subnet_id",
]

# The exposures the graph draws as an internet edge to the exposed node; public subnets are
# reached through their internet gateway instead.
_DIRECT_EXPOSURES = frozenset(ExposureKind) - {ExposureKind.PUBLIC_SUBNET}


class _Builder:
    """Collects nodes and edges in insertion order; `SystemGraph` indexes the edges and hands
    them to networkx when something asks."""

    def __init__(self) -> None:
        self.nodes = NodeTable()
        self.nodes_by_kind: dict[NodeKind, list[str]] = {}
        self.edges: list[Edge] = []

    def node(self, node_id: str, kind: NodeKind, **attrs: Any) -> None:
        self.put(node_id, {"kind": kind, **attrs})

    def put(self, node_id: str, data: NodeData) -> None:
        """A node from its attribute dict (its "kind" first): the per-workload loops build
        the dict as a literal, without the keyword arguments' second dict."""
        if node_id not in self.nodes:
            self.nodes_by_kind.setdefault(data["kind"], []).append(node_id)
        self.nodes[node_id] = data

    def edge(self, u: str, v: str, kind: EdgeKind, **attrs: Any) -> None:
        self.edges.append((u, v, {"kind": kind, **attrs}))


def build_graph(bp: Blueprint, view: SystemView | None = None) -> SystemGraph:
    """The system graph of `bp` (see the module docstring for its vocabulary), built from its
    view: the ports and protocols on call and forward edges, and the internet's edges to every
    exposure, are the view's."""
    view = view if view is not None else SystemView.of(bp)
    b = _Builder()
    b.node(INTERNET, NodeKind.INTERNET, label="internet")
    subnet_ids: dict[str, str] = {}  # subnet name -> node id
    _networks(b, bp, view, subnet_ids)
    workload_ids = {name: service_id(name) for name in bp.services}
    workload_ids.update({name: job_id(name) for name in bp.jobs})
    _resources(b, bp, subnet_ids)
    _ingress(b, bp, view, subnet_ids, workload_ids)
    _workloads(b, bp, view, subnet_ids, workload_ids)
    _exposures(b, view)
    _identity(b, bp, view, workload_ids)
    return SystemGraph(bp.name, b.nodes, b.nodes_by_kind, b.edges, bp, view)


def _exposures(b: _Builder, view: SystemView) -> None:
    """The internet reaches every exposure of the view that admits a public address, on its
    port, from its sources (a way in from private ranges only is not the internet's)."""
    for e in view.exposures:
        if e.kind in _DIRECT_EXPOSURES and e.target in b.nodes and e.from_internet:
            b.edge(
                INTERNET,
                e.target,
                EdgeKind.ROUTES_TO,
                via=str(e.kind),
                port=e.port,
                protocol=e.protocol,
                sources=e.sources,
            )


def _networks(b: _Builder, bp: Blueprint, view: SystemView, subnet_ids: dict[str, str]) -> None:
    for net_name, net in bp.networks.items():
        nid = network_id(net_name)
        b.node(
            nid,
            NodeKind.NETWORK,
            label=net_name,
            cidr=net.cidr,
            cloud=str(view.network_cloud(net_name) or ""),
        )
        igw = igw_id(net_name) if net.has_internet_gateway() else None
        if igw is not None:
            b.node(igw, NodeKind.GATEWAY, gateway="igw", label="internet gateway")
            b.edge(INTERNET, igw, EdgeKind.ROUTES_TO)
            b.edge(igw, INTERNET, EdgeKind.EGRESS)
        nat = None
        if net.nat is not None and net.nat in net.subnets:
            nat = nat_id(net_name)
            b.node(nat, NodeKind.GATEWAY, gateway="nat", label="NAT", subnet=net.nat)
        for sub_name, sub in net.subnets.items():
            sid = subnet_id(net_name, sub_name)
            subnet_ids[sub_name] = sid
            egress = net.subnet_egress(sub_name)
            b.node(
                sid,
                NodeKind.SUBNET,
                label=sub_name,
                cidr=sub.cidr,
                public=sub.public,
                zone=sub.zone,
                egress=egress,
                network=net_name,
            )
            b.edge(sid, nid, EdgeKind.PART_OF)
            if sub.public and igw is not None:
                b.edge(igw, sid, EdgeKind.ROUTES_TO)
            if egress == "internet" and igw is not None:
                b.edge(sid, igw, EdgeKind.EGRESS)
            elif egress == "nat" and nat is not None:
                b.edge(sid, nat, EdgeKind.EGRESS)
        if nat is not None and net.nat is not None:
            b.edge(nat, subnet_id(net_name, net.nat), EdgeKind.RUNS_IN)
            if igw is not None:
                b.edge(nat, igw, EdgeKind.EGRESS)
        for peer in net.peers:
            if peer in bp.networks:
                b.edge(nid, network_id(peer), EdgeKind.PEERS_WITH)


def _resources(b: _Builder, bp: Blueprint, subnet_ids: dict[str, str]) -> None:
    for name, res in bp.resources.items():
        rid = resource_id(name)
        b.node(
            rid,
            NodeKind.RESOURCE,
            label=name,
            resource_kind=res.kind.value,
            datastore=res.kind in DATASTORE_KINDS,
            public=res.public,
            spec=res,
        )
        for sub in res.subnets:
            if sub in subnet_ids:
                b.edge(rid, subnet_ids[sub], EdgeKind.RUNS_IN)
    for name, res in bp.resources.items():
        if res.broker is not None and res.broker in bp.resources:
            b.edge(resource_id(name), resource_id(res.broker), EdgeKind.PART_OF)


def _ingress(
    b: _Builder,
    bp: Blueprint,
    view: SystemView,
    subnet_ids: dict[str, str],
    workload_ids: dict[str, str],
) -> None:
    for name, ing in bp.ingress.items():
        b.node(
            ingress_id(name),
            NodeKind.INGRESS,
            label=name,
            ingress_kind=ing.kind,
            public=ing.public,
            budget=ing.latency_budget,
            spec=ing,
        )
    for name, ing in bp.ingress.items():
        iid = ingress_id(name)
        targets: list[tuple[str, str]]
        if isinstance(ing, LoadBalancer):
            for sub in ing.subnets:
                if sub in subnet_ids:
                    b.edge(iid, subnet_ids[sub], EdgeKind.RUNS_IN)
            targets = [(str(port), svc) for port, svc in ing.forwards.items()]
        elif isinstance(ing, ApiGateway | HttpIngress):
            targets = list(ing.routes.items())
            if isinstance(ing, ApiGateway) and ing.auth is not None:
                issuer = resource_id(ing.auth.issuer)
                if issuer in b.nodes:
                    b.edge(iid, issuer, EdgeKind.AUTHENTICATES_WITH)
        for via, target in targets:
            node = ingress_id(target) if target in bp.ingress else workload_ids.get(target)
            if node is not None:
                ports = view.target_ports(target)
                b.edge(iid, node, EdgeKind.FORWARDS_TO, via=via, ports=ports, protocol="tcp")


def _workloads(
    b: _Builder,
    bp: Blueprint,
    view: SystemView,
    subnet_ids: dict[str, str],
    workload_ids: dict[str, str],
) -> None:
    items: list[tuple[str, Service | Job]] = [
        *bp.services.items(),
        *bp.jobs.items(),
    ]
    # What the platform decides, once per platform instead of once per workload.
    clouds = {p: (p.value, p.cloud.value) for p in Platform}
    for name, w in items:
        platform, cloud = clouds[w.platform]
        is_service = isinstance(w, Service)
        data = {
            "kind": NodeKind.SERVICE if is_service else NodeKind.JOB,
            "label": name,
            "platform": platform,
            "cloud": cloud,
            "budget": w.latency_budget if isinstance(w, Service) else None,
            "spec": w,
        }
        b.put(workload_ids[name], data)
    ids = _Ids(bp, view, subnet_ids)
    add = b.edges.append
    for name, w in items:
        wid = workload_ids[name]
        _workload_edges(add, ids, wid, w)
        if isinstance(w, Job):
            _job_edges(add, ids, wid, w)
        for cluster in ids.hosting[w.platform]:
            add((cluster, wid, {"kind": EdgeKind.HOSTS}))


class _Ids:
    """The node ids a workload's edges point to, by name, computed once per name (an edge
    kind's id and lookup per edge was most of the graph's time at 5,000 services)."""

    def __init__(self, bp: Blueprint, view: SystemView, subnet_ids: dict[str, str]) -> None:
        self.subnets = subnet_ids
        self.services = {name: service_id(name) for name in bp.services}
        self.resources = {name: resource_id(name) for name in bp.resources}
        # A callee's ports, once per callee (the view answers them from the blueprint each time).
        self.ports = functools.cache(view.target_ports)
        clusters = [
            (resource_id(n), view.resource_cloud(n))
            for n, r in bp.resources.items()
            if r.kind is ResourceKind.CLUSTER
        ]
        # platform -> the clusters of its cloud, which host its workloads
        self.hosting = {
            p: [c for c, cloud in clusters if cloud is not None and cloud.value == p.cloud.value]
            for p in Platform
        }


def _workload_edges(add: Callable[[Edge], None], ids: _Ids, wid: str, w: Service | Job) -> None:
    """A workload's subnets, calls, uses, image registry and secret stores, in that order."""
    for sub in w.subnets:
        subnet = ids.subnets.get(sub)
        if subnet is not None:
            add((wid, subnet, {"kind": EdgeKind.RUNS_IN}))
    for order, call in enumerate(w.calls):
        callee = ids.services.get(call.service)
        if callee is not None:
            data = {
                "kind": EdgeKind.CALLS,
                "latency": call.latency,
                "parallel": call.parallel,
                "order": order,
                "ports": ids.ports(call.service),
                "protocol": "tcp",
            }
            add((wid, callee, data))
    resources = ids.resources
    for use in w.uses:
        resource = resources.get(use.resource)
        if resource is not None:
            # `_value_`: the member's value without the enum's `value` descriptor.
            add((wid, resource, {"kind": EdgeKind.USES, "access": use.access._value_}))
    image = w.image
    if image is not None and not image.is_external and image.registry in resources:
        add((wid, resources[image.registry], {"kind": EdgeKind.PULLS}))
    if w.secrets:
        for key, ref in sorted(w.secrets.items()):
            if ref.store in resources:
                add((wid, resources[ref.store], {"kind": EdgeKind.READS_SECRET, "key": key}))


def _job_edges(add: Callable[[Edge], None], ids: _Ids, wid: str, job: Job) -> None:
    """A job's trigger, the tables it writes and its buffer, in that order."""
    resources = ids.resources
    trig = job.trigger
    if isinstance(trig, TopicTrigger) and trig.topic in resources:
        add((wid, resources[trig.topic], {"kind": EdgeKind.SUBSCRIBES}))
    elif isinstance(trig, EventTrigger) and trig.resource in resources:
        event: EdgeData = {"kind": EdgeKind.TRIGGERED_BY, "event": trig.event}
        add((wid, resources[trig.resource], event))
    for write in job.writes:
        if write.resource in resources:
            table: EdgeData = {"kind": EdgeKind.WRITES, "table": write.table}
            add((wid, resources[write.resource], table))
    if job.buffer is not None and job.buffer in resources:
        add((wid, resources[job.buffer], {"kind": EdgeKind.BUFFERS_TO}))


def _identity(b: _Builder, bp: Blueprint, view: SystemView, workload_ids: dict[str, str]) -> None:
    target = functools.partial(_grant_target, b, bp, workload_ids)
    _scopes(b, bp, target)
    runtime = _principals(b, bp, workload_ids, target)
    _runtime_identities(b, bp, workload_ids, runtime)
    _can_pass(b, bp, view, runtime)


def _grant_target(b: _Builder, bp: Blueprint, workloads: dict[str, str], name: str) -> str | None:
    """The node a grant on `name` points to (the `*` node is added on its first grant)."""
    if name == ANY:
        if ANY not in b.nodes:
            b.node(ANY, NodeKind.ANY, label="*")
        return ANY
    if name in bp.resources:
        return resource_id(name)
    return workloads.get(name)


def _scopes(b: _Builder, bp: Blueprint, target: Callable[[str], str | None]) -> None:
    for name, scope in bp.identity.scopes.items():
        sid = scope_id(name)
        b.node(sid, NodeKind.SCOPE, label=name, spec=scope)
        for index, grant in enumerate(scope.grants):
            t = target(grant.resource)
            if t is not None:
                b.edge(sid, t, EdgeKind.GRANTED, access=grant.access.value, index=index)


def _principals(
    b: _Builder, bp: Blueprint, workload_ids: dict[str, str], target: Callable[[str], str | None]
) -> dict[str, str]:
    """The principals and their edges; returns workload node -> its service principal."""
    ident = bp.identity
    runtime: dict[str, str] = {}
    for name, p in ident.principals.items():
        pid = principal_id(name)
        b.node(
            pid,
            NodeKind.PRINCIPAL,
            label=name,
            principal_kind=p.kind,
            console=p.console,
            mfa=p.mfa,
            access_keys=p.access_keys,
            workload=p.workload,
            spec=p,
        )
        if p.workload is not None and p.workload in workload_ids:
            runtime[workload_ids[p.workload]] = pid
    for name, p in ident.principals.items():
        pid = principal_id(name)
        for scope_name in p.scopes:
            if scope_name in ident.scopes:
                b.edge(pid, scope_id(scope_name), EdgeKind.MEMBER_OF)
        for index, grant in enumerate(p.grants):
            t = target(grant.resource)
            if t is not None:
                b.edge(pid, t, EdgeKind.GRANTED, access=grant.access.value, index=index)
        for other in p.can_assume:
            if other in ident.principals and other != name:
                b.edge(pid, principal_id(other), EdgeKind.CAN_ASSUME)
    return runtime


def _runtime_identities(
    b: _Builder, bp: Blueprint, workload_ids: dict[str, str], runtime: dict[str, str]
) -> None:
    """Each workload runs as its service principal, or else as an identity derived from it
    (added to `runtime`)."""
    add = b.edges.append
    for name in [*bp.services, *bp.jobs]:
        wid = workload_ids[name]
        if wid in runtime:
            add((wid, runtime[wid], {"kind": EdgeKind.RUNS_AS}))
            continue
        iid = derived_identity_id(wid)
        # Its grants are the workload's `uses` edges (not copied: a third of all edges at scale).
        data = {
            "kind": NodeKind.IDENTITY,
            "label": f"{name} identity",
            "workload": name,
            "workload_node": wid,
        }
        b.put(iid, data)
        add((wid, iid, {"kind": EdgeKind.RUNS_AS}))
        runtime[wid] = iid


def _can_pass(b: _Builder, bp: Blueprint, view: SystemView, runtime: dict[str, str]) -> None:
    """can-pass: every principal holding pass-role on the identity service (or on anything)
    may hand any runtime identity to a workload."""
    passers = [
        principal_id(name)
        for name in bp.identity.principals
        if any(
            g_.access in (Access.PASS_ROLE, Access.ANY, Access.ADMIN)
            and (
                g_.resource == ANY
                or (
                    g_.resource in bp.resources
                    and bp.resources[g_.resource].kind is ResourceKind.IAM
                )
            )
            for g_ in view.granted(name)
        )
    ]
    identities = sorted(set(runtime.values()))
    for pid in passers:
        for iid in identities:
            if iid != pid:
                b.edge(pid, iid, EdgeKind.CAN_PASS)


def nodes_of_kind(g: SystemGraph, *kinds: str) -> list[str]:
    """Node ids of the given kinds, sorted."""
    return g.nodes_of_kind(*(NodeKind(k) for k in kinds))


# Edge kinds by name: the graph's tables are keyed by the members, which hash and compare as
# their names, and an unknown name raises EdgeKind's ValueError.


def edges_of_kind(g: SystemGraph, kind: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(source, target, data) of every edge of `kind`, in insertion order."""
    return g.edges_of_kind(kind)


def out_edges(g: SystemGraph, node: str, kind: str) -> list[tuple[str, dict[str, Any]]]:
    """(target, data) of the edges of `kind` leaving `node`, in insertion order."""
    return g.out_edges(node, kind)


def in_edges(g: SystemGraph, node: str, kind: str) -> list[tuple[str, dict[str, Any]]]:
    """(source, data) of the edges of `kind` entering `node`, in insertion order."""
    return g.in_edges(node, kind)
