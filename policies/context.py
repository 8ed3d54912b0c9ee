"""What every rule reads: the blueprint, its graph, and the graph queries computed once."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from blueprint.model import Blueprint
from policies import queries

if TYPE_CHECKING:
    import networkx as nx


class Context:
    def __init__(self, bp: Blueprint, graph: nx.MultiDiGraph) -> None:
        self.bp = bp
        self.graph = graph

    def kind(self, node: str) -> str:
        return str(self.graph.nodes[node].get("kind", ""))

    def nodes(self, *kinds: str) -> list[str]:
        """Node ids of these kinds, sorted."""
        return self._by_kind_sorted(kinds)

    def _by_kind_sorted(self, kinds: tuple[str, ...]) -> list[str]:
        out: list[str] = []
        for k in kinds:
            out.extend(self._by_kind.get(k, ()))
        return sorted(out)

    @cached_property
    def _by_kind(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        for node, kind in self.graph.nodes(data="kind"):
            index.setdefault(str(kind), []).append(node)
        return index

    @cached_property
    def exposure(self) -> dict[str, queries.Exposure]:
        return queries.internet_exposure(self.graph)

    @cached_property
    def escalations(self) -> list[queries.Escalation]:
        return queries.escalation_paths(self.graph)

    @cached_property
    def latencies(self) -> dict[str, queries.Latency]:
        return queries.critical_paths(self.graph)

    @cached_property
    def cycles(self) -> list[tuple[str, ...]]:
        return queries.call_cycles(self.graph)

    @cached_property
    def blast(self) -> dict[str, tuple[str, ...]]:
        return queries.blast_radius(self.graph)

    @cached_property
    def subnet_members(self) -> dict[str, list[str]]:
        return queries.subnet_members(self.graph)

    @cached_property
    def callers(self) -> dict[str, set[str]]:
        """service node -> workload nodes that declare a call to it."""
        index: dict[str, set[str]] = {}
        for u, v, kind in self.graph.edges(data="kind"):
            if kind == "calls":
                index.setdefault(v, set()).add(u)
        return index

    @cached_property
    def forwarders(self) -> dict[str, set[str]]:
        """node -> ingress nodes that forward to it."""
        index: dict[str, set[str]] = {}
        for u, v, kind in self.graph.edges(data="kind"):
            if kind == "forwards-to":
                index.setdefault(v, set()).add(u)
        return index
