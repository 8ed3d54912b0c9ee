"""The graph builder's fast paths answer exactly as the builder they replaced
(`tests/policies/reference.py`): the same nodes with the same attributes in the same
order, the same edges in the same order with the same attribute dicts (key order included),
and the lazily built per-kind indexes equal to the indexes filled edge by edge."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from benchmarks.check_scaling import synthetic
from blueprint.errors import BlueprintError
from blueprint.loader import Loaded, load
from policies import queries
from policies.graph import build_graph
from policies.kinds import EdgeKind, NodeKind
from policies.system_graph import SystemGraph
from tests.conftest import slow_examples
from tests.policies import reference
from tests.policies.reference import ReferenceGraph, reference_graph
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


def test_critical_paths_are_the_reference_critical_paths(
    graphs: tuple[SystemGraph, ReferenceGraph],
) -> None:
    fast, _ = graphs
    _assert_critical_paths_agree(fast)


def _assert_critical_paths_agree(g: SystemGraph) -> None:
    cycles = queries.call_cycles(g)
    workloads = g.nodes_of_kind(NodeKind.SERVICE, NodeKind.INGRESS)
    budgeted = [n for n in workloads if g.nodes[n].get("budget")]
    assert queries.critical_paths(g) == reference.critical_paths(g)
    assert queries.critical_paths(g, cycles, budgeted) == reference.critical_paths(
        g, cycles, budgeted
    )


@st.composite
def _call_systems(draw: st.DrawFn) -> str:
    """A blueprint of services calling each other (cycles included) behind ingresses, some
    with latency budgets."""
    n = draw(st.integers(1, 7))
    lines = ["name: calls", "platforms:", "  kubernetes: {namespace: calls}", "services:"]
    for i in range(n):
        lines += [f"  s{i}:", "    platform: kubernetes"]
        if draw(st.booleans()):
            lines.append(f"    latency_budget: {draw(st.sampled_from([0.5, 1.0, 3.0]))}")
        others = [j for j in range(n) if j != i]
        calls = draw(st.lists(st.sampled_from(others), max_size=3)) if others else []
        if calls:
            lines.append("    calls:")
        for callee in calls:
            latency = draw(st.sampled_from([0, 0.1, 0.25, 1.5]))
            parallel = str(draw(st.booleans())).lower()
            lines.append(
                f"      - {{service: s{callee}, latency: {latency}, parallel: {parallel}}}"
            )
    ingresses = draw(st.integers(0, 3))
    if ingresses:
        lines.append("ingress:")
    for i in range(ingresses):
        lines += [f"  i{i}:", "    kind: http", "    public: true", "    routes:"]
        targets = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3, unique=True))
        lines += [f"      /r{k}: s{t}" for k, t in enumerate(targets)]
        if draw(st.booleans()):
            lines.append("    latency_budget: 1.0")
    return "\n".join(lines) + "\n"


@settings(max_examples=slow_examples(300), deadline=None)
@given(_call_systems())
def test_critical_paths_agree_on_generated_call_graphs(text: str) -> None:
    try:
        loaded = load_text(text, support=False)
    except BlueprintError:
        assume(False)
        return
    _assert_critical_paths_agree(build_graph(loaded.blueprint))


def test_call_components_are_the_reference_components(
    graphs: tuple[SystemGraph, ReferenceGraph],
) -> None:
    adj = queries.call_adjacency(graphs[0])
    assert queries.strongly_connected(adj) == reference.strongly_connected(adj)


NODE_NAMES = st.sampled_from([f"n{i}" for i in range(9)])


@settings(max_examples=slow_examples(500), deadline=None)
@given(st.dictionaries(NODE_NAMES, st.lists(NODE_NAMES, max_size=4), max_size=9))
def test_components_agree_on_generated_graphs(adj: dict[str, list[str]]) -> None:
    # Callees that are not keys included (the adjacency of a partial graph), self-calls and
    # repeated callees too: the same components, in the same order, members in the same order.
    assert queries.strongly_connected(adj) == reference.strongly_connected(adj)
