"""The report's layout: for every view of every example (and a workload in two subnets), no
two nodes overlap, every node lies inside each box around it, sibling boxes never overlap,
and the same drawing gives the same positions."""

from __future__ import annotations

import itertools

import pytest

from policies.graph import build_graph
from policies.html_report.layout import Rect, layout
from policies.views import VIEWS, draw
from tests.policies.test_export import TWO_SUBNETS
from tests.report.support import EXAMPLES
from tests.support import load_example, load_text


def _overlap(a: Rect, b: Rect) -> bool:
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h


def _inside(inner: Rect, outer: Rect) -> bool:
    return (
        outer.x <= inner.x
        and inner.x + inner.w <= outer.x + outer.w
        and outer.y <= inner.y
        and inner.y + inner.h <= outer.y + outer.h
    )


def _drawings() -> list[tuple[str, object]]:
    cases = [(f"{ex}/{view}", (load_example(ex), view)) for ex in EXAMPLES for view in VIEWS]
    cases += [(f"two-subnets/{view}", (load_text(TWO_SUBNETS), view)) for view in VIEWS]
    return cases


@pytest.mark.parametrize(("name", "case"), _drawings(), ids=[n for n, _c in _drawings()])
def test_nothing_overlaps_and_boxes_hold_their_members(name: str, case: object) -> None:
    loaded, view = case  # type: ignore[misc]
    drawing = draw(build_graph(loaded.blueprint), view)
    lay = layout(drawing)
    rects = lay.rects
    for a, b in itertools.combinations(drawing.nodes, 2):
        assert not _overlap(rects[a.id], rects[b.id]), f"{name}: {a.id} overlaps {b.id}"
    parent = {b.id: b.parent for b in drawing.boxes}
    for n in drawing.nodes:
        box = n.box
        while box is not None:
            assert _inside(rects[n.id], rects[box]), f"{name}: {n.id} outside {box}"
            box = parent[box]
        assert _inside(rects[n.id], Rect(0, 0, lay.width, lay.height))
    for a, b in itertools.combinations(drawing.boxes, 2):
        if a.parent == b.parent:
            assert not _overlap(rects[a.id], rects[b.id]), f"{name}: {a.id} overlaps {b.id}"
    for box in drawing.boxes:
        for n in drawing.nodes:
            chain = []
            at = n.box
            while at is not None:
                chain.append(at)
                at = parent[at]
            if box.id not in chain:
                assert not _overlap(rects[n.id], rects[box.id]), f"{name}: {n.id} in {box.id}"
    assert layout(drawing) == lay
