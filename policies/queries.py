"""Questions asked of the system graph: the rules use them and so can `blueprint diff`.

Every function takes the graph from `policies.graph.build_graph` and runs in time linear in its
size (or linear per principal that holds control access, for escalation), never pair-wise.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from blueprint.model import Access, Job, ResourceKind
from policies.access import (
    CODE_RUNNING,
    POLICY_WRITING,
    WILDCARD_TARGET,
    Privilege,
    covers,
    expand_privileges,
)
from policies.graph import INTERNET, in_edges, out_edges, short

if TYPE_CHECKING:
    import networkx as nx

Path = tuple[str, ...]


# -- internet reachability ------------------------------------------------------------------


@dataclass(frozen=True)
class Exposure:
    """How the internet reaches a node: `entry_path` through a declared public entry point (a
    public ingress), `direct_path` around every entry point. Either may be None."""

    node: str
    entry_path: Path | None
    direct_path: Path | None


def subnet_members(g: nx.MultiDiGraph) -> dict[str, list[str]]:
    """subnet node -> the nodes placed in it (workloads, resources, load balancers, NAT)."""
    members: dict[str, list[str]] = {}
    for u, v, kind in g.edges(data="kind"):
        if kind == "runs-in":
            members.setdefault(v, []).append(u)
    return members


def internet_exposure(g: nx.MultiDiGraph) -> dict[str, Exposure]:
    """Every node the internet reaches, with one shortest path per way in, from ONE traversal.

    A breadth-first search from `internet` over inbound edges (routes-to, forwards-to, and from
    a public subnet to what is placed in it), whose state remembers whether the path entered
    through a public ingress. Each node is visited at most twice, so the cost is linear.
    """
    members = subnet_members(g)
    start = (INTERNET, False)
    parent: dict[tuple[str, bool], tuple[str, bool] | None] = {start: None}
    queue: deque[tuple[str, bool]] = deque([start])
    while queue:
        state = queue.popleft()
        node, entered = state
        nexts: list[str] = [
            v for _, v, k in g.out_edges(node, data="kind") if k in ("routes-to", "forwards-to")
        ]
        if g.nodes[node].get("kind") == "subnet":
            nexts.extend(m for m in members.get(node, ()) if g.nodes[m].get("kind") != "gateway")
        for nxt in nexts:
            data = g.nodes[nxt]
            internal = data.get("kind") == "ingress" and not data.get("public")
            if internal and g.nodes[node].get("kind") == "subnet":
                continue  # an internal load balancer has no public address in any subnet
            now_entered = entered or (data.get("kind") == "ingress" and bool(data.get("public")))
            key = (nxt, now_entered)
            if key not in parent:
                parent[key] = state
                queue.append(key)

    def path_to(key: tuple[str, bool]) -> Path:
        out: list[str] = []
        cur: tuple[str, bool] | None = key
        while cur is not None:
            out.append(cur[0])
            cur = parent[cur]
        return tuple(reversed(out))

    result: dict[str, Exposure] = {}
    for node in sorted({n for n, _ in parent if n != INTERNET}):
        result[node] = Exposure(
            node,
            path_to((node, True)) if (node, True) in parent else None,
            path_to((node, False)) if (node, False) in parent else None,
        )
    return result


# -- identity -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectiveGrant:
    target: str  # a node id, or "*"
    access: Access
    via: Path  # holder [-> scope] -> target


def runtime_identity(g: nx.MultiDiGraph, workload: str) -> str | None:
    """The identity node a workload runs as (a service principal or its derived identity)."""
    found = out_edges(g, workload, "runs-as")
    return found[0][0] if found else None


def effective_grants(g: nx.MultiDiGraph, holder: str) -> list[EffectiveGrant]:
    """Everything a principal or identity is granted: its own grants, then its scopes' grants,
    in declaration order (assumable principals are not included: see `escalation_paths`)."""
    out = [EffectiveGrant(t, Access(str(d["access"])), (holder, t)) for t, d in granted(g, holder)]
    for scope, _ in out_edges(g, holder, "member-of"):
        out.extend(
            EffectiveGrant(t, Access(str(d["access"])), (holder, scope, t))
            for t, d in granted(g, scope)
        )
    return out


def granted(g: nx.MultiDiGraph, holder: str) -> list[tuple[str, dict[str, object]]]:
    return out_edges(g, holder, "granted")


def privileges(g: nx.MultiDiGraph, holder: str) -> frozenset[Privilege]:
    """A holder's effective grants expanded through the access table."""
    return expand_privileges((e.target, e.access) for e in effective_grants(g, holder))


