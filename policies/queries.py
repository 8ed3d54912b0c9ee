"""Questions asked of the system graph: the rules use them and so can `blueprint diff`.

Every function takes the graph from `policies.graph.build_graph` and runs in time linear in its
size (or linear per principal that holds control access, for escalation), never pair-wise.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from blueprint.model import Access, Job, ResourceKind
from policies.access import (
    CODE_RUNNING,
    POLICY_WRITING,
    WILDCARD_TARGET,
    Privilege,
    covers,
    expand_privileges,
)
from policies.graph import INTERNET, edges_of_kind, in_edges, out_edges, short

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
    for u, v, _ in edges_of_kind(g, "runs-in"):
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
        nexts = [v for v, _ in out_edges(g, node, "routes-to")]
        nexts += [v for v, _ in out_edges(g, node, "forwards-to")]
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


ACCESS: dict[str, Access] = {a.value: a for a in Access}  # faster than Access(value)


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
    in declaration order (assumable principals are not included: see `escalation_paths`). A
    derived identity is granted exactly its workload's uses."""
    data = g.nodes[holder]
    if data.get("kind") == "identity":
        return [
            EffectiveGrant(t, ACCESS[d["access"]], (holder, t))
            for t, d in out_edges(g, str(data["workload_node"]), "uses")
        ]
    out = [EffectiveGrant(t, ACCESS[d["access"]], (holder, t)) for t, d in granted(g, holder)]
    for scope, _ in out_edges(g, holder, "member-of"):
        out.extend(
            EffectiveGrant(t, ACCESS[d["access"]], (holder, scope, t)) for t, d in granted(g, scope)
        )
    return out


def granted(g: nx.MultiDiGraph, holder: str) -> list[tuple[str, dict[str, Any]]]:
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

    def held(node: str) -> list[Privilege]:
        """A node's grants as declared (admin stays admin), for reporting what is gained."""
        return [(e.target, e.access) for e in effective_grants(g, node)]

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
                gained = tuple(
                    sorted({p for p in held(nxt) if not covers(own, p)}, key=_privilege_key)
                )
                if gained:
                    found.append(Escalation(start, nxt, new_path, gained, first))
                queue.append((nxt, new_path, first))
    return found


def _privilege_key(p: Privilege) -> tuple[str, str]:
    return (p[0], p[1].value)


# -- calls and latency -----------------------------------------------------------------------


@dataclass(frozen=True)
class Latency:
    """The critical path below a node: its total and the (callee, call latency) pairs it
    waits for, in order (every sequential call, then the slowest parallel one). The full chain
    is an expansion of the call DAG that can grow exponentially, so it is rendered on demand
    and bounded by `chain_text`, `chain_terms` and `chain_nodes`."""

    node: str
    total: float
    critical: tuple[tuple[str, float], ...]


def call_edges(g: nx.MultiDiGraph, node: str) -> list[tuple[str, float, bool]]:
    """(callee, latency, parallel) of a workload's calls, in declaration order."""
    calls = sorted(out_edges(g, node, "calls"), key=lambda e: int(e[1]["order"]))
    return [(v, float(d["latency"]), bool(d["parallel"])) for v, d in calls]


def call_adjacency(g: nx.MultiDiGraph) -> dict[str, list[str]]:
    """workload -> the services it calls (every workload is a key), in declaration order."""
    adj: dict[str, list[str]] = {n: [] for n, k in g.nodes(data="kind") if k in ("service", "job")}
    for u, v, _ in edges_of_kind(g, "calls"):
        adj[u].append(v)
    return adj


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


def call_cycles(g: nx.MultiDiGraph) -> list[Path]:
    """Each cycle of calls, once per strongly connected component, starting at its smallest
    node and following the smallest callee inside the component: (a, b, a)."""
    adj = call_adjacency(g)
    cycles: list[Path] = []
    for component in strongly_connected(adj):
        members = set(component)
        first = min(component)
        if len(component) == 1 and first not in adj[first]:
            continue
        cycle = [first]
        seen = {first}
        current = first
        while True:
            nxt = min(c for c in adj[current] if c in members)
            if nxt in seen:
                cycle = cycle[cycle.index(nxt) :]
                cycle.append(nxt)
                break
            cycle.append(nxt)
            seen.add(nxt)
            current = nxt
        cycles.append(tuple(cycle))
    return sorted(cycles)


