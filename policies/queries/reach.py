"""Internet reachability: what the internet reaches, and along which path."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from policies.graph import INTERNET, edges_of_kind, out_edges
from policies.system_graph import SystemGraph

Path = tuple[str, ...]


# -- internet reachability ------------------------------------------------------------------


@dataclass(frozen=True)
class Exposure:
    """How the internet reaches a node: `entry_path` through a declared public entry point (a
    public ingress), `direct_path` around every entry point. Either may be None."""

    node: str
    entry_path: Path | None
    direct_path: Path | None


def subnet_members(g: SystemGraph) -> dict[str, list[str]]:
    """subnet node -> the nodes placed in it (workloads, resources, load balancers, NAT)."""
    members: dict[str, list[str]] = {}
    for u, v, _ in edges_of_kind(g, "runs-in"):
        members.setdefault(v, []).append(u)
    return members


def internet_exposure(g: SystemGraph) -> dict[str, Exposure]:
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
