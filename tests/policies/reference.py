"""The graph and queries as they were before their fast paths, frozen here so that
`tests/policies/test_graph_fast_paths.py` can prove the fast ones answer exactly as these do.

- The system graph as `policies.graph` built it: every edge indexed as it was added (by
  endpoint and kind, and by kind), each workload's and identity's edges through the
  keyword-argument `edge`. The network, resource, ingress and exposure passes are the real
  ones (unchanged); the workload pass and the runtime identities are frozen, as they were.
- `critical_paths`, which looked up a node's callees each time the node was popped (its
  `_below` and `_combine` are the real ones, unchanged).
- `strongly_connected`, whose work stack resumed a node by the index of its next callee.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from blueprint.model import (
    Blueprint,
    EventTrigger,
    Job,
    ResourceKind,
    Service,
    TopicTrigger,
)
from blueprint.subjects import (
    INTERNET,
    derived_identity_id,
    job_id,
    resource_id,
    service_id,
)
from blueprint.view import SystemView
from policies.graph import (
    _Builder,
    _can_pass,
    _exposures,
    _grant_target,
    _ingress,
    _networks,
    _principals,
    _resources,
    _scopes,
)
from policies.kinds import EdgeKind, NodeKind
from policies.queries.calls import Latency, Path, _below, _call_table, _combine, call_cycles
from policies.system_graph import EdgeData, SystemGraph


class ReferenceGraph(_Builder):
    """Nodes, edges and the indexes filled edge by edge (the builder's nodes as they were)."""

    def __init__(self) -> None:
        super().__init__()
        self.keyed_edges: list[tuple[str, str, int, EdgeData]] = []
        self.out: dict[tuple[str, EdgeKind], list[tuple[str, EdgeData]]] = {}
        self.into: dict[tuple[str, EdgeKind], list[tuple[str, EdgeData]]] = {}
        self.by_kind: dict[EdgeKind, list[tuple[str, str, EdgeData]]] = {}

    def node(self, node_id: str, kind: NodeKind, **attrs: Any) -> None:
        if node_id not in self.nodes:
            self.nodes_by_kind.setdefault(kind, []).append(node_id)
        self.nodes[node_id] = {"kind": kind, **attrs}

    def edge(self, u: str, v: str, kind: EdgeKind, **attrs: Any) -> None:
        data = {"kind": kind, **attrs}
        self.keyed_edges.append((u, v, len(self.keyed_edges), data))
        self.out.setdefault((u, kind), []).append((v, data))
        self.into.setdefault((v, kind), []).append((u, data))
        self.by_kind.setdefault(kind, []).append((u, v, data))


def reference_graph(bp: Blueprint) -> ReferenceGraph:
    view = SystemView.of(bp)
    b = ReferenceGraph()
    b.node(INTERNET, NodeKind.INTERNET, label="internet")
    subnet_ids: dict[str, str] = {}
    _networks(b, bp, view, subnet_ids)
    workload_ids = {name: service_id(name) for name in bp.services}
    workload_ids.update({name: job_id(name) for name in bp.jobs})
    _resources(b, bp, subnet_ids)
    _ingress(b, bp, view, subnet_ids, workload_ids)
    _workloads(b, bp, view, subnet_ids, workload_ids)
    _exposures(b, view)
    _identity(b, bp, view, workload_ids)
    return b


def _workloads(
    b: ReferenceGraph,
    bp: Blueprint,
    view: SystemView,
    subnet_ids: dict[str, str],
    workload_ids: dict[str, str],
) -> None:
    items: list[tuple[str, Service | Job]] = [
        *bp.services.items(),
        *bp.jobs.items(),
    ]
    for name, w in items:
        is_service = isinstance(w, Service)
        b.node(
            workload_ids[name],
            NodeKind.SERVICE if is_service else NodeKind.JOB,
            label=name,
            platform=w.platform.value,
            cloud=w.platform.cloud.value,
            budget=w.latency_budget if isinstance(w, Service) else None,
            spec=w,
        )
    clusters = [
        (resource_id(n), view.resource_cloud(n))
        for n, r in bp.resources.items()
        if r.kind is ResourceKind.CLUSTER
    ]
    # A callee's ports, once per callee (the view answers them from the blueprint each time).
    ports = functools.cache(view.target_ports)
    for name, w in items:
        wid = workload_ids[name]
        for sub in w.subnets:
            if sub in subnet_ids:
                b.edge(wid, subnet_ids[sub], EdgeKind.RUNS_IN)
        for order, call in enumerate(w.calls):
            if call.service in bp.services:
                b.edge(
                    wid,
                    service_id(call.service),
                    EdgeKind.CALLS,
                    latency=call.latency,
                    parallel=call.parallel,
                    order=order,
                    ports=ports(call.service),
                    protocol="tcp",
                )
        for use in w.uses:
            if use.resource in bp.resources:
                # `_value_`: the member's value without the enum's `value` descriptor.
                b.edge(wid, resource_id(use.resource), EdgeKind.USES, access=use.access._value_)
        if w.image is not None and not w.image.is_external and w.image.registry in bp.resources:
            b.edge(wid, resource_id(w.image.registry), EdgeKind.PULLS)
        for key, ref in sorted(w.secrets.items()):
            if ref.store in bp.resources:
                b.edge(wid, resource_id(ref.store), EdgeKind.READS_SECRET, key=key)
        if isinstance(w, Job):
            trig = w.trigger
            if isinstance(trig, TopicTrigger) and trig.topic in bp.resources:
                b.edge(wid, resource_id(trig.topic), EdgeKind.SUBSCRIBES)
            elif isinstance(trig, EventTrigger) and trig.resource in bp.resources:
                b.edge(wid, resource_id(trig.resource), EdgeKind.TRIGGERED_BY, event=trig.event)
            for write in w.writes:
                if write.resource in bp.resources:
                    b.edge(wid, resource_id(write.resource), EdgeKind.WRITES, table=write.table)
            if w.buffer is not None and w.buffer in bp.resources:
                b.edge(wid, resource_id(w.buffer), EdgeKind.BUFFERS_TO)
        for cluster, cloud in clusters:
            if cloud is not None and cloud.value == w.platform.cloud.value:
                b.edge(cluster, wid, EdgeKind.HOSTS)


def _identity(
    b: ReferenceGraph, bp: Blueprint, view: SystemView, workload_ids: dict[str, str]
) -> None:
    """The scopes', principals' and can-pass passes are the real ones (moved into functions,
    unchanged); the runtime identities' is frozen."""
    target = functools.partial(_grant_target, b, bp, workload_ids)
    _scopes(b, bp, target)
    runtime = _principals(b, bp, workload_ids, target)
    for name in [*bp.services, *bp.jobs]:
        wid = workload_ids[name]
        if wid in runtime:
            b.edge(wid, runtime[wid], EdgeKind.RUNS_AS)
            continue
        iid = derived_identity_id(wid)
        b.node(iid, NodeKind.IDENTITY, label=f"{name} identity", workload=name, workload_node=wid)
        b.edge(wid, iid, EdgeKind.RUNS_AS)
        runtime[wid] = iid
    _can_pass(b, bp, view, runtime)


def critical_paths(
    g: SystemGraph, cycles: list[Path] | None = None, roots: Iterable[str] | None = None
) -> dict[str, Latency]:
    """The critical path below every service, job and ingress not on a call cycle.

    A workload's latency is the sum over its sequential calls of (call latency + callee
    latency), plus the largest (call latency + callee latency) among its parallel calls. An
    ingress takes the largest of its targets. Memoised depth-first, so linear in the graph.
    With `roots`, only what lies below them is computed (and returned).
    """
    on_cycle = {n for cycle in (call_cycles(g) if cycles is None else cycles) for n in cycle}
    memo: dict[str, Latency] = {}
    kinds = {"service", "job", "ingress"}
    if roots is None:
        roots = [n for n, k in g.nodes(data="kind") if k in kinds]
    starts = sorted(n for n in roots if n not in on_cycle)
    visiting: set[str] = set()  # on the current depth-first path (guards ingress loops)
    calls = g.derived(_call_table)
    for root in starts:
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            node, ready = stack.pop()
            if node in memo:
                continue
            below = _below(g, calls, node)
            if any(c in on_cycle for c, _, _ in below):
                continue  # reported as a cycle; no finite latency
            if not ready:
                visiting.add(node)
                stack.append((node, True))
                stack.extend((c, False) for c, _, _ in below if c not in memo and c not in visiting)
                continue
            visiting.discard(node)
            memo[node] = _combine(node, below, memo)
    return memo


def strongly_connected(adj: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively, in reverse topological order
    (a component comes before every component that reaches it)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in adj:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = adj.get(node, [])
            recurse = False
            while i < len(children):
                child = children[i]
                i += 1
                if child not in index:
                    work.append((node, i))
                    work.append((child, 0))
                    recurse = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if recurse:
                continue
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                out.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return out
