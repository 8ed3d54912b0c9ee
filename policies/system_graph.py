"""`SystemGraph`: the nodes and edges of a system, their indexes, and its networkx graph.

The builder only appends the edges, in order; the indexes (edges by kind, and by endpoint for
each kind) are built here, on the wrapper, the first time a kind is asked for (one pass per
kind, where indexing all 51,000 edges of a 5,000-service system as they were added cost
0.1 s), never inside the networkx graph's attribute dict. networkx's filtered edge views would
scan a node's edges per call, which the rules would repeat for every node.

The rules read only the node table and the indexes, so the networkx `MultiDiGraph` is built
the first time something asks for it (`nx`, `edges`: the graph export, the diff queries):
adding 51,000 edges one by one to networkx was 0.5 s of a 5,000-service `check` that never
looked at them, and importing networkx another 0.1 s.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar, cast

from policies.kinds import EdgeKind, NodeKind

if TYPE_CHECKING:
    import networkx as nx
    from networkx.classes.reportviews import OutMultiEdgeView

    from blueprint.model import Blueprint
    from blueprint.view import SystemView

EdgeData = dict[str, Any]
Edge = tuple[str, str, EdgeData]  # (source, target, data)
_EndpointIndex = dict[str, list[tuple[str, EdgeData]]]  # endpoint -> (other end, data)
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


class SystemGraph:
    """The system graph of one blueprint, built by `policies.graph.build_graph`."""

    def __init__(
        self,
        name: str,
        nodes: NodeTable,
        nodes_by_kind: dict[NodeKind, list[str]],
        edges: list[Edge],
        blueprint: Blueprint,
        view: SystemView,
    ) -> None:
        self.name = name
        self.nodes = nodes
        self.blueprint = blueprint
        self.view = view
        self._nodes_by_kind = nodes_by_kind  # in insertion order
        self._edges = edges  # (source, target, data) in insertion order
        # Edge kind -> endpoint -> its edges of that kind, built per kind on first ask.
        self._out: dict[str, _EndpointIndex] = {}
        self._into: dict[str, _EndpointIndex] = {}
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
        graph.add_edges_from((u, v, key, data) for key, (u, v, data) in enumerate(self._edges))
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
                found.extend(self._nodes_by_kind.get(k, ()))
            self._sorted_nodes[kinds] = sorted(found)
        return list(self._sorted_nodes[kinds])

    @cached_property
    def _by_kind(self) -> dict[str, list[Edge]]:
        by_kind: dict[str, list[Edge]] = {}
        for edge in self._edges:
            by_kind.setdefault(edge[2]["kind"], []).append(edge)
        return by_kind

    def edges_of_kind(self, kind: str) -> list[Edge]:
        """(source, target, data) of every edge of `kind` (an EdgeKind, or its name: an
        unknown name raises EdgeKind's ValueError), in insertion order."""
        found = self._by_kind.get(kind)
        if found is None:
            found = self._by_kind.get(EdgeKind(kind), [])
        return found

    def out_edges(self, node: str, kind: str) -> list[tuple[str, EdgeData]]:
        """(target, data) of the edges of `kind` leaving `node`, in insertion order."""
        index = self._out.get(kind)  # a name finds its member: a StrEnum hashes as its value
        if index is None:
            index = self._endpoint_index(self._out, kind, outgoing=True)
        return index.get(node, [])

    def in_edges(self, node: str, kind: str) -> list[tuple[str, EdgeData]]:
        """(source, data) of the edges of `kind` entering `node`, in insertion order."""
        index = self._into.get(kind)
        if index is None:
            index = self._endpoint_index(self._into, kind, outgoing=False)
        return index.get(node, [])

    def _endpoint_index(
        self, table: dict[str, _EndpointIndex], kind: str, *, outgoing: bool
    ) -> _EndpointIndex:
        """The edges of `kind` by their source (`outgoing`) or target, each with the other end,
        built the first time a rule asks for that kind and kept in `table`."""
        member = EdgeKind(kind)
        index: _EndpointIndex = {}
        for u, v, data in self._by_kind.get(member, ()):
            if outgoing:
                index.setdefault(u, []).append((v, data))
            else:
                index.setdefault(v, []).append((u, data))
        table[member] = index
        return index
