"""`blueprint report`: one self-contained HTML page of a system — summary, every view as an
interactive diagram, the findings with their paths, the blueprint's source, and with a base
the security diff and each view's added and removed edges.

Self-contained means it opens with no network: the diagrams are SVG laid out here
(policies.html_report.layout), the CSS and the hand-written script are inlined from this
package's `assets/`, and no URL is fetched (links to docs/rules.md only leave when clicked).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from importlib import resources
from typing import TYPE_CHECKING, Any

from policies.findings import Finding
from policies.html_report import data, svg
from policies.views import VIEWS, Drawing, compare, draw

if TYPE_CHECKING:
    from blueprint.loader import Loaded
    from policies.security_diff import SecurityDiff

_VIEW_TITLES = {
    "calls": "Calls",
    "network": "Network",
    "identity": "Identity",
    "all": "Everything",
}


def build(
    loaded: Loaded,
    found: Sequence[Finding],
    *,
    base: Loaded | None = None,
    diff: SecurityDiff | None = None,
) -> str:
    """The report page (deterministic bytes for the same inputs)."""
    from policies.graph import build_graph

    graph = build_graph(loaded.blueprint)
    drawings: dict[str, Drawing] = {view: draw(graph, view) for view in VIEWS}
    if base is not None:
        base_graph = build_graph(base.blueprint)
        drawings = {view: compare(draw(base_graph, view), d) for view, d in drawings.items()}
    payload: dict[str, Any] = {
        "name": loaded.blueprint.name,
        "nodes": data.nodes(graph, loaded, found),
        "findings": data.findings(found, drawings),
        "views": list(VIEWS),
    }
    if diff is not None:
        payload["diff"] = data.security_diff(diff)
    title = f"blueprint report: {loaded.blueprint.name}"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            # Nothing may be fetched: inline styles and scripts only, no connections.
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">",
            f"<title>{escape(title)}</title>",
            f"<style>{_asset('report.css')}</style>",
            "</head>",
            "<body>",
            f"<header><h1>{escape(title)}</h1>{_summary(data.summary(loaded, found))}</header>",
            _diagrams(drawings, base is not None),
            _findings_section(),
            _diff_section(diff),
            _source(loaded.source.name, loaded.source.text),
            f'<script type="application/json" id="report-data">{_script_json(payload)}</script>',
            f"<script>{_asset('report.js')}</script>",
            "</body>",
            "</html>",
            "",
        ]
    )


def _asset(name: str) -> str:
    return resources.files("policies.html_report").joinpath("assets", name).read_text("utf-8")


def _script_json(payload: Any) -> str:
    """JSON that cannot end its <script> element or open a comment inside it."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _summary(rows: list[tuple[str, str]]) -> str:
    cells = "".join(f"<div><dt>{escape(k)}</dt><dd>{escape(v)}</dd></div>" for k, v in rows)
    return f'<dl class="summary">{cells}</dl>'


def _diagrams(drawings: dict[str, Drawing], with_base: bool) -> str:
    tabs = "".join(
        f'<button type="button" class="tab" data-view="{v}" role="tab">{_VIEW_TITLES[v]}'
        f' <span class="count">{len(d.nodes)}</span></button>'
        for v, d in drawings.items()
    )
    stages = "".join(
        f'<div class="stage" data-view="{v}" hidden>{svg.render(d, v)}</div>'
        for v, d in drawings.items()
    )
    legend = (
        '<p class="legend"><span class="swatch added"></span> added since the base '
        '<span class="swatch removed"></span> removed <span class="swatch changed"></span> '
        "changed</p>"
        if with_base
        else ""
    )
    return (
        '<section id="diagrams"><h2>Views</h2>'
        f'<div class="toolbar"><div class="tabs" role="tablist">{tabs}</div>'
        '<div class="zoom"><button type="button" data-zoom="in" title="zoom in">+</button>'
        '<button type="button" data-zoom="out" title="zoom out">&#8722;</button>'
        '<button type="button" data-zoom="fit" title="fit to the window">fit</button>'
        '<button type="button" data-zoom="clear" title="clear the highlight">clear</button>'
        f"</div></div>{legend}"
        f'<div class="workspace"><div class="stages">{stages}</div>'
        '<aside id="details"><p class="hint">Click a node to see its spec and findings; '
        "drag to pan, scroll to zoom.</p></aside></div></section>"
    )


def _findings_section() -> str:
    return (
        '<section id="findings"><h2>Findings</h2>'
        '<div class="filters">'
        '<label>severity <select id="filter-severity"><option value="">all</option>'
        "<option>error</option><option>warning</option><option>note</option>"
        '<option value="waived">waived</option></select></label>'
        '<label>rule <select id="filter-rule"><option value="">all</option></select></label>'
        '<label>subject <input id="filter-subject" type="search" placeholder="services.web">'
        "</label></div>"
        '<table class="findings"><thead><tr><th>severity</th><th>rule</th><th>subject</th>'
        "<th>message</th><th>line</th></tr></thead><tbody></tbody></table>"
        '<p id="no-findings" hidden>No findings.</p></section>'
    )


def _diff_section(diff: SecurityDiff | None) -> str:
    if diff is None:
        return ""
    return (
        '<section id="security-diff"><h2>Security diff</h2>'
        f"<p>{escape(diff.base)} → {escape(diff.head)}</p>"
        '<table class="diff"><thead><tr><th></th><th>category</th><th>change</th>'
        "<th>subject</th><th>detail</th></tr></thead><tbody></tbody></table></section>"
    )


def _source(name: str, text: str) -> str:
    lines = "".join(
        f'<span class="line" id="L{i}"><a class="ln" href="#L{i}">{i}</a>{escape(line)}\n</span>'
        for i, line in enumerate(text.splitlines(), start=1)
    )
    return f'<section id="source"><h2>{escape(name)}</h2><pre>{lines}</pre></section>'
