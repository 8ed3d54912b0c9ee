"""The check's fast paths answer exactly as the slow ones they replaced.

Each fast path (a table built once per graph, a sort by field tuples, the findings JSON written
directly, SARIF through `dumps_indented`) is compared with the straightforward computation on
every example, the realistic blueprints, a synthetic system, and generated values.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.check_scaling import synthetic
from blueprint.loader import Loaded, load
from blueprint.view import (
    _CONNECTION_FIELDS,
    _EXPOSURE_FIELDS,
    Connection,
    Exposure,
    ExposureKind,
    Reason,
    SystemView,
    _sorted_unique,
)
from policies import positions, queries, report
from policies.engine import run_checks
from policies.findings import Finding
from policies.graph import (
    SystemGraph,
    build_graph,
    edges_of_kind,
    in_edges,
    nodes_of_kind,
    out_edges,
)
from policies.kinds import EdgeKind
from policies.queries.blast import DEPENDENCY_EDGES, _dependents
from policies.queries.calls import call_adjacency, strongly_connected
from policies.queries.privilege import REQUIRING_EDGES, Requirement
from tests.conftest import slow_examples
from tests.support import load_example, load_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/blueprint.yaml"))
REALISTIC = sorted((ROOT / "tests/policies/realistic").glob("*.yaml"))


def _loaded(name: str) -> Loaded:
    if name == "synthetic":
        return load_text(synthetic(120))
    if name.startswith("realistic/"):
        path = ROOT / "tests/policies" / name
        return load(path, name=path.name, support=False)
    return load_example(name)


BLUEPRINTS = [*EXAMPLES, *(f"realistic/{p.name}" for p in REALISTIC), "synthetic"]


@pytest.fixture(scope="module", params=BLUEPRINTS)
def graph(request: pytest.FixtureRequest) -> SystemGraph:
    return build_graph(_loaded(request.param).blueprint)


def _workloads(g: SystemGraph) -> list[str]:
    return nodes_of_kind(g, "service", "job")


def test_call_edges_are_the_call_edges_in_declaration_order(graph: SystemGraph) -> None:
    for node in _workloads(graph):
        calls = sorted(out_edges(graph, node, "calls"), key=lambda e: int(e[1]["order"]))
        slow = [(v, float(d["latency"]), bool(d["parallel"])) for v, d in calls]
        assert queries.call_edges(graph, node) == slow


def test_call_components_are_those_of_the_adjacency(graph: SystemGraph) -> None:
    adj, components = queries.call_components(graph)
    assert adj == call_adjacency(graph)
    assert components == strongly_connected(call_adjacency(graph))
    # Asked again: the same tables, not rebuilt.
    assert queries.call_components(graph)[0] is adj


def test_dependents_of_every_resource_are_the_direct_dependents(graph: SystemGraph) -> None:
    table = _dependents(graph, call_adjacency(graph))
    for resource in nodes_of_kind(graph, "resource"):
        assert sorted(table.get(resource, ())) == queries.direct_dependents(graph, resource)
    assert DEPENDENCY_EDGES  # the kinds both read


def test_blast_radius_is_the_transitive_callers_of_the_dependents(graph: SystemGraph) -> None:
    callers: dict[str, set[str]] = {}
    for u, vs in call_adjacency(graph).items():
        for v in vs:
            callers.setdefault(v, set()).add(u)
    expected: dict[str, tuple[str, ...]] = {}
    for resource in nodes_of_kind(graph, "resource"):
        if not graph.nodes[resource].get("datastore"):
            continue
        stopped = set(queries.direct_dependents(graph, resource))
        frontier = list(stopped)
        while frontier:
            for caller in callers.get(frontier.pop(), ()):
                if caller not in stopped:
                    stopped.add(caller)
                    frontier.append(caller)
        if stopped:
            expected[resource] = tuple(sorted(stopped))
    assert queries.blast_radius(graph) == expected


def test_required_access_is_read_from_each_requiring_edge(graph: SystemGraph) -> None:
    for node in _workloads(graph):
        slow = [
            Requirement(v, fixed or queries.ACCESS[d["access"]], kind)
            for kind, fixed in REQUIRING_EDGES.items()
            for v, d in out_edges(graph, node, kind)
        ]
        assert queries.required_access(graph, node) == slow
        # A fresh list each time: a caller may extend it (justified_access does).
        assert queries.required_access(graph, node) is not queries.required_access(graph, node)


def test_edge_lookups_by_name_still_refuse_an_unknown_kind(graph: SystemGraph) -> None:
    with pytest.raises(ValueError, match="'call' is not a valid EdgeKind"):
        out_edges(graph, "internet", "call")
    with pytest.raises(ValueError, match="'call' is not a valid EdgeKind"):
        in_edges(graph, "internet", "call")
    with pytest.raises(ValueError, match="'call' is not a valid EdgeKind"):
        edges_of_kind(graph, "call")
    # A name and its member find the same edges.
    for kind in EdgeKind:
        assert edges_of_kind(graph, kind.value) == graph.edges_of_kind(kind)
        for node in ("internet", *nodes_of_kind(graph, "service")[:3]):
            assert out_edges(graph, node, kind.value) == graph.out_edges(node, kind)
            assert in_edges(graph, node, kind.value) == graph.in_edges(node, kind)


# -- the view's sorted, deduplicated connections and exposures --------------------------------

NAMES = st.sampled_from(["services.a", "services.b", "ingress.lb", "internet", "jobs.j"])
PORTS = st.one_of(st.none(), st.integers(0, 3))
CONNECTIONS = st.builds(
    Connection,
    NAMES,
    NAMES,
    st.integers(0, 3),
    st.sampled_from(["tcp", "udp", "https"]),
    st.sampled_from(list(Reason)),
)
EXPOSURES = st.builds(
    Exposure,
    NAMES,
    st.sampled_from(list(ExposureKind)),
    st.integers(0, 3),
    st.sampled_from(["tcp", "udp"]),
    st.lists(st.sampled_from(["0.0.0.0/0", "10.0.0.0/8", "::/0"]), max_size=2).map(tuple),
)


@settings(max_examples=slow_examples(300))
@given(st.lists(CONNECTIONS, max_size=30), st.lists(EXPOSURES, max_size=30))
def test_sorted_unique_is_sorted_set(
    connections: list[Connection], exposures: list[Exposure]
) -> None:
    assert _sorted_unique(connections, _CONNECTION_FIELDS) == tuple(sorted(set(connections)))
    assert _sorted_unique(exposures, _EXPOSURE_FIELDS) == tuple(sorted(set(exposures)))


def test_sorted_unique_fails_where_sorting_the_set_fails() -> None:
    mixed = [
        Connection("a", "b", None, "tcp", Reason.CALL),
        Connection("a", "b", 1, "tcp", Reason.CALL),
    ]
    with pytest.raises(TypeError):
        sorted(set(mixed))
    with pytest.raises(TypeError):
        _sorted_unique(mixed, _CONNECTION_FIELDS)


# -- reports ------------------------------------------------------------------------------

TEXT = st.text(st.characters(codec="utf-8"), max_size=12)  # escapes, controls, non-ASCII
FINDINGS = st.builds(
    Finding,
    rule_id=TEXT,
    severity=st.sampled_from(["error", "warning", "note"]),
    message=TEXT,
    subject=TEXT,
    evidence=st.lists(TEXT, max_size=3).map(tuple),
    file=TEXT,
    line=st.integers(-5, 10**12),
    col=st.integers(-5, 10**6),
    waived_by=st.none() | TEXT,
)


def _json_slow(findings: list[Finding]) -> str:
    rows = [report._row(f) for f in findings]
    return json.dumps({"findings": rows}, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@settings(max_examples=slow_examples(400))
@given(st.lists(FINDINGS, max_size=4))
def test_findings_json_is_json_dumps(findings: list[Finding]) -> None:
    assert report.as_json(findings) == _json_slow(findings)


def test_reports_of_other_field_types_are_left_to_json_dumps() -> None:
    odd = [
        Finding("BP3003", "note", "m", "s", line=True, col=2),  # a bool is an int to mypy
        # Types a Finding is not declared with, on purpose: still written as json.dumps does.
        Finding("BP3003", "note", "m", "s", evidence=["a"]),  # type: ignore[arg-type]
        Finding("BP3003", "note", "m", "s", waived_by=3),  # type: ignore[arg-type]
    ]
    for finding in odd:
        assert report.as_json([finding]) == _json_slow([finding])
        assert report.render([finding], "sarif") == _sarif_slow([finding])
    assert '"line": true' in report.as_json(odd[:1])


@pytest.mark.parametrize("name", [*EXAMPLES, "synthetic"])
def test_reports_of_every_example_are_those_of_json_dumps(name: str) -> None:
    findings = run_checks(_loaded(name))
    assert report.render(findings, "json") == _json_slow(findings)
    expected = json.dumps(report.sarif(findings), indent=2, sort_keys=True, ensure_ascii=False)
    assert report.render(findings, "sarif") == expected + "\n"


# -- positions: a flow collection's plain scalars -------------------------------------------


def _plain_end_by_loop(line: str, i: int) -> int:
    """Where a plain scalar in a flow collection ends, as the index read it before."""
    j = i
    while j < len(line) and line[j] not in ",}]":
        if line[j] == ":" and (j + 1 == len(line) or line[j + 1] in " ,}]"):
            break
        j += 1
    return j


@settings(max_examples=slow_examples(2000))
@given(st.text(st.sampled_from("ab :,}]\t\r{['\"#"), max_size=12), st.integers(0, 12))
def test_flow_plain_scalar_ends_where_the_loop_ended(line: str, start: int) -> None:
    start = min(start, len(line))
    flow = positions._Flow(line, 1, lambda *_: None)
    if start < len(line) and line[start] not in "{[\"'&*!|>":
        assert flow.value(start, ()) == _plain_end_by_loop(line, start)
    spaces = start
    while spaces < len(line) and line[spaces] == " ":
        spaces += 1
    if spaces < len(line):
        assert flow.skip(start) == spaces
    else:
        with pytest.raises(positions._UnsupportedError):
            flow.skip(start)


def test_the_check_never_builds_the_views_connections() -> None:
    """They are built on first use (`SystemView.connections`): the rules read the exposures,
    the generators and `blueprint graph` read the connections."""
    loaded = load_example("aws-fargate-api")
    run_checks(loaded)
    view = SystemView.of(loaded.blueprint)
    assert "connections" not in vars(view)
    assert Connection("internet", "ingress.api", 443, "tcp", Reason.EXPOSURE) in view.connections
    assert "connections" in vars(view)


def test_nodes_of_kind_are_sorted_fresh_lists(graph: SystemGraph) -> None:
    kinds = ("service", "job")
    slow = sorted(n for n, k in graph.nodes(data="kind") if k in kinds)
    first = nodes_of_kind(graph, *kinds)
    assert first == slow
    first.append("changed by a caller")
    assert nodes_of_kind(graph, *kinds) == slow
    assert nodes_of_kind(graph, "job", "service") == slow


def _sarif_slow(findings: list[Finding]) -> str:
    return json.dumps(report.sarif(findings), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@settings(max_examples=slow_examples(300))
@given(st.lists(FINDINGS, max_size=3), st.sampled_from(["BP3003", "BP9999", None]))
def test_sarif_is_json_dumps(findings: list[Finding], rule_id: str | None) -> None:
    if rule_id is not None:  # a registered rule (with a ruleIndex) or an unknown one
        findings = [dataclasses.replace(f, rule_id=rule_id) for f in findings]
    assert report.render(findings, "sarif") == _sarif_slow(findings)
