"""Graph export: the views (calls, network, identity, all) in Mermaid and DOT, merged edges,
one grouping rule per view, changes against a base, JSON; hostile labels."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from policies.export import (
    as_dot,
    as_json,
    as_mermaid,
    dot_drawing,
    dot_string,
    mermaid_drawing,
    mermaid_text,
)
from policies.graph import build_graph
from policies.views import VIEWS, compare, draw
from tests.conftest import slow_examples
from tests.support import ROOT, load_example, load_text

EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/blueprint.yaml"))


def test_mermaid_nests_subnets_in_networks_like_the_seed() -> None:
    text = as_mermaid(build_graph(load_example("aws-fargate-api").blueprint))
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    network = lines.index('  subgraph n3["main 10.0.0.0/16"]')
    private = lines.index('    subgraph n6["private-a 10.0.0.0/19 private"]')
    assert network < private
    assert '      n11["web"]' in lines[private:]
    assert '  n0 -->|"ANY /#123;proxy+#125;"| n1' in lines
    assert '  n1 -->|"8080"| n11' in lines


def test_json_export_lists_typed_nodes_and_edges() -> None:
    doc = json.loads(as_json(build_graph(load_example("kafka-workers").blueprint)))
    kinds = {n["id"]: n["kind"] for n in doc["nodes"]}
    assert kinds["resources.kafka"] == "resource"
    assert kinds["jobs.worker2"] == "job"
    assert {
        "source": "jobs.worker2",
        "target": "resources.warehouse",
        "kind": "writes",
        "table": "table2",
    } in doc["edges"]
    assert all("spec" not in n for n in doc["nodes"])


def unmermaid(label: str) -> str:
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), label)


def undot(quoted: str) -> str:
    assert quoted.startswith('"') and quoted.endswith('"')
    return re.sub(r"\\(.)", r"\1", quoted[1:-1])


hostile = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc")), min_size=1
).filter(lambda s: not s.isspace())


@settings(max_examples=slow_examples(200), deadline=None)
@given(hostile)
def test_mermaid_labels_cannot_break_out(value: str) -> None:
    label = mermaid_text(value)
    assert re.fullmatch(r"[A-Za-z0-9 .,:/_\-()+*=@!?'#;]*", label)
    assert unmermaid(label) == " ".join(value.split())


@settings(max_examples=slow_examples(200), deadline=None)
@given(hostile)
def test_dot_strings_round_trip(value: str) -> None:
    quoted = dot_string(value)
    assert "\n" not in quoted
    assert re.fullmatch(r'"([^"\\]|\\.)*"', quoted)
    assert undot(quoted) == " ".join(value.split())


@settings(max_examples=50, deadline=None)
# Every character the model accepts in a route (it refuses invisible ones: controls, bidi, spaces).
@given(
    st.text(
        st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zs", "Zl", "Zp")),
        max_size=40,
    ).map("/".__add__)
)
# A compatibility ideograph: the model stores the route in NFC, a different character.
@example("/\uf900")
def test_hostile_routes_stay_inside_their_labels(route: str) -> None:
    loaded = load_text(
        f"""
        name: t
        platforms:
          gcp: {{project: example-project, region: europe-west2}}
        ingress:
          web: {{kind: http, routes: {{{json.dumps(route)}: app}}}}
        services:
          app: {{platform: cloud-run}}
        """,
        support=False,
    )
    graph = build_graph(loaded.blueprint)
    mermaid = as_mermaid(graph)
    edge = [ln for ln in mermaid.splitlines() if ln.startswith("  n") and "-->|" in ln]
    labels = [re.fullmatch(r'  n\d+ -->\|"([^"]*)"\| n\d+', ln) for ln in edge]
    assert all(labels)
    stored = unicodedata.normalize("NFC", route)
    assert stored in {unmermaid(m.group(1)) for m in labels if m}
    dot = as_dot(graph)
    found = re.findall(r'n\d+ -> n\d+ \[label=("(?:[^"\\]|\\.)*"), style=\w+\];', dot)
    assert stored in {undot(q) for q in found}


# -- views ---------------------------------------------------------------------------------------


def _mermaid_nodes(text: str) -> dict[str, str]:
    """Mermaid node id -> label, for the node lines of a flowchart."""
    found = re.findall(r'^\s+(n\d+)[\[\(\{/]+"([^"]*)"', text, flags=re.MULTILINE)
    return dict(found)


def _mermaid_edges(text: str) -> list[tuple[str, str, str]]:
    return re.findall(r'^  (n\d+) -\.?->\|"([^"]*)"\| (n\d+)$', text, flags=re.MULTILINE)


def test_aws_calls_view_has_no_network_plumbing() -> None:
    text = as_mermaid(build_graph(load_example("aws-fargate-api").blueprint), "calls")
    labels = set(_mermaid_nodes(text).values())
    assert labels == {
        "api (api-gateway)",
        "lb (load-balancer, internal)",
        "internet",
        "images (registry)",
        "uploads (bucket)",
        "users (user-pool)",
        "web",
    }
    assert "subgraph" not in text
    assert "egress" not in text
    assert [label for _u, label, _v in _mermaid_edges(text)] == [
        "ANY /#123;proxy+#125;",
        "authenticates-with",
        "8080",
        "routes-to tcp/443",
        "pulls",
        "uses read",
    ]


def test_a_worker_and_its_topic_are_joined_by_one_edge_with_one_label() -> None:
    drawing = draw(build_graph(load_example("kafka-workers").blueprint), "calls")
    edges = [(e.source, e.target, e.label, e.kinds) for e in drawing.edges]
    assert ("jobs.worker1", "resources.work1", "subscribes", ("subscribes", "uses")) in edges
    assert ("jobs.worker1", "resources.warehouse", "writes table1", ("uses", "writes")) in edges
    pairs = [(u, v) for u, v, _l, _k in edges]
    assert len(pairs) == len(set(pairs))


def test_calls_view_draws_topics_inside_their_broker() -> None:
    text = as_mermaid(build_graph(load_example("kafka-workers").blueprint), "calls")
    lines = text.splitlines()
    start = lines.index('  subgraph n2["kafka (broker)"]')
    assert lines[start + 1 : start + 4] == [
        '    n4[("work1 (topic)")]',
        '    n5[("work2 (topic)")]',
        "  end",
    ]


@pytest.mark.parametrize("example", EXAMPLES)
@pytest.mark.parametrize("view", VIEWS)
def test_every_view_draws_each_node_once_and_each_pair_once(example: str, view: str) -> None:
    graph = build_graph(load_example(example).blueprint)
    drawing = draw(graph, view)
    text = mermaid_drawing(drawing)
    ids = re.findall(r"^\s+(n\d+)[\[\(\{/]", text, flags=re.MULTILINE)
    assert len(ids) == len(set(ids)) == len(drawing.nodes)
    boxes = re.findall(r"^\s+subgraph (n\d+)\[", text, flags=re.MULTILINE)
    assert len(boxes) == len(set(boxes)) == len(drawing.boxes)
    pairs = [(u, v) for u, _label, v in _mermaid_edges(text)]
    assert len(pairs) == len(set(pairs)) == len(drawing.edges)
    dot = dot_drawing(drawing)
    assert len(re.findall(r"^\s+n\d+ -> n\d+ \[", dot, flags=re.MULTILINE)) == len(drawing.edges)


TWO_SUBNETS = """
    name: t
    platforms:
      aws: {region: eu-west-2}
    networks:
      main:
        cidr: 10.0.0.0/16
        subnets:
          private-a: {cidr: 10.0.0.0/19, zone: a}
          private-b: {cidr: 10.0.32.0/19, zone: b}
    services:
      web:
        platform: aws-fargate
        image: {registry: ghcr.io, repository: web, tag: "1"}
        port: 8080
        subnets: [private-a, private-b]
      one:
        platform: aws-fargate
        image: {registry: ghcr.io, repository: one, tag: "1"}
        port: 8080
        subnets: [private-b]
    """


def test_a_workload_in_two_subnets_is_drawn_once_in_their_network() -> None:
    text = as_mermaid(build_graph(load_text(TWO_SUBNETS).blueprint), "network")
    assert text.splitlines()[1:10] == [
        '  n0(("internet"))',
        '  subgraph n1["main 10.0.0.0/16"]',
        '    subgraph n2["private-a 10.0.0.0/19 private"]',
        "    end",
        '    subgraph n3["private-b 10.0.32.0/19 private"]',
        '      n4["one"]',
        "    end",
        '    n5["web (in private-a, private-b)"]',
        "  end",
    ]
    assert "runs-in" not in text


def test_identity_view_draws_a_derived_identitys_grants_from_the_identity() -> None:
    drawing = draw(build_graph(load_example("aws-fargate-api").blueprint), "identity")
    assert [(e.source, e.target, e.label, e.dashed) for e in drawing.edges] == [
        ("services.web", "services.web.identity", "runs-as", True),
        ("services.web.identity", "resources.uploads", "granted read", True),
    ]


def test_changes_against_a_base_are_marked_in_mermaid_and_dot() -> None:
    base = build_graph(load_example("aws-fargate-api").blueprint)
    text = (ROOT / "examples/aws-fargate-api/blueprint.yaml").read_text()
    text = text.replace("internal: true", "internal: false").replace(
        "    uses:\n      - {resource: uploads, access: read}\n", ""
    )
    head = build_graph(load_text(text).blueprint)
    drawing = compare(draw(base, "calls"), draw(head, "calls"))
    mermaid = mermaid_drawing(drawing)
    assert '  n2 -->|"+ routes-to tcp/8080"| n1' in mermaid
    assert '  n6 -.->|"- uses read"| n4' in mermaid
    assert '  n1(["#126; lb (load-balancer)"])' in mermaid  # ~, as an entity
    assert "  linkStyle 4 stroke:#1a7f37,stroke-width:3px" in mermaid
    assert "  linkStyle 6 stroke:#cf222e,stroke-width:2px,stroke-dasharray:5 5" in mermaid
    dot = dot_drawing(drawing)
    assert (
        'n2 -> n1 [label="+ routes-to tcp/8080", style=solid, color="#1a7f37", penwidth=2];' in dot
    )
    assert 'n6 -> n4 [label="- uses read", style=dashed, color="#cf222e", penwidth=2];' in dot


def test_dot_gives_a_box_that_ends_an_edge_a_node_inside_its_cluster() -> None:
    dot = as_dot(build_graph(load_example("aws-fargate-api").blueprint), "network")
    lines = dot.splitlines()
    cluster = lines.index("    subgraph cluster_n6 {")
    assert lines[cluster + 2] == (
        '      n6 [label="private-a 10.0.0.0/19 private", shape=box, style=dashed, '
        'tooltip="networks.main.subnets.private-a"];'
    )
    assert '  n6 -> n5 [label="egress", style=dashed];' in lines


def test_json_of_a_view_keeps_its_nodes_and_raw_edges() -> None:
    doc = json.loads(as_json(build_graph(load_example("kafka-workers").blueprint), "calls"))
    assert doc["view"] == "calls"
    assert "jobs.worker1.identity" not in {n["id"] for n in doc["nodes"]}
    kinds = sorted(
        e["kind"]
        for e in doc["edges"]
        if (e["source"], e["target"]) == ("jobs.worker1", "resources.work1")
    )
    assert kinds == ["subscribes", "uses"]


def test_graph_cli_views_and_base(tmp_path: Path) -> None:
    from tests.support import run_cli

    example = str(ROOT / "examples/aws-fargate-api/blueprint.yaml")
    code, out, err = run_cli("graph", example, "--view", "calls", "--format", "dot")
    assert (code, err) == (0, "")
    assert "egress" not in out and "internet gateway" not in out
    code, out, err = run_cli("graph", example, "--base", example, "--format", "markdown")
    assert (code, out, err) == (0, "", "")
    head = tmp_path / "blueprint.yaml"
    head.write_text(Path(example).read_text().replace("internal: true", "internal: false"))
    code, out, err = run_cli(
        "graph", str(head), "--view", "calls", "--base", example, "--format", "markdown"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("#### calls view: ")
    assert lines[2] == "Edges marked `+` (green) are new, `-` (red, dashed) removed."
    assert lines[4:6] == ["```mermaid", "flowchart LR"]
    assert '  n2 -->|"+ routes-to tcp/8080"| n1' in lines
    assert lines[-1] == "```"
    code, out, err = run_cli("graph", example, "--base", example, "--format", "json")
    assert (code, out) == (2, "")
    assert err == (
        "blueprint graph: error: --base draws changes; use --format mermaid, dot or markdown\n"
    )


def test_network_view_says_how_a_workload_is_reached_without_ingress() -> None:
    text = as_mermaid(build_graph(load_example("kubernetes-helm").blueprint), "network")
    assert text == (
        'flowchart LR\n  n0(("internet"))\n  n1["hello (node-port 30080, from 10.0.0.0/8)"]\n'
    )
