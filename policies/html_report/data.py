"""What the HTML report shows, as plain data: the summary, every node's spec and findings, the
findings with what each highlights per view, the security diff. The page embeds it as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from policies.findings import Finding
from policies.views import VIEWS, Drawing

if TYPE_CHECKING:
    from blueprint.loader import Loaded
    from policies.security_diff import SecurityDiff
    from policies.system_graph import SystemGraph

# The view a finding is first shown in, by rule family, when several show its path equally.
_PREFERRED = {"1": "identity", "2": "network", "3": "calls", "4": "calls", "9": "all"}
# Node kinds with no place of their own in the blueprint (derived by the graph).
_DERIVED = frozenset({"internet", "identity", "any"})


def summary(loaded: Loaded, findings: Sequence[Finding]) -> list[tuple[str, str]]:
    from policies.report import summary as findings_summary

    bp = loaded.blueprint
    platforms = sorted({w.platform.value for w in (*bp.services.values(), *bp.jobs.values())})
    return [
        ("system", bp.name),
        ("file", loaded.source.name),
        ("services", str(len(bp.services))),
        ("jobs", str(len(bp.jobs))),
        ("ingress", str(len(bp.ingress))),
        ("resources", str(len(bp.resources))),
        ("networks", str(len(bp.networks))),
        ("principals", str(len(bp.identity.principals))),
        ("platforms", ", ".join(platforms) or "none"),
        ("findings", findings_summary(findings)),
    ]


def nodes(graph: SystemGraph, loaded: Loaded, findings: Sequence[Finding]) -> dict[str, Any]:
    """node id -> kind, label, blueprint line, spec (as JSON data) and its findings' indexes."""
    about: dict[str, list[int]] = {}
    for index, f in enumerate(findings):
        about.setdefault(f.subject, []).append(index)
    from policies.positions import FastPositions

    # The fast index first, the exact (slower) map only where it does not follow the YAML.
    fast = FastPositions(loaded.source.text)

    def line_of(node: str) -> int:
        path = tuple(node.split("."))
        found = fast.locate(path, at_key=True)
        return (found if found is not None else loaded.source.locate(path, at_key=True))[0]

    out: dict[str, Any] = {}
    for node, d in sorted(graph.nodes(data=True)):
        kind = str(d.get("kind", ""))
        spec = d.get("spec")
        line = None if kind in _DERIVED else line_of(node)
        facts = {
            k: v
            for k, v in sorted(d.items())
            if k not in ("spec", "kind", "label") and isinstance(v, str | int | float | bool)
        }
        out[node] = {
            "kind": kind,
            "label": str(d.get("label", node)),
            "line": line,
            "facts": facts,
            "spec": None if spec is None else _spec(spec),
            "findings": about.get(node, []),
        }
    return out


def _spec(spec: Any) -> Any:
    dump = getattr(spec, "model_dump", None)
    if dump is None:
        return str(spec)
    return json.loads(json.dumps(dump(mode="json", exclude_none=True), default=str))


def findings(found: Sequence[Finding], drawings: dict[str, Drawing]) -> list[dict[str, Any]]:
    from policies.registry import find

    indexes = {view: _Index(d) for view, d in drawings.items()}
    rows = []
    for f in found:
        rule = find(f.rule_id)
        marks = {view: _highlight(f, indexes[view]) for view in drawings}
        rows.append(
            {
                "rule": f.rule_id,
                "title": rule.title if rule is not None else "",
                "docs": rule.help_uri if rule is not None else "",
                "severity": f.severity,
                "waived": f.waived_by,
                "message": f.message,
                "subject": f.subject,
                "evidence": list(f.evidence),
                "line": f.line,
                "col": f.col,
                "view": _best_view(f, marks),
                "highlight": marks,
            }
        )
    return rows


class _Index:
    """A drawing's ids, each item's box, and each edge under its ends and the boxes around
    them: built once, so highlighting a finding looks only at the edges near its path."""

    def __init__(self, drawing: Drawing) -> None:
        self.view = drawing.view
        self.ids = drawing.ids()
        self.edges = drawing.edges
        self.parent = {b.id: b.parent for b in drawing.boxes} | {n.id: n.box for n in drawing.nodes}
        self.near: dict[str, list[int]] = {}
        for i, e in enumerate(drawing.edges):
            for end in {*self.chain(e.source), *self.chain(e.target)}:
                self.near.setdefault(end, []).append(i)

    def chain(self, node: str) -> list[str]:
        out = [node]
        while (up := self.parent.get(out[-1])) is not None:
            out.append(up)
        return out


def _highlight(f: Finding, index: _Index) -> dict[str, list[str]]:
    """The drawn nodes of the finding's subject and evidence, and the drawn edges between two
    of them (a path's hops, a blast radius's dependants); an edge ending inside a box on the
    path counts as ending on it when its other end is on the path itself (a worker subscribing
    to a topic of a failing broker)."""
    nodes = sorted({f.subject, *f.evidence} & index.ids)
    chosen = set(nodes)

    def on(node: str) -> bool:
        return any(x in chosen for x in index.chain(node))

    candidates = sorted({i for c in chosen for i in index.near.get(c, ())})
    edges = [
        i
        for i in candidates
        if (e := index.edges[i]).change != "removed"
        and (e.source in chosen or e.target in chosen)
        and on(e.source)
        and on(e.target)
    ]
    return {"nodes": nodes, "edges": [f"{index.view}-e{i}" for i in edges]}


def _best_view(f: Finding, marks: dict[str, dict[str, list[str]]]) -> str:
    """The view that shows most of the finding's path; the rule family's own view on a tie,
    then the more specific view (all last)."""
    preferred = _PREFERRED.get(f.rule_id[2:3], "all")
    order = sorted(
        VIEWS,
        key=lambda v: (
            -len(marks[v]["nodes"]) - len(marks[v]["edges"]),
            v != preferred,
            VIEWS.index(v),
        ),
    )
    return order[0]


def security_diff(diff: SecurityDiff) -> dict[str, Any]:
    from policies.security_diff import CATEGORIES, summary

    return {
        "base": diff.base,
        "head": diff.head,
        "summary": summary(diff),
        "changes": [
            {
                "category": CATEGORIES[c.category],
                "change": c.change,
                "subject": c.subject,
                "detail": c.detail,
                "widens": c.widens,
            }
            for c in diff.changes
        ],
    }
