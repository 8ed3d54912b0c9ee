"""One view's drawing as inline SVG: boxes, nodes and merged edges at their laid-out places.

Every element carries its graph id in `data-id` (edges `data-source`/`data-target`), which is
all the report's script needs to show details and highlight paths. Text goes through
`html.escape`, so no name in a blueprint can become markup.
"""

from __future__ import annotations

from html import escape

from policies.html_report.layout import NODE_H, Layout, Rect, layout, shown_label
from policies.views import Drawing, DrawnEdge

_SHAPE_RADIUS = {"ingress": 18.0, "internet": 20.0, "resource": 10.0, "scope": 2.0}


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _attr(value: str) -> str:
    return escape(value, quote=True)


def render(drawing: Drawing, dom_prefix: str) -> str:
    """The `<svg>` of `drawing`; element ids start with `dom_prefix` (one per view)."""
    lay = layout(drawing)
    parts = [
        f'<svg class="diagram" data-view="{_attr(drawing.view)}" '
        f'viewBox="0 0 {_num(lay.width)} {_num(lay.height)}" '
        f'width="{_num(lay.width)}" height="{_num(lay.height)}" '
        'xmlns="http://www.w3.org/2000/svg" role="img">',
        f"<title>{escape(drawing.name)}: {escape(drawing.view)} view</title>",
        f'<defs><marker id="{_attr(dom_prefix)}-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z"/></marker></defs>',
        '<g class="viewport">',
    ]
    depth = {b.id: _depth(drawing, b.id) for b in drawing.boxes}
    for b in sorted(drawing.boxes, key=lambda b: (depth[b.id], b.id)):
        r = lay.rects[b.id]
        parts.append(
            f'<g class="box kind-{_attr(b.id.split(".")[0])} {_change(b.change)}" '
            f'data-id="{_attr(b.id)}">'
            f"<title>{escape(b.id)}</title>"
            f'<rect x="{_num(r.x)}" y="{_num(r.y)}" width="{_num(r.w)}" height="{_num(r.h)}" '
            'rx="8"/>'
            f'<text x="{_num(r.x + 10)}" y="{_num(r.y + 17)}">{escape(shown_label(b.label))}'
            "</text></g>"
        )
    fan_out: dict[str, int] = {}
    fan_in: dict[str, int] = {}
    for e in drawing.edges:
        fan_out[e.source] = fan_out.get(e.source, 0) + 1
        fan_in[e.target] = fan_in.get(e.target, 0) + 1
    for index, e in enumerate(drawing.edges):
        # Labels sit where the edge is alone: at its target when its source fans out, at its
        # source when its target collects several edges (the column gap fits the label).
        out_many, in_many = fan_out[e.source] > 1, fan_in[e.target] > 1
        at = "target" if out_many and not in_many else "source" if in_many and not out_many else ""
        parts.append(_edge(e, lay, f"{dom_prefix}-e{index}", f"{dom_prefix}-arrow", at))
    for n in drawing.nodes:
        r = lay.rects[n.id]
        radius = _SHAPE_RADIUS.get(n.kind, 4.0)
        parts.append(
            f'<g class="node kind-{_attr(n.kind)} {_change(n.change)}" tabindex="0" '
            f'data-id="{_attr(n.id)}">'
            f"<title>{escape(n.label)} ({escape(n.id)})</title>"
            f'<rect x="{_num(r.x)}" y="{_num(r.y)}" width="{_num(r.w)}" height="{_num(r.h)}" '
            f'rx="{_num(radius)}"/>'
            f'<text x="{_num(r.cx)}" y="{_num(r.y + NODE_H / 2 + 4)}" text-anchor="middle">'
            f"{escape(shown_label(n.label))}</text></g>"
        )
    parts.append("</g></svg>")
    return "".join(parts)


def _depth(drawing: Drawing, box: str) -> int:
    parents = {b.id: b.parent for b in drawing.boxes}
    depth, at = 0, parents.get(box)
    while at is not None:
        depth, at = depth + 1, parents.get(at)
    return depth


def _change(change: str) -> str:
    return f"change-{change}" if change else ""


def _edge(e: DrawnEdge, lay: Layout, dom_id: str, marker: str, at: str) -> str:
    a, b = lay.rects[e.source], lay.rects[e.target]
    path, (lx, ly), anchor = _route(a, b, at)
    classes = " ".join(
        c
        for c in (
            "edge",
            "dashed" if e.dashed else "",
            _change(e.change),
            *(f"k-{k}" for k in e.kinds),
        )
        if c
    )
    return (
        f'<g class="{_attr(classes)}" id="{_attr(dom_id)}" data-source="{_attr(e.source)}" '
        f'data-target="{_attr(e.target)}">'
        f"<title>{escape(e.source)} → {escape(e.target)}: {escape(e.label)}</title>"
        f'<path d="{path}" marker-end="url(#{_attr(marker)})"/>'
        f'<text x="{_num(lx)}" y="{_num(ly)}" text-anchor="{anchor}">{escape(e.label)}</text></g>'
    )


def _route(a: Rect, b: Rect, at: str) -> tuple[str, tuple[float, float], str]:
    """A cubic curve from a's right side to b's left side (b to the left: from a's left side
    to b's right side; b in a's column: a loop on the right); where its label goes (`at` the source,
    the target, or the middle) and how it is anchored there."""
    forward = b.x >= a.x + a.w - 1
    if forward:
        x1, y1, x2, y2 = a.x + a.w, a.cy, b.x, b.cy
        bend = max(30.0, (x2 - x1) / 2)
        c1, c2 = x1 + bend, x2 - bend
    elif b.x + b.w <= a.x + 1:
        # Backwards (a return flow): a's left side into b's right side, a little lower than
        # the forward edge of the same pair so that the two stay apart.
        x1, y1, x2, y2 = a.x, a.cy + 8, b.x + b.w, b.cy + 8
        bend = max(30.0, (x1 - x2) / 2)
        c1, c2 = x1 - bend, x2 + bend
    else:
        x1, y1, x2, y2 = a.x + a.w, a.cy, b.x + b.w, b.cy
        c1 = c2 = max(x1, x2) + 50.0
    d = f"M{_num(x1)},{_num(y1)} C{_num(c1)},{_num(y1)} {_num(c2)},{_num(y2)} {_num(x2)},{_num(y2)}"
    if forward and at == "target":
        return d, (x2 - 10, y2 - 5), "end"
    if forward and at == "source":
        return d, (x1 + 10, y1 - 5), "start"
    # The curve's point at t = 1/2.
    return d, ((x1 + 3 * c1 + 3 * c2 + x2) / 8, (y1 + y2) / 2 - 4), "middle"
