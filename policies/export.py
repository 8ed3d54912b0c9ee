"""Exporting the system graph: Mermaid (renders on GitHub), Graphviz DOT, JSON.

Mermaid and DOT draw a view's `Drawing` (policies.views), so both show the same nodes, boxes
and merged edges. Node ids in Mermaid and DOT are generated (`n0`, `n1`, ...) and every label
is quoted and escaped, so no name or free text can break out of the diagram syntax. A drawing
compared with a base (policies.views.compare) marks added edges `+` in green and removed ones
`-` in red, dashed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from policies.views import VIEWS, Box, Drawing, DrawnEdge, DrawnNode, draw, view_subgraph

if TYPE_CHECKING:
    from policies.system_graph import SystemGraph

FORMATS = ("mermaid", "dot", "json")
__all__ = ["FORMATS", "VIEWS", "as_dot", "as_json", "as_mermaid", "export"]


def export(graph: SystemGraph, fmt: str, view: str = "all") -> str:
    if fmt == "json":
        return as_json(graph, view)
    if fmt == "dot":
        return dot_drawing(draw(graph, view))
    if fmt == "mermaid":
        return mermaid_drawing(draw(graph, view))
    raise ValueError(f"unknown graph format {fmt!r}; expected one of {', '.join(FORMATS)}")


def as_mermaid(graph: SystemGraph, view: str = "all") -> str:
    return mermaid_drawing(draw(graph, view))


def as_dot(graph: SystemGraph, view: str = "all") -> str:
    return dot_drawing(draw(graph, view))


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, tuple | list):
        return [_plain(x) for x in value]
    return str(value)


def as_json(graph: SystemGraph, view: str = "all") -> str:
    """The graph's typed nodes and edges (every edge, not merged: this is data, not a picture),
    limited to what `view` shows."""
    node_ids, pairs = (sorted(graph.nodes), None) if view == "all" else view_subgraph(graph, view)
    wanted = set(node_ids)
    nodes = [
        {"id": n, **{k: _plain(v) for k, v in graph.nodes[n].items() if k != "spec"}}
        for n in node_ids
    ]
    pair_set = None if pairs is None else set(pairs)
    rows = [
        (u, v, {k: _plain(x) for k, x in d.items() if k != "spec"})
        for u, v, d in graph.edges(data=True)
        if u in wanted and v in wanted and (pair_set is None or (u, v) in pair_set)
    ]
    rows.sort(key=lambda e: (e[0], e[1], json.dumps(e[2], sort_keys=True)))
    edges = [{"source": u, "target": v, **d} for u, v, d in rows]
    doc: dict[str, Any] = {"name": graph.name, "nodes": nodes, "edges": edges}
    if view == "all":
        # The view's connections: who may connect to whom, on which port, and why.
        doc["connections"] = [
            {
                "source": c.source,
                "destination": c.destination,
                "port": c.port,
                "protocol": c.protocol,
                "reason": str(c.reason),
            }
            for c in graph.view.connections
        ]
    else:
        doc["view"] = view
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _ids(drawing: Drawing) -> dict[str, str]:
    return {n: f"n{i}" for i, n in enumerate(sorted(drawing.ids()))}


_MARK = {"added": "+ ", "removed": "- ", "changed": "~ ", "": ""}


def _nested(
    drawing: Drawing,
    node_line: Callable[[DrawnNode, str], str],
    box_lines: Callable[[Box, str], tuple[list[str], str]],
) -> list[str]:
    """Every node once, each box drawn around what it holds."""
    children: dict[str | None, list[Box | DrawnNode]] = {}
    for b in drawing.boxes:
        children.setdefault(b.parent, []).append(b)
    for n in drawing.nodes:
        children.setdefault(n.box, []).append(n)
    lines: list[str] = []

    def walk(parent: str | None, indent: str) -> None:
        for item in sorted(children.get(parent, []), key=lambda x: x.id):
            if isinstance(item, Box):
                opening, closing = box_lines(item, indent)
                lines.extend(opening)
                walk(item.id, indent + "  ")
                lines.append(closing)
            else:
                lines.append(node_line(item, indent))

    walk(None, "  ")
    return lines


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
_MERMAID_CHANGE_STYLE = {
    "added": "stroke:#1a7f37,stroke-width:3px",
    "removed": "stroke:#cf222e,stroke-width:2px,stroke-dasharray:5 5",
    "changed": "stroke:#9a6700,stroke-width:3px",
}


def mermaid_drawing(drawing: Drawing) -> str:
    ids = _ids(drawing)

    def node_line(node: DrawnNode, indent: str) -> str:
        open_, close = MERMAID_SHAPES.get(node.kind, ("[", "]"))
        text = mermaid_text(_MARK[node.change] + node.label)
        return f'{indent}{ids[node.id]}{open_}"{text}"{close}'

    def box_lines(box: Box, indent: str) -> tuple[list[str], str]:
        text = mermaid_text(_MARK[box.change] + box.label)
        return [f'{indent}subgraph {ids[box.id]}["{text}"]'], f"{indent}end"

    lines = ["flowchart LR", *_nested(drawing, node_line, box_lines)]
    styles: list[str] = []
    for index, e in enumerate(drawing.edges):
        arrow = "-.->" if e.dashed or e.change == "removed" else "-->"
        text = mermaid_text(_MARK[e.change] + e.label)
        lines.append(f'  {ids[e.source]} {arrow}|"{text}"| {ids[e.target]}')
        if e.change:
            styles.append(f"  linkStyle {index} {_MERMAID_CHANGE_STYLE[e.change]}")
    marked = [n for n in drawing.nodes if n.change]
    if marked:
        lines.append("  classDef added stroke:#1a7f37,stroke-width:3px")
        lines.append("  classDef removed stroke:#cf222e,stroke-dasharray:5 5")
        lines.append("  classDef changed stroke:#9a6700,stroke-width:3px")
        lines.extend(f"  class {ids[n.id]} {n.change}" for n in marked)
    return "\n".join(lines + styles) + "\n"


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
_DOT_CHANGE_COLOR = {"added": "#1a7f37", "removed": "#cf222e", "changed": "#9a6700"}


def dot_drawing(drawing: Drawing) -> str:
    ids = _ids(drawing)
    # DOT cannot end an edge on a cluster: a box that is an endpoint gets a node inside it.
    box_ends = {b.id for b in drawing.boxes} & {
        x for e in drawing.edges for x in (e.source, e.target)
    }

    def node_line(node: DrawnNode, indent: str) -> str:
        shape = DOT_SHAPES.get(node.kind, "box")
        label = dot_string(_MARK[node.change] + node.label)
        extra = f", color={dot_string(_DOT_CHANGE_COLOR[node.change])}" if node.change else ""
        return (
            f"{indent}{ids[node.id]} [label={label}, shape={shape}, "
            f"tooltip={dot_string(node.id)}{extra}];"
        )

    def box_lines(box: Box, indent: str) -> tuple[list[str], str]:
        label = dot_string(_MARK[box.change] + box.label)
        opening = [f"{indent}subgraph cluster_{ids[box.id]} {{", f"{indent}  label={label};"]
        if box.id in box_ends:
            opening.append(
                f"{indent}  {ids[box.id]} [label={label}, shape=box, style=dashed, "
                f"tooltip={dot_string(box.id)}];"
            )
        return opening, f"{indent}}}"

    name = dot_string(drawing.name or "blueprint")
    lines = [f"digraph {name} {{", "  rankdir=LR;", *_nested(drawing, node_line, box_lines)]
    for e in drawing.edges:
        lines.append(f"  {ids[e.source]} -> {ids[e.target]} [{_dot_edge_attrs(e)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_edge_attrs(e: DrawnEdge) -> str:
    style = "dashed" if e.dashed or e.change == "removed" else "solid"
    attrs = f"label={dot_string(_MARK[e.change] + e.label)}, style={style}"
    if e.change:
        attrs += f", color={dot_string(_DOT_CHANGE_COLOR[e.change])}, penwidth=2"
    return attrs
