"""Calls and latency: call cycles, critical paths under a budget, chain text."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from policies.graph import edges_of_kind, out_edges, short
from policies.system_graph import SystemGraph

Path = tuple[str, ...]


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


def call_edges(g: SystemGraph, node: str) -> list[tuple[str, float, bool]]:
    """(callee, latency, parallel) of a workload's calls, in declaration order."""
    return list(g.derived(_call_table).get(node, ()))


def _call_table(g: SystemGraph) -> dict[str, list[tuple[str, float, bool]]]:
    """`call_edges` of every caller, from one pass over the call edges (it was a lookup and a
    sort per workload, 10,000 times per check at 5,000 services)."""
    by_caller: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for u, v, d in edges_of_kind(g, "calls"):
        by_caller.setdefault(u, []).append((v, d))
    return {
        u: [
            (v, float(d["latency"]), bool(d["parallel"]))
            for v, d in sorted(calls, key=lambda e: int(e[1]["order"]))
        ]
        for u, calls in by_caller.items()
    }


def call_adjacency(g: SystemGraph) -> dict[str, list[str]]:
    """workload -> the services it calls (every workload is a key), in declaration order."""
    adj: dict[str, list[str]] = {n: [] for n, k in g.nodes(data="kind") if k in ("service", "job")}
    for u, v, _ in edges_of_kind(g, "calls"):
        adj[u].append(v)
    return adj


def call_components(g: SystemGraph) -> tuple[dict[str, list[str]], list[list[str]]]:
    """`call_adjacency(g)` and its `strongly_connected` components, computed once per graph
    (the cycle and blast-radius queries both read them); callers must not change them."""
    return g.derived(_call_components)


def _call_components(g: SystemGraph) -> tuple[dict[str, list[str]], list[list[str]]]:
    adj = call_adjacency(g)
    return adj, strongly_connected(adj)


def strongly_connected(adj: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively, in reverse topological order
    (a component comes before every component that reaches it). Each frame on the work stack
    holds its node's iterator over its callees, so resuming a node costs no re-indexing."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    for root in adj:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work: list[tuple[str, Iterator[str]]] = [(root, iter(adj.get(root, ())))]
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(adj.get(child, ()))))
                    break
                if child in on_stack and index[child] < low[node]:
                    low[node] = index[child]
            else:
                work.pop()
                if low[node] == index[node]:
                    component: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    out.append(component)
                if work and low[node] < low[work[-1][0]]:
                    low[work[-1][0]] = low[node]
    return out


def call_cycles(g: SystemGraph) -> list[Path]:
    """Each cycle of calls, once per strongly connected component, starting at its smallest
    node and following the smallest callee inside the component: (a, b, a)."""
    adj, components = call_components(g)
    cycles: list[Path] = []
    for component in components:
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
    # A node's callees, looked up once (a node is popped twice: to expand, then to combine);
    # None for a node calling into a cycle, which has no finite latency.
    belows: dict[str, Sequence[tuple[str, float, bool]] | None] = {}
    for root in starts:
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            node, ready = stack.pop()
            if node in memo:
                continue
            if node in belows:
                below = belows[node]
            else:
                below = belows[node] = _below(g, calls, node)
                if on_cycle and any(c in on_cycle for c, _, _ in below):
                    below = belows[node] = None
            if below is None:
                continue  # reported as a cycle; no finite latency
            if not ready:
                visiting.add(node)
                stack.append((node, True))
                stack.extend((c, False) for c, _, _ in below if c not in memo and c not in visiting)
                continue
            visiting.discard(node)
            memo[node] = _combine(node, below, memo)
    return memo


def _below(
    g: SystemGraph, calls: dict[str, list[tuple[str, float, bool]]], node: str
) -> Sequence[tuple[str, float, bool]]:
    if g.nodes[node].get("kind") == "ingress":
        # An ingress forwards each request to one target: they are alternatives.
        return [(v, 0.0, True) for v, _ in out_edges(g, node, "forwards-to")]
    return calls.get(node, ())  # call_edges(g, node), read only


def _combine(
    node: str, below: Sequence[tuple[str, float, bool]], memo: dict[str, Latency]
) -> Latency:
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
