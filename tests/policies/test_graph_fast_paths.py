"""The graph builder's fast paths answer exactly as the builder they replaced
(`tests/policies/graph_reference.py`): the same nodes with the same attributes in the same
order, the same edges in the same order with the same attribute dicts (key order included),
and the lazily built per-kind indexes equal to the indexes filled edge by edge."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.check_scaling import synthetic
from blueprint.loader import Loaded, load
from policies.graph import build_graph
from policies.kinds import EdgeKind, NodeKind
from policies.system_graph import SystemGraph
from tests.policies.graph_reference import ReferenceGraph, reference_graph
from tests.support import load_example, load_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/blueprint.yaml"))
REALISTIC = sorted((ROOT / "tests/policies/realistic").glob("*.yaml"))
BLUEPRINTS = [
    *EXAMPLES,
    *(f"realistic/{p.name}" for p in REALISTIC),
    "synthetic-120",
    "synthetic-400",
]


def _loaded(name: str) -> Loaded:
    if name.startswith("synthetic-"):
        return load_text(synthetic(int(name.removeprefix("synthetic-"))))
    if name.startswith("realistic/"):
        path = ROOT / "tests/policies" / name
        return load(path, name=path.name, support=False)
    return load_example(name)


@pytest.fixture(scope="module", params=BLUEPRINTS)
def graphs(request: pytest.FixtureRequest) -> tuple[SystemGraph, ReferenceGraph]:
    bp = _loaded(request.param).blueprint
    return build_graph(bp), reference_graph(bp)


def test_the_nodes_are_the_reference_nodes_in_order(
    graphs: tuple[SystemGraph, ReferenceGraph],
) -> None:
    fast, slow = graphs
    assert [(n, list(d.items())) for n, d in fast.nodes.items()] == [
        (n, list(d.items())) for n, d in slow.nodes.items()
    ]
    for kind in NodeKind:
        assert fast.nodes_of_kind(kind) == sorted(slow.nodes_by_kind.get(kind, []))


def test_the_edges_are_the_reference_edges_in_order(
    graphs: tuple[SystemGraph, ReferenceGraph],
) -> None:
    fast, slow = graphs
    assert [(u, v, k, list(d.items())) for u, v, k, d in fast.edges(keys=True, data=True)] == [
        (u, v, k, list(d.items())) for u, v, k, d in _networkx_order(slow)
    ]


def _networkx_order(slow: ReferenceGraph) -> list[tuple[str, str, int, dict[str, object]]]:
    """networkx lists a node's out-edges together, nodes in insertion order (a node enters
    the graph when it is added, or as an edge's endpoint)."""
    import networkx as nx

    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    graph.add_nodes_from(slow.nodes.items())
    graph.add_edges_from(slow.keyed_edges)
    return list(graph.edges(keys=True, data=True))


def test_the_indexes_are_those_filled_edge_by_edge(
    graphs: tuple[SystemGraph, ReferenceGraph],
) -> None:
    fast, slow = graphs
    for kind in EdgeKind:
        assert fast.edges_of_kind(kind) == slow.by_kind.get(kind, [])
        for node in slow.nodes:
            assert fast.out_edges(node, kind) == slow.out.get((node, kind), [])
            assert fast.in_edges(node, kind) == slow.into.get((node, kind), [])
    # An edge's data is one dict, shared by every index (as the reference's was).
    for u, v, data in fast.edges_of_kind(EdgeKind.USES):
        assert any(d is data for _, d in fast.out_edges(u, EdgeKind.USES))
        assert any(d is data for _, d in fast.in_edges(v, EdgeKind.USES))
