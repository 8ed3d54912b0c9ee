"""`SystemGraph`: the networkx `MultiDiGraph` of a system together with its indexes.

The indexes are filled while the graph is built (networkx's filtered edge views scan a node's
edges per call, which the rules would repeat for every node) and live here, on the wrapper,
never inside the networkx graph's attribute dict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from policies.kinds import EdgeKind, NodeKind

if TYPE_CHECKING:
    import networkx as nx
    from networkx.classes.reportviews import NodeView, OutMultiEdgeView

    from blueprint.model import Blueprint
    from blueprint.view import SystemView

EdgeData = dict[str, Any]


@dataclass
class EdgeIndex:
    """Edges by (endpoint, kind) and by kind, in insertion order."""

    out: dict[tuple[str, EdgeKind], list[tuple[str, EdgeData]]] = field(default_factory=dict)
    into: dict[tuple[str, EdgeKind], list[tuple[str, EdgeData]]] = field(default_factory=dict)
    by_kind: dict[EdgeKind, list[tuple[str, str, EdgeData]]] = field(default_factory=dict)
    nodes_by_kind: dict[NodeKind, list[str]] = field(default_factory=dict)

    def add(self, u: str, v: str, kind: EdgeKind, data: EdgeData) -> None:
        self.out.setdefault((u, kind), []).append((v, data))
        self.into.setdefault((v, kind), []).append((u, data))
        self.by_kind.setdefault(kind, []).append((u, v, data))


class SystemGraph:
    """The system graph of one blueprint, built by `policies.graph.build_graph`."""

    def __init__(
        self, graph: nx.MultiDiGraph, index: EdgeIndex, blueprint: Blueprint, view: SystemView
    ) -> None:
        self.nx = graph
        self.blueprint = blueprint
        self.view = view
        self._index = index

    @property
    def name(self) -> str:
        return str(self.nx.graph.get("name", ""))

    @property
    def nodes(self) -> NodeView:
        """networkx's node view: `g.nodes[node]` is the node's attribute dict."""
        return self.nx.nodes

    @property
    def edges(self) -> OutMultiEdgeView:
        return self.nx.edges

    def __contains__(self, node: object) -> bool:
        return node in self.nx

    def kind(self, node: str) -> NodeKind:
        return NodeKind(self.nx.nodes[node]["kind"])

    def nodes_of_kind(self, *kinds: NodeKind) -> list[str]:
        """Node ids of the given kinds, sorted."""
        found: list[str] = []
        for k in kinds:
            found.extend(self._index.nodes_by_kind.get(k, ()))
        return sorted(found)

    def edges_of_kind(self, kind: EdgeKind) -> list[tuple[str, str, EdgeData]]:
        """(source, target, data) of every edge of `kind`, in insertion order."""
        return self._index.by_kind.get(kind, [])

    def out_edges(self, node: str, kind: EdgeKind) -> list[tuple[str, EdgeData]]:
        """(target, data) of the edges of `kind` leaving `node`, in insertion order."""
        return self._index.out.get((node, kind), [])

    def in_edges(self, node: str, kind: EdgeKind) -> list[tuple[str, EdgeData]]:
        """(source, data) of the edges of `kind` entering `node`, in insertion order."""
        return self._index.into.get((node, kind), [])
