"""The system graph: one `networkx.MultiDiGraph` built from a blueprint in one pass.

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
| identity   | `services.web.identity`              | a workload's identity derived from uses  |
| any        | `*`                                  | the target of wildcard grants            |

Edges (attribute `kind`; a MultiDiGraph, so one pair can carry several):

- `routes-to`: inbound routing (internet -> internet gateway -> public subnet; internet -> a
  public ingress, a public resource, or a service exposed as a Kubernetes LoadBalancer).
- `egress`: outbound routing (subnet -> NAT -> internet gateway -> internet).
- `forwards-to` (`via`: port or route): ingress -> service or ingress.
- `runs-in`: service, job, resource, load balancer or NAT -> subnet. `part-of`: subnet ->
  network, topic -> broker. `peers-with`: network -> network (as declared).
- `calls` (`latency`, `parallel`, `order`): workload -> service.
- `uses` (`access`), `writes` (`table`), `subscribes` (topic trigger), `triggered-by` (object
  event), `buffers-to`, `pulls` (the image registry, for the execution identity): workload ->
  resource.
- `runs-as`: workload -> its runtime identity (a service principal or a derived identity).
- `member-of`: principal -> scope. `granted` (`access`): principal, scope or derived identity
  -> resource, workload or `*`. `can-assume`: principal -> principal. `can-pass`: principal ->
  runtime identity (it holds pass-role). `hosts`: cluster resource -> workload of its cloud.

Built with local indexes only: no model view that scans the whole blueprint is called per item.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from blueprint.model import (
    DATASTORE_KINDS,
    Access,
    ApiGateway,
    Blueprint,
    EventTrigger,
    HttpIngress,
    Job,
    LoadBalancer,
    ResourceKind,
    Service,
    TopicTrigger,
)
from policies.access import WILDCARD_TARGET

if TYPE_CHECKING:
    import networkx as nx

INTERNET = "internet"
ANY = WILDCARD_TARGET


def network_id(name: str) -> str:
    return f"networks.{name}"


def subnet_id(network: str, name: str) -> str:
    return f"networks.{network}.subnets.{name}"


def igw_id(network: str) -> str:
    return f"networks.{network}.internet_gateway"


def nat_id(network: str) -> str:
    return f"networks.{network}.nat"


def ingress_id(name: str) -> str:
    return f"ingress.{name}"


def service_id(name: str) -> str:
    return f"services.{name}"


def job_id(name: str) -> str:
    return f"jobs.{name}"


def resource_id(name: str) -> str:
    return f"resources.{name}"


def principal_id(name: str) -> str:
    return f"identity.principals.{name}"


def scope_id(name: str) -> str:
    return f"identity.scopes.{name}"


def derived_identity_id(workload_node: str) -> str:
    return f"{workload_node}.identity"


def short(node: str) -> str:
    """The last name of a node id, for messages: `services.web` -> `web`."""
    if node.endswith(".identity") and node.count(".") == 2:
        return node.split(".")[1] + " (identity)"
    return node.rsplit(".", 1)[-1]


def build_graph(bp: Blueprint) -> nx.MultiDiGraph:
    """The system graph of `bp` (see the module docstring for its vocabulary)."""
    import networkx as nx

    g: nx.MultiDiGraph = nx.MultiDiGraph(name=bp.name)
    g.graph["blueprint"] = bp
    g.add_node(INTERNET, kind="internet", label="internet")

    subnet_ids: dict[str, str] = {}  # subnet name -> node id
    _networks(g, bp, subnet_ids)

    workload_ids: dict[str, str] = {}
    for name in bp.services:
        workload_ids[name] = service_id(name)
    for name in bp.jobs:
        workload_ids[name] = job_id(name)

    _resources(g, bp, subnet_ids)
    _ingress(g, bp, subnet_ids, workload_ids)
    _workloads(g, bp, subnet_ids, workload_ids)
    _identity(g, bp, workload_ids)
    return g


def _networks(g: nx.MultiDiGraph, bp: Blueprint, subnet_ids: dict[str, str]) -> None:
    for net_name, net in bp.networks.items():
        nid = network_id(net_name)
        g.add_node(
            nid,
            kind="network",
            label=net_name,
            cidr=net.cidr,
            cloud=str(net.cloud or bp.default_cloud() or ""),
        )
        igw = igw_id(net_name) if net.has_internet_gateway() else None
        if igw is not None:
            g.add_node(igw, kind="gateway", gateway="igw", label="internet gateway")
            g.add_edge(INTERNET, igw, kind="routes-to")
            g.add_edge(igw, INTERNET, kind="egress")
        nat = None
        if net.nat is not None and net.nat in net.subnets:
            nat = nat_id(net_name)
            g.add_node(nat, kind="gateway", gateway="nat", label="NAT", subnet=net.nat)
        for sub_name, sub in net.subnets.items():
            sid = subnet_id(net_name, sub_name)
            subnet_ids[sub_name] = sid
            egress = net.subnet_egress(sub_name)
            g.add_node(
                sid,
                kind="subnet",
                label=sub_name,
                cidr=sub.cidr,
                public=sub.public,
                zone=sub.zone,
                egress=egress,
                network=net_name,
            )
            g.add_edge(sid, nid, kind="part-of")
            if sub.public and igw is not None:
                g.add_edge(igw, sid, kind="routes-to")
            if egress == "internet" and igw is not None:
                g.add_edge(sid, igw, kind="egress")
            elif egress == "nat" and nat is not None:
                g.add_edge(sid, nat, kind="egress")
        if nat is not None and net.nat is not None:
            g.add_edge(nat, subnet_id(net_name, net.nat), kind="runs-in")
            if igw is not None:
                g.add_edge(nat, igw, kind="egress")
        for peer in net.peers:
            if peer in bp.networks:
                g.add_edge(nid, network_id(peer), kind="peers-with")


def _resources(g: nx.MultiDiGraph, bp: Blueprint, subnet_ids: dict[str, str]) -> None:
    for name, res in bp.resources.items():
        rid = resource_id(name)
        g.add_node(
            rid,
            kind="resource",
            label=name,
            resource_kind=res.kind.value,
            datastore=res.kind in DATASTORE_KINDS,
            public=res.public,
            spec=res,
        )
        for sub in res.subnets:
            if sub in subnet_ids:
                g.add_edge(rid, subnet_ids[sub], kind="runs-in")
        if res.public:
            g.add_edge(INTERNET, rid, kind="routes-to")
    for name, res in bp.resources.items():
        if res.broker is not None and res.broker in bp.resources:
            g.add_edge(resource_id(name), resource_id(res.broker), kind="part-of")


def _ingress(
    g: nx.MultiDiGraph, bp: Blueprint, subnet_ids: dict[str, str], workload_ids: dict[str, str]
) -> None:
    for name, ing in bp.ingress.items():
        g.add_node(
            ingress_id(name),
            kind="ingress",
            label=name,
            ingress_kind=ing.kind,
            public=ing.public,
            budget=ing.latency_budget,
            spec=ing,
        )
    for name, ing in bp.ingress.items():
        iid = ingress_id(name)
        if ing.public:
            g.add_edge(INTERNET, iid, kind="routes-to")
        targets: list[tuple[str, str]]
        if isinstance(ing, LoadBalancer):
            for sub in ing.subnets:
                if sub in subnet_ids:
                    g.add_edge(iid, subnet_ids[sub], kind="runs-in")
            targets = [(str(port), svc) for port, svc in ing.forwards.items()]
        elif isinstance(ing, ApiGateway | HttpIngress):
            targets = list(ing.routes.items())
            if isinstance(ing, ApiGateway) and ing.auth is not None:
                issuer = resource_id(ing.auth.issuer)
                if issuer in g:
                    g.add_edge(iid, issuer, kind="authenticates-with")
        for via, target in targets:
            if target in bp.ingress:
                g.add_edge(iid, ingress_id(target), kind="forwards-to", via=via)
            elif target in workload_ids:
                g.add_edge(iid, workload_ids[target], kind="forwards-to", via=via)


def _workloads(
    g: nx.MultiDiGraph, bp: Blueprint, subnet_ids: dict[str, str], workload_ids: dict[str, str]
) -> None:
    items: list[tuple[str, Service | Job]] = [
        *bp.services.items(),
        *bp.jobs.items(),
    ]
    for name, w in items:
        is_service = isinstance(w, Service)
        g.add_node(
            workload_ids[name],
            kind="service" if is_service else "job",
            label=name,
            platform=w.platform.value,
            cloud=w.platform.cloud.value,
            budget=w.latency_budget if isinstance(w, Service) else None,
            spec=w,
        )
    clusters = [
        (resource_id(n), bp.resource_cloud(n))
        for n, r in bp.resources.items()
        if r.kind is ResourceKind.CLUSTER
    ]
    for name, w in items:
        wid = workload_ids[name]
        for sub in w.subnets:
            if sub in subnet_ids:
                g.add_edge(wid, subnet_ids[sub], kind="runs-in")
        if isinstance(w, Service) and w.expose.type == "load-balancer":
            # A Kubernetes Service of type LoadBalancer gets an external address of its own.
            g.add_edge(INTERNET, wid, kind="routes-to", via="expose")
        for order, call in enumerate(w.calls):
            if call.service in bp.services:
                g.add_edge(
                    wid,
                    service_id(call.service),
                    kind="calls",
                    latency=call.latency,
                    parallel=call.parallel,
                    order=order,
                )
        for use in w.uses:
            if use.resource in bp.resources:
                g.add_edge(wid, resource_id(use.resource), kind="uses", access=use.access.value)
        if w.image is not None and not w.image.is_external and w.image.registry in bp.resources:
            g.add_edge(wid, resource_id(w.image.registry), kind="pulls")
        for key, ref in sorted(w.secrets.items()):
            if ref.store in bp.resources:
                g.add_edge(wid, resource_id(ref.store), kind="reads-secret", key=key)
        if isinstance(w, Job):
            trig = w.trigger
            if isinstance(trig, TopicTrigger) and trig.topic in bp.resources:
                g.add_edge(wid, resource_id(trig.topic), kind="subscribes")
            elif isinstance(trig, EventTrigger) and trig.resource in bp.resources:
                g.add_edge(wid, resource_id(trig.resource), kind="triggered-by", event=trig.event)
            for write in w.writes:
                if write.resource in bp.resources:
                    g.add_edge(wid, resource_id(write.resource), kind="writes", table=write.table)
            if w.buffer is not None and w.buffer in bp.resources:
                g.add_edge(wid, resource_id(w.buffer), kind="buffers-to")
        for cluster, cloud in clusters:
            if cloud is not None and cloud.value == w.platform.cloud.value:
                g.add_edge(cluster, wid, kind="hosts")


def _identity(g: nx.MultiDiGraph, bp: Blueprint, workload_ids: dict[str, str]) -> None:
    ident = bp.identity

    def target(name: str) -> str | None:
        if name == ANY:
            if ANY not in g:
                g.add_node(ANY, kind="any", label="*")
            return ANY
        if name in bp.resources:
            return resource_id(name)
        return workload_ids.get(name)

    for name, scope in ident.scopes.items():
        sid = scope_id(name)
        g.add_node(sid, kind="scope", label=name, spec=scope)
        for index, grant in enumerate(scope.grants):
            t = target(grant.resource)
            if t is not None:
                g.add_edge(sid, t, kind="granted", access=grant.access.value, index=index)

    runtime: dict[str, str] = {}  # workload node -> its runtime identity node
    for name, p in ident.principals.items():
        pid = principal_id(name)
        g.add_node(
            pid,
            kind="principal",
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
                g.add_edge(pid, scope_id(scope_name), kind="member-of")
        for index, grant in enumerate(p.grants):
            t = target(grant.resource)
            if t is not None:
                g.add_edge(pid, t, kind="granted", access=grant.access.value, index=index)
        for other in p.can_assume:
            if other in ident.principals and other != name:
                g.add_edge(pid, principal_id(other), kind="can-assume")

    workloads: list[tuple[str, Service | Job]] = [*bp.services.items(), *bp.jobs.items()]
    for name, w in workloads:
        wid = workload_ids[name]
        if wid in runtime:
            g.add_edge(wid, runtime[wid], kind="runs-as")
            continue
        iid = derived_identity_id(wid)
        g.add_node(iid, kind="identity", label=f"{name} identity", workload=name)
        g.add_edge(wid, iid, kind="runs-as")
        for use in w.uses:
            if use.resource in bp.resources:
                g.add_edge(iid, resource_id(use.resource), kind="granted", access=use.access.value)
        runtime[wid] = iid

    # can-pass: every principal holding pass-role on the identity service (or on anything) may
    # hand any runtime identity to a workload.
    passers = [
        principal_id(name)
        for name, p in ident.principals.items()
        if any(
            g_.access in (Access.PASS_ROLE, Access.ANY, Access.ADMIN)
            and (
                g_.resource == ANY
                or (
                    g_.resource in bp.resources
                    and bp.resources[g_.resource].kind is ResourceKind.IAM
                )
            )
            for g_ in bp.granted(name)
        )
    ]
    identities = sorted(set(runtime.values()))
    for pid in passers:
        for iid in identities:
            if iid != pid:
                g.add_edge(pid, iid, kind="can-pass")


def nodes_of_kind(g: nx.MultiDiGraph, *kinds: str) -> list[str]:
    """Node ids of the given kinds, sorted."""
    wanted = set(kinds)
    return sorted(n for n, k in g.nodes(data="kind") if k in wanted)


def out_edges(g: nx.MultiDiGraph, node: str, kind: str) -> list[tuple[str, dict[str, Any]]]:
    """(target, data) of the edges of `kind` leaving `node`, in insertion order."""
    return [(v, d) for _, v, d in g.out_edges(node, data=True) if d.get("kind") == kind]


def in_edges(g: nx.MultiDiGraph, node: str, kind: str) -> list[tuple[str, dict[str, Any]]]:
    """(source, data) of the edges of `kind` entering `node`, in insertion order."""
    return [(u, d) for u, _, d in g.in_edges(node, data=True) if d.get("kind") == kind]
