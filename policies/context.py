"""What every rule reads: the blueprint, its view, its graph, and the graph queries computed
once."""

from __future__ import annotations

from functools import cached_property

from blueprint.model import Blueprint
from blueprint.view import SystemView
from policies import queries
from policies.access import Privilege
from policies.graph import build_graph, edges_of_kind
from policies.kinds import NodeKind
from policies.system_graph import SystemGraph


class Context:
    def __init__(self, bp: Blueprint, graph: SystemGraph | None = None) -> None:
        self.bp = bp
        if graph is not None:
            self.graph = graph
        self._privileges: dict[str, frozenset[Privilege]] = {}

    @cached_property
    def graph(self) -> SystemGraph:
        """Built at its first use, when not given: the rules that read only the blueprint
        (`Rule.reads_graph`) run without it."""
        return build_graph(self.bp)

    @property
    def view(self) -> SystemView:
        """The derived facts the graph was built from (connections, exposure, ports)."""
        return self.graph.view

    def kind(self, node: str) -> NodeKind:
        return self.graph.kind(node)

    def nodes(self, *kinds: str) -> list[str]:
        """Node ids of these kinds, sorted."""
        return self.graph.nodes_of_kind(*(NodeKind(k) for k in kinds))

    @cached_property
    def exposure(self) -> dict[str, queries.Exposure]:
        return queries.internet_exposure(self.graph)

    @cached_property
    def escalations(self) -> list[queries.Escalation]:
        return queries.escalation_paths(self.graph)

    @cached_property
    def latencies(self) -> dict[str, queries.Latency]:
        """Critical paths below every node with a latency budget (and what lies below)."""
        budgeted = [
            n for n in self.nodes("service", "ingress") if self.graph.nodes[n].get("budget")
        ]
        return queries.critical_paths(self.graph, self.cycles, budgeted)

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
        for u, v, _ in edges_of_kind(self.graph, "calls"):
            index.setdefault(v, set()).add(u)
        return index

    @cached_property
    def forwarders(self) -> dict[str, set[str]]:
        """node -> ingress nodes that forward to it."""
        index: dict[str, set[str]] = {}
        for u, v, _ in edges_of_kind(self.graph, "forwards-to"):
            index.setdefault(v, set()).add(u)
        return index

    def first_out(self, node: str, kind: str) -> str | None:
        """The target of the first edge of `kind` leaving `node`."""
        found = self.graph.out_edges(node, kind)
        return found[0][0] if found else None

    def privileges(self, holder: str) -> frozenset[Privilege]:
        if holder not in self._privileges:
            self._privileges[holder] = queries.privileges(self.graph, holder)
        return self._privileges[holder]
