"""Exporting the system graph: Mermaid (renders on GitHub), Graphviz DOT, JSON.

Node ids in Mermaid and DOT are generated (`n0`, `n1`, ...) and every label is quoted and
escaped, so no name or free text can break out of the diagram syntax.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from policies.system_graph import SystemGraph

FORMATS = ("mermaid", "dot", "json")
# Edges drawn as structure (subgraph nesting) rather than arrows.
STRUCTURAL = frozenset({"part-of"})
SKIPPED_ATTRS = frozenset({"spec", "kind"})


def export(graph: SystemGraph, fmt: str) -> str:
    if fmt == "json":
        return as_json(graph)
    if fmt == "dot":
        return as_dot(graph)
    if fmt == "mermaid":
        return as_mermaid(graph)
    raise ValueError(f"unknown graph format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, tuple | list):
        return [_plain(x) for x in value]
    return str(value)


def _edges(graph: SystemGraph) -> list[tuple[str, str, dict[str, Any]]]:
    rows = [
        (u, v, {k: _plain(x) for k, x in d.items() if k != "spec"})
        for u, v, d in graph.edges(data=True)
    ]
    return sorted(rows, key=lambda e: (e[0], e[1], json.dumps(e[2], sort_keys=True)))


def as_json(graph: SystemGraph) -> str:
    nodes = [
        {"id": n, **{k: _plain(v) for k, v in d.items() if k != "spec"}}
        for n, d in sorted(graph.nodes(data=True))
    ]
    edges = [{"source": u, "target": v, **d} for u, v, d in _edges(graph)]
    # The view's connections: who may connect to whom, on which port, and why.
    connections = [
        {
            "source": c.source,
            "destination": c.destination,
            "port": c.port,
            "protocol": c.protocol,
            "reason": str(c.reason),
        }
        for c in graph.view.connections
    ]
    doc = {"name": graph.name, "nodes": nodes, "edges": edges, "connections": connections}
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# -- layout shared by Mermaid and DOT ----------------------------------------------------------


def _placement(graph: SystemGraph) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(node -> the subnet or network box it is drawn in, box -> its member nodes)."""
    box: dict[str, str] = {}
    for node, kind in graph.nodes(data="kind"):
        if kind == "subnet":
            box[node] = f"networks.{graph.nodes[node]['network']}"
        elif kind == "gateway" and graph.nodes[node].get("gateway") == "igw":
            box[node] = node.rsplit(".", 1)[0]
    for u, v, kind in sorted(graph.edges(data="kind")):
        if kind == "runs-in" and u not in box:
            box[u] = v
    members: dict[str, list[str]] = {}
    for node in sorted(box):
        members.setdefault(box[node], []).append(node)
    return box, members


def _edge_label(d: dict[str, Any]) -> str:
    kind = str(d.get("kind", ""))
    if kind == "calls":
        lat = float(d.get("latency") or 0.0)
        label = f"calls {lat:g} s" if lat else "calls"
        return label + (" (parallel)" if d.get("parallel") else "")
    if kind in ("uses", "granted"):
        return f"{kind} {d.get('access')}"
    if kind == "forwards-to" and d.get("via") is not None:
        return f"{d.get('via')}"
    if kind == "writes" and d.get("table"):
        return f"writes {d.get('table')}"
    return kind


def _node_label(graph: SystemGraph, node: str) -> str:
    d = graph.nodes[node]
    label = str(d.get("label", node))
    kind = d.get("kind")
    if kind == "subnet":
        return f"{label} {d.get('cidr')}" + (" public" if d.get("public") else " private")
    if kind == "network":
        return f"{label} {d.get('cidr')}"
    if kind == "resource":
        return f"{label} ({d.get('resource_kind')})"
    if kind == "ingress":
        return f"{label} ({d.get('ingress_kind')}{'' if d.get('public') else ', internal'})"
    if kind == "principal":
        return f"{label} ({d.get('principal_kind')})"
    if kind == "scope":
        return f"scope {label}"
    return label


# -- Mermaid -----------------------------------------------------------------------------------


def mermaid_text(value: str) -> str:
    """A label safe inside Mermaid double quotes: entity codes for every character that could
    end the string or be read as markup, whitespace folded to single spaces."""
    out = []
    for ch in " ".join(value.split()):
        if (ch.isalnum() and ch.isascii()) or ch in " .,:/_-()+*=@!?'":
            out.append(ch)
        else:
            out.append(f"#{ord(ch)};")
    return "".join(out)


