"""`SystemGraph`: the nodes and edges of a system, their indexes, and its networkx graph.

The indexes are filled while the graph is built (networkx's filtered edge views scan a node's
edges per call, which the rules would repeat for every node) and live here, on the wrapper,
never inside the networkx graph's attribute dict.

The rules read only the node table and the indexes, so the networkx `MultiDiGraph` is built
the first time something asks for it (`nx`, `edges`: the graph export, the diff queries):
adding 51,000 edges one by one to networkx was 0.5 s of a 5,000-service `check` that never
looked at them, and importing networkx another 0.1 s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar, cast

from policies.kinds import EdgeKind, NodeKind

if TYPE_CHECKING:
    import networkx as nx
    from networkx.classes.reportviews import OutMultiEdgeView

    from blueprint.model import Blueprint
    from blueprint.view import SystemView

EdgeData = dict[str, Any]
NodeData = dict[str, Any]
_Derived = TypeVar("_Derived")


class NodeTable(dict[str, Any]):
    """Node id -> attribute dict, read like networkx's node view: `g.nodes[node]`,
    `node in g.nodes`, `g.nodes(data=True)`, `g.nodes(data="kind")`. Read-only by convention:
    the networkx graph, when built, holds copies."""

    def __call__(self, data: bool | str = False, default: Any = None) -> list[Any]:
        if data is False:
            return list(self)
        if data is True:
            return list(self.items())
        return [(node, attrs.get(data, default)) for node, attrs in self.items()]


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
        self,
        name: str,
        nodes: NodeTable,
        edges: list[tuple[str, str, int, EdgeData]],
        index: EdgeIndex,
        blueprint: Blueprint,
        view: SystemView,
    ) -> None:
        self.name = name
        self.nodes = nodes
        self.blueprint = blueprint
        self.view = view
        self._edges = edges  # (source, target, key, data) in insertion order
        self._index = index
        self._derived: dict[Callable[[SystemGraph], Any], Any] = {}
        self._sorted_nodes: dict[tuple[NodeKind, ...], list[str]] = {}

    def derived(self, build: Callable[[SystemGraph], _Derived]) -> _Derived:
        """`build(self)`, computed once per graph: a table several queries or rules read (the
        call adjacency, its components). The graph is not changed after `build_graph`, so the
        table stays true; callers must not change it either."""
        if build not in self._derived:
            self._derived[build] = build(self)
        return cast(_Derived, self._derived[build])

    @cached_property
    def nx(self) -> nx.MultiDiGraph:
        """The networkx `MultiDiGraph` of these nodes and edges (edge keys are insertion
        numbers), built on first use."""
        from blueprint import light_imports

        light_imports.networkx()
        import networkx as nx

        graph: nx.MultiDiGraph = nx.MultiDiGraph(name=self.name)
        graph.add_nodes_from(self.nodes.items())
        graph.add_edges_from(self._edges)
        return graph

    @property
    def edges(self) -> OutMultiEdgeView:
        """networkx's edge view (builds the networkx graph)."""
        return self.nx.edges

    def __contains__(self, node: object) -> bool:
        return node in self.nodes

    def kind(self, node: str) -> NodeKind:
        return NodeKind(self.nodes[node]["kind"])

    def nodes_of_kind(self, *kinds: NodeKind) -> list[str]:
        """Node ids of the given kinds, sorted (a new list: sorted once per set of kinds, as
        every rule asks for the services and jobs)."""
        if kinds not in self._sorted_nodes:
            found: list[str] = []
            for k in kinds:
                found.extend(self._index.nodes_by_kind.get(k, ()))
            self._sorted_nodes[kinds] = sorted(found)
        return list(self._sorted_nodes[kinds])

    def edges_of_kind(self, kind: EdgeKind) -> list[tuple[str, str, EdgeData]]:
        """(source, target, data) of every edge of `kind`, in insertion order."""
        return self._index.by_kind.get(kind, [])

    def out_edges(self, node: str, kind: EdgeKind) -> list[tuple[str, EdgeData]]:
        """(target, data) of the edges of `kind` leaving `node`, in insertion order."""
        return self._index.out.get((node, kind), [])

    def in_edges(self, node: str, kind: EdgeKind) -> list[tuple[str, EdgeData]]:
        """(source, data) of the edges of `kind` entering `node`, in insertion order."""
        return self._index.into.get((node, kind), [])