def critical_paths(
    g: nx.MultiDiGraph, cycles: list[Path] | None = None, roots: Iterable[str] | None = None
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
    for root in starts:
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
    sequential: list[tuple[float, str, float]] = []
    best_parallel: tuple[float, str, float] | None = None
    for callee, latency, parallel in below:
        sub = memo.get(callee)
        if sub is None:  # a callee on a cycle
            continue
        term = (latency + sub.total, callee, latency)
        if not parallel:
            sequential.append(term)
        elif best_parallel is None or term[0] > best_parallel[0]:
            best_parallel = term
    if best_parallel is not None:
        sequential.append(best_parallel)
    total = sum(t[0] for t in sequential)
    return Latency(node, round(total, 9), tuple((t[1], t[2]) for t in sequential))


CHAIN_LIMIT = 240  # characters of chain text before it is summarised
TERMS_LIMIT = 12  # call latencies listed before they are summarised


def chain_nodes(latencies: dict[str, Latency], node: str) -> Path:
    """Every node on the critical path below `node`, once each, depth-first in call order."""
    seen: dict[str, None] = {}
    stack = [node]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen[current] = None
        lat = latencies.get(current)
        if lat is not None:
            stack.extend(reversed([c for c, _ in lat.critical]))
    return tuple(seen)


def chain_text(latencies: dict[str, Latency], node: str) -> str:
    """`app -> api -> location, sensor, predict`; a callee with calls of its own and siblings
    is parenthesised. Past CHAIN_LIMIT characters, the distinct nodes joined by ` -> `."""
    memo: dict[str, str] = {}

    def text(n: str, depth: int) -> str:
        if n in memo:
            return memo[n]
        if depth > CHAIN_LIMIT // 4:
            raise _TooLongError
        lat = latencies.get(n)
        kids = [c for c, _ in lat.critical] if lat is not None else []
        if not kids:
            out = short(n)
        elif len(kids) == 1:
            out = f"{short(n)} -> {text(kids[0], depth + 1)}"
        else:
            shown = []
            for k in kids:
                sub = text(k, depth + 1)
                shown.append(f"({sub})" if " -> " in sub else sub)
                if sum(len(x) for x in shown) > CHAIN_LIMIT:
                    raise _TooLongError
            out = f"{short(n)} -> {', '.join(shown)}"
        if len(out) > CHAIN_LIMIT:
            raise _TooLongError
        memo[n] = out
        return out

    try:
        return text(node, 0)
    except _TooLongError:
        nodes = chain_nodes(latencies, node)
        return " -> ".join(short(n) for n in nodes) + f" ({len(nodes)} nodes)"


class _TooLongError(Exception):
    pass


def chain_terms(latencies: dict[str, Latency], node: str) -> tuple[float, ...] | int:
    """The non-zero call latencies summed along the critical path, in order; or only their
    count when there are more than TERMS_LIMIT (the expansion can be exponential)."""
    terms: dict[str, int] = {}  # non-zero latencies in the expansion below each node
    calls: dict[str, int] = {}  # calls in the expansion below each node
    for n in reversed(chain_nodes(latencies, node)):
        lat = latencies.get(n)
        below = lat.critical if lat else ()
        terms[n] = sum((1 if latency else 0) + terms.get(c, 0) for c, latency in below)
        calls[n] = sum(1 + calls.get(c, 0) for c, _ in below)
    if terms.get(node, 0) > TERMS_LIMIT or calls.get(node, 0) > 4 * TERMS_LIMIT:
        return terms[node]
    out: list[float] = []

    def walk(n: str) -> None:
        lat = latencies.get(n)
        for c, latency in lat.critical if lat else ():
            if latency:
                out.append(latency)
            walk(c)

    walk(node)
    return tuple(out)


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
        for kind in DEPENDENCY_EDGES:
            found.update(u for u, _ in in_edges(g, src, kind))
    return sorted(n for n in found if g.nodes[n].get("kind") in ("service", "job"))


def blast_radius(g: nx.MultiDiGraph) -> dict[str, tuple[str, ...]]:
    """For each datastore and broker: the workloads that stop when it fails — those that depend
    on it directly, and every workload that calls one of those, transitively; sorted.

    Upstream sets are bitsets propagated once over the components of the call graph in
    callers-first order, so the cost is linear in the graph plus the size of the answer.
    """
    adj = call_adjacency(g)
    workloads = sorted(adj)
    bit = {n: 1 << i for i, n in enumerate(workloads)}
    callers: dict[str, list[str]] = {n: [] for n in adj}
    for u, vs in adj.items():
        for v in vs:
            callers[v].append(u)
    components = strongly_connected(adj)
    component_of = {m: i for i, comp in enumerate(components) for m in comp}
    # upstream[c]: the members of component c and every workload that calls into it. Tarjan
    # lists callees before callers, so walk it backwards.
    upstream = [0] * len(components)
    for i in range(len(components) - 1, -1, -1):
        bits = 0
        for member in components[i]:
            bits |= bit[member]
            for caller in callers[member]:
                c = component_of[caller]
                if c != i:
                    bits |= upstream[c]
        upstream[i] = bits
    result: dict[str, tuple[str, ...]] = {}
    for node, data in sorted(g.nodes(data=True)):
        if data.get("kind") != "resource" or not data.get("datastore"):
            continue
        bits = 0
        for dep in direct_dependents(g, node):
            bits |= upstream[component_of[dep]]
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
    for kind, fixed in REQUIRING_EDGES.items():
        for v, d in out_edges(g, workload, kind):
            out.append(Requirement(v, fixed or ACCESS[d["access"]], kind))
    return out


def justified_access(g: nx.MultiDiGraph, workload: str) -> list[Requirement]:
    """Everything a declared use or call justifies: the requirements plus invoke on each
    called service."""
    out = required_access(g, workload)
    out.extend(Requirement(v, Access.INVOKE, "calls") for v, _, _ in call_edges(g, workload))
    return out


def is_job(g: nx.MultiDiGraph, node: str) -> bool:
    return isinstance(g.nodes[node].get("spec"), Job)
