"""Graph export: Mermaid with subgraphs per network and subnet, DOT, JSON; hostile labels."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from policies.export import as_dot, as_json, as_mermaid, dot_string, mermaid_text
from policies.graph import build_graph
from tests.support import load_example, load_text


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


@settings(max_examples=200, deadline=None)
@given(hostile)
def test_mermaid_labels_cannot_break_out(value: str) -> None:
    label = mermaid_text(value)
    assert re.fullmatch(r"[A-Za-z0-9 .,:/_\-()+*=@!?'#;]*", label)
    assert unmermaid(label) == " ".join(value.split())


@settings(max_examples=200, deadline=None)
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
        """
    )
    graph = build_graph(loaded.blueprint)
    mermaid = as_mermaid(graph)
    edge = [ln for ln in mermaid.splitlines() if ln.startswith("  n") and "-->|" in ln]
    labels = [re.fullmatch(r'  n\d+ -->\|"([^"]*)"\| n\d+', ln) for ln in edge]
    assert all(labels)
    assert route in {unmermaid(m.group(1)) for m in labels if m}
    dot = as_dot(graph)
    found = re.findall(r'n\d+ -> n\d+ \[label=("(?:[^"\\]|\\.)*"), style=\w+\];', dot)
    assert route in {undot(q) for q in found}