@dataclass(frozen=True)
class Escalation:
    """`principal` can act as `reaches` (an identity node, or "*" for any privilege through
    policy writing) along `path`, and so gains `gained`, which it does not hold itself."""

    principal: str
    reaches: str
    path: Path
    gained: tuple[Privilege, ...]
    how: str  # assume | pass-role | deploy | policy-writing


def _control_edges(
    g: nx.MultiDiGraph, holder: str, iam_nodes: frozenset[str]
) -> list[tuple[str, Path, str]]:
    """(reached node, intermediate hops, how) for each way `holder` controls another identity."""
    out: list[tuple[str, Path, str]] = []
    for other, _ in out_edges(g, holder, "can-assume"):
        out.append((other, (), "assume"))
    for ident, _ in out_edges(g, holder, "can-pass"):
        out.append((ident, (), "pass-role"))
    for grant in effective_grants(g, holder):
        hops = grant.via[1:-1]
        if grant.access not in CODE_RUNNING and grant.access not in POLICY_WRITING:
            continue
        target = grant.target
        kind = g.nodes[target].get("kind")
        if grant.access in POLICY_WRITING and (target in iam_nodes or target == WILDCARD_TARGET):
            out.append((WILDCARD_TARGET, (*hops, target), "policy-writing"))
            continue
        if grant.access not in CODE_RUNNING:
            continue
        if kind in ("service", "job"):
            for ident, _ in out_edges(g, target, "runs-as"):
                out.append((ident, (*hops, target), "deploy"))
        elif kind == "resource" and g.nodes[target].get("resource_kind") == "cluster":
            for workload, _ in out_edges(g, target, "hosts"):
                for ident, _ in out_edges(g, workload, "runs-as"):
                    out.append((ident, (*hops, target, workload), "deploy"))
    return out


def escalation_paths(g: nx.MultiDiGraph) -> list[Escalation]:
    """Every principal that can reach privileges beyond its own, with the path.

    For each principal holding any control access (assume, pass-role, deploy on a workload or
    its cluster, policy writing on the identity service), a breadth-first search over control
    edges; every identity reached whose privileges exceed the principal's is an escalation.
    """
    iam_nodes = frozenset(
        n
        for n, d in g.nodes(data=True)
        if d.get("kind") == "resource" and d.get("resource_kind") == ResourceKind.IAM.value
    )
    control: dict[str, list[tuple[str, Path, str]]] = {}
    found: list[Escalation] = []
    cache: dict[str, frozenset[Privilege]] = {}

    def privs(node: str) -> frozenset[Privilege]:
        if node not in cache:
            cache[node] = privileges(g, node)
        return cache[node]

    def edges(node: str) -> list[tuple[str, Path, str]]:
        if node not in control:
            control[node] = _control_edges(g, node, iam_nodes)
        return control[node]

    principals = sorted(n for n, k in g.nodes(data="kind") if k == "principal")
    for start in principals:
        if not edges(start):
            continue
        own = privs(start)
        seen = {start}
        queue: deque[tuple[str, Path, str]] = deque([(start, (start,), "")])
        while queue:
            node, path, how = queue.popleft()
            for nxt, hops, step in edges(node):
                if nxt in seen:
                    continue
                seen.add(nxt)
                new_path = (*path, *hops, nxt)
                first = how or step
                if nxt == WILDCARD_TARGET:
                    gained_any: tuple[Privilege, ...] = ((WILDCARD_TARGET, Access.ADMIN),)
                    if not covers(own, gained_any[0]):
                        found.append(Escalation(start, nxt, new_path, gained_any, first))
                    continue
                gained = tuple(sorted(p for p in privs(nxt) if not covers(own, p)))
                if gained:
                    found.append(Escalation(start, nxt, new_path, gained, first))
                queue.append((nxt, new_path, first))
    return found