MERMAID_SHAPES = {
    "internet": ("((", "))"),
    "gateway": ("{{", "}}"),
    "ingress": ("([", "])"),
    "resource": ("[(", ")]"),
    "principal": ("[[", "]]"),
    "scope": ("[/", "/]"),
}


def as_mermaid(graph: SystemGraph) -> str:
    ids = {n: f"n{i}" for i, n in enumerate(sorted(graph.nodes))}

    def node_line(node: str, indent: str) -> str:
        open_, close = MERMAID_SHAPES.get(str(graph.nodes[node].get("kind")), ("[", "]"))
        return f'{indent}{ids[node]}{open_}"{mermaid_text(_node_label(graph, node))}"{close}'

    def box_lines(box: str, indent: str) -> tuple[list[str], str]:
        label = mermaid_text(_node_label(graph, box))
        return [f'{indent}subgraph {ids[box]}["{label}"]'], f"{indent}end"

    lines = ["flowchart LR", *_nested(graph, node_line, box_lines)]
    for u, v, d, dashed in _drawn_edges(graph):
        arrow = "-.->" if dashed else "-->"
        lines.append(f'  {ids[u]} {arrow}|"{mermaid_text(_edge_label(d))}"| {ids[v]}')
    return "\n".join(lines) + "\n"


# -- shared by both drawings ---------------------------------------------------------------------

_DASHED = frozenset({"egress", "granted", "member-of", "can-assume"})


def _nested(
    graph: SystemGraph,
    node_line: Callable[[str, str], str],
    box_lines: Callable[[str, str], tuple[list[str], str]],
) -> list[str]:
    """Every node once, networks and subnets drawn as boxes around what they hold."""
    _box, members = _placement(graph)
    lines: list[str] = []

    def draw_box(box: str, indent: str) -> None:
        opening, closing = box_lines(box, indent)
        lines.extend(opening)
        for member in members.get(box, []):
            if member in members:
                draw_box(member, indent + "  ")
            else:
                lines.append(node_line(member, indent + "  "))
        lines.append(closing)

    placed = {m for ms in members.values() for m in ms}
    for node in sorted(graph.nodes):
        if node in placed:
            continue
        if node in members:
            draw_box(node, "  ")
        else:
            lines.append(node_line(node, "  "))
    return lines


def _drawn_edges(graph: SystemGraph) -> Iterator[tuple[str, str, dict[str, Any], bool]]:
    """The edges a drawing shows (placement is drawn by nesting), and whether dashed."""
    box, _members = _placement(graph)
    for u, v, d in _edges(graph):
        kind = d.get("kind")
        if kind in STRUCTURAL or (kind == "runs-in" and box.get(u) == v):
            continue
        yield u, v, d, kind in _DASHED


# -- DOT ---------------------------------------------------------------------------------------


def dot_string(value: str) -> str:
    """A DOT double-quoted string whose text renders exactly as `value` (one line)."""
    escaped = " ".join(value.split()).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


DOT_SHAPES = {
    "internet": "doublecircle",
    "gateway": "hexagon",
    "ingress": "invhouse",
    "resource": "cylinder",
    "principal": "component",
    "scope": "folder",
}


def as_dot(graph: SystemGraph) -> str:
    ids = {n: f"n{i}" for i, n in enumerate(sorted(graph.nodes))}

    def node_line(node: str, indent: str) -> str:
        shape = DOT_SHAPES.get(str(graph.nodes[node].get("kind")), "box")
        label = dot_string(_node_label(graph, node))
        return f"{indent}{ids[node]} [label={label}, shape={shape}, tooltip={dot_string(node)}];"

    def box_lines(box: str, indent: str) -> tuple[list[str], str]:
        label = dot_string(_node_label(graph, box))
        return [
            f"{indent}subgraph cluster_{ids[box]} {{",
            f"{indent}  label={label};",
        ], f"{indent}}}"

    name = dot_string(graph.name or "blueprint")
    lines = [f"digraph {name} {{", "  rankdir=LR;", *_nested(graph, node_line, box_lines)]
    for u, v, d, dashed in _drawn_edges(graph):
        style = "dashed" if dashed else "solid"
        lines.append(f"  {ids[u]} -> {ids[v]} [label={dot_string(_edge_label(d))}, style={style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