# -- calls and latency -----------------------------------------------------------------------


@dataclass(frozen=True)
class Latency:
    """The critical path below a node: its total, the call latencies summed along it, the chain
    as text (`app -> api -> location, sensor, predict`) and the nodes it passes, in order."""

    total: float
    terms: tuple[float, ...]
    chain: str
    nodes: Path


def call_edges(g: nx.MultiDiGraph, node: str) -> list[tuple[str, float, bool]]:
    """(callee, latency, parallel) of a workload's calls, in declaration order."""
    calls = sorted(out_edges(g, node, "calls"), key=lambda e: int(e[1]["order"]))
    return [(v, float(d["latency"]), bool(d["parallel"])) for v, d in calls]


def call_cycles(g: nx.MultiDiGraph) -> list[Path]:
    """Each cycle of calls, once per strongly connected component, starting at its smallest
    node: (a, b, a)."""
    import networkx as nx

    calls = nx.DiGraph()
    for u, v, kind in g.edges(data="kind"):
        if kind == "calls":
            calls.add_edge(u, v)
    cycles: list[Path] = []
    for component in nx.strongly_connected_components(calls):
        first = min(component)
        if len(component) == 1 and not calls.has_edge(first, first):
            continue
        sub = calls.subgraph(component)
        cycle = [first]
        # Walk to the smallest successor inside the component until the walk closes.
        seen = {first}
        current = first
        while True:
            nxt = min(sub.successors(current))
            if nxt in seen:
                cycle = cycle[cycle.index(nxt) :]
                cycle.append(nxt)
                break
            cycle.append(nxt)
            seen.add(nxt)
            current = nxt
        cycles.append(tuple(cycle))
    return sorted(cycles)


def critical_paths(g: nx.MultiDiGraph) -> dict[str, Latency]:
    """The critical path below every service, job and ingress not on a call cycle.

    A workload's latency is the sum over its sequential calls of (call latency + callee
    latency), plus the largest (call latency + callee latency) among its parallel calls. An
    ingress takes the largest of its targets. Memoised depth-first, so linear in the graph.
    """
    on_cycle = {n for cycle in call_cycles(g) for n in cycle}
    memo: dict[str, Latency] = {}
    kinds = {"service", "job", "ingress"}
    roots = sorted(n for n, k in g.nodes(data="kind") if k in kinds and n not in on_cycle)
    visiting: set[str] = set()  # on the current depth-first path (guards ingress loops)
    for root in roots:
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            node, ready = stack.pop()
            if node in memo:
                continue
            below = _below(g, node)
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


def _below(g: nx.MultiDiGraph, node: str) -> list[tuple[str, float, bool]]:
    if g.nodes[node].get("kind") == "ingress":
        # An ingress forwards each request to one target: they are alternatives.
        return [(v, 0.0, True) for v, _ in out_edges(g, node, "forwards-to")]
    return call_edges(g, node)


def _combine(node: str, below: list[tuple[str, float, bool]], memo: dict[str, Latency]) -> Latency:
    label = short(node)
    parts: list[tuple[float, tuple[float, ...], Latency]] = []
    best_parallel: tuple[float, tuple[float, ...], Latency] | None = None
    for callee, latency, parallel in below:
        sub = memo.get(callee)
        if sub is None:  # a callee on a cycle
            continue
        term = (latency + sub.total, ((latency,) if latency else ()) + sub.terms, sub)
        if parallel:
            if best_parallel is None or term[0] > best_parallel[0]:
                best_parallel = term
        else:
            parts.append(term)
    if best_parallel is not None:
        parts.append(best_parallel)
    total = sum(p[0] for p in parts)
    terms = tuple(t for p in parts for t in p[1])
    nodes: list[str] = [node]
    for p in parts:
        nodes.extend(p[2].nodes)
    if not parts:
        chain = label
    elif len(parts) == 1:
        chain = f"{label} -> {parts[0][2].chain}"
    else:
        shown = [p[2].chain if " -> " not in p[2].chain else f"({p[2].chain})" for p in parts]
        chain = f"{label} -> {', '.join(shown)}"
    return Latency(round(total, 9), terms, chain, tuple(nodes))


# -- data dependencies -----------------------------------------------------------------------

DEPENDENCY_EDGES = frozenset(
    {"uses", "writes", "subscribes", "triggered-by", "buffers-to", "reads-secret", "pulls"}
)


def direct_dependents(g: nx.MultiDiGraph, resource: str) -> list[str]:
    """Workloads that use, write, consume, buffer into or read secrets from `resource`, or from
    a topic on it when it is a broker; sorted."""
    found: set[str] = set()
    sources = [resource, *(t for t, _ in in_edges(g, resource, "part-of"))]
    for src in sources:
        for u, _, kind in g.in_edges(src, data="kind"):
            if kind in DEPENDENCY_EDGES and g.nodes[u].get("kind") in ("service", "job"):
                found.add(u)
    return sorted(found)


def blast_radius(g: nx.MultiDiGraph) -> dict[str, tuple[str, ...]]:
    """For each datastore and broker: the workloads that stop when it fails — those that depend
    on it directly, and every workload that calls one of those, transitively.

    Upstream sets are bitsets propagated once over the condensation of the call graph, so the
    cost is linear in the graph plus the size of the answer.
    """
    import networkx as nx

    workloads = sorted(n for n, k in g.nodes(data="kind") if k in ("service", "job"))
    bit = {n: 1 << i for i, n in enumerate(workloads)}
    calls = nx.DiGraph()
    calls.add_nodes_from(workloads)
    for u, v, kind in g.edges(data="kind"):
        if kind == "calls":
            calls.add_edge(u, v)
    condensed = nx.condensation(calls)
    mapping: dict[str, int] = condensed.graph["mapping"]
    # upstream[c]: every workload that (transitively) calls into component c, and c itself.
    upstream: dict[int, int] = {}
    for comp in nx.topological_sort(condensed):
        bits = 0
        for member in condensed.nodes[comp]["members"]:
            bits |= bit[member]
        for pred in condensed.predecessors(comp):
            bits |= upstream[pred]
        upstream[comp] = bits
    result: dict[str, tuple[str, ...]] = {}
    for node, data in sorted(g.nodes(data=True)):
        if data.get("kind") != "resource" or not data.get("datastore"):
            continue
        bits = 0
        for dep in direct_dependents(g, node):
            bits |= upstream[mapping[dep]]
        if bits:
            result[node] = tuple(_decode(bits, workloads))
    return result


def _decode(bits: int, names: list[str]) -> Iterable[str]:
    while bits:
        low = bits & -bits
        yield names[low.bit_length() - 1]
        bits ^= low


# -- what a workload needs -------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    target: str
    access: Access
    because: str  # "uses", "writes", "trigger", "buffer", "calls"


REQUIRING_EDGES: dict[str, Access | None] = {
    "uses": None,  # the access declared on the edge
    "writes": Access.WRITE,
    "subscribes": Access.SUBSCRIBE,
    "triggered-by": Access.READ,
    "buffers-to": Access.PUBLISH,
}


def required_access(g: nx.MultiDiGraph, workload: str) -> list[Requirement]:
    """What a workload's runtime identity must be granted for its declared uses, writes,
    trigger and buffer, in declaration order."""
    out: list[Requirement] = []
    for _, v, d in g.out_edges(workload, data=True):
        kind = d.get("kind")
        if kind in REQUIRING_EDGES:
            fixed = REQUIRING_EDGES[kind]
            out.append(Requirement(v, fixed or Access(d["access"]), str(kind)))
    return out


def justified_access(g: nx.MultiDiGraph, workload: str) -> list[Requirement]:
    """Everything a declared use or call justifies: the requirements plus invoke on each
    called service."""
    out = required_access(g, workload)
    out.extend(Requirement(v, Access.INVOKE, "calls") for v, _, _ in call_edges(g, workload))
    return out


def is_job(g: nx.MultiDiGraph, node: str) -> bool:
    return isinstance(g.nodes[node].get("spec"), Job)
