"""The report in a real browser (Debian's Chromium driven by Playwright): no console errors,
nothing fetched, every view draws nodes, clicking a finding highlights its path, clicking a
node shows its spec, pan and zoom move the drawing. Screenshots of each view are saved; with
BLUEPRINT_UPDATE_SCREENSHOTS=1 the README's (AWS and Kubernetes) are copied to docs/images/."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.report.support import CHROMIUM_FLAGS, EXAMPLES, INSTALL_HINT, chromium
from tests.support import ROOT, run_cli

pytestmark = pytest.mark.slow
README_SHOTS = {"aws-fargate-api", "kubernetes-helm"}
PATHS_EXPECTED = {"aws-fargate-api", "azure-container-apps", "kafka-workers", "latency-chain"}
VIEWS = ("calls", "network", "identity", "all")


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    executable = chromium()
    if executable is None:
        pytest.skip(f"Chromium is not installed; {INSTALL_HINT}")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'"
    )
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=executable,
            args=list(CHROMIUM_FLAGS),
            headless=True,
            viewport={"width": 1400, "height": 1000},
        )
        try:
            yield context
        finally:
            context.close()


class _Watched:
    def __init__(self, context: Any) -> None:
        self.page = context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def open(self, path: Path) -> Any:
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-ready=true]", timeout=30_000)
        return self.page


def _report(example: str, out: Path, *extra: str) -> Path:
    page = out / f"{example}.html"
    code, _out, err = run_cli(
        "report", str(ROOT / "examples" / example / "blueprint.yaml"), "--out", str(page), *extra
    )
    assert (code, err) == (0, "")
    return page


@pytest.mark.parametrize("example", EXAMPLES)
def test_report_in_chromium(example: str, browser_context: Any, tmp_path: Path) -> None:
    watched = _Watched(browser_context)
    path = _report(example, tmp_path)
    page = watched.open(path)
    try:
        shots = tmp_path / "shots"
        for view in VIEWS:
            page.click(f'button.tab[data-view="{view}"]')
            stage = page.locator(f'.stage[data-view="{view}"]')
            assert stage.is_visible()
            drawn = stage.locator("g.node")
            assert drawn.count() > 0, f"{example}: the {view} view draws no node"
            box = drawn.first.bounding_box()
            assert box is not None and box["width"] > 20, f"{example} {view}: node not laid out"
            page.screenshot(path=str(shots / f"{example}-{view}.png"))
        _findings_highlight_their_paths(page, example)
        _filters_and_line_links(page)
        _node_click_shows_details(page)
        _zoom_changes_the_transform(page)
        assert watched.errors == []
        assert [u for u in watched.requests if not u.startswith("file://")] == []
        if os.environ.get("BLUEPRINT_UPDATE_SCREENSHOTS") == "1" and example in README_SHOTS:
            images = ROOT / "docs" / "images"
            images.mkdir(parents=True, exist_ok=True)
            for view in ("calls", "network"):
                shutil.copy(shots / f"{example}-{view}.png", images / f"{example}-{view}.png")
    finally:
        page.close()


def _findings_highlight_their_paths(page: Any, example: str) -> None:
    rows = page.locator("tr.finding")
    count = rows.count()
    with_paths = 0
    for index in range(count):
        row = rows.nth(index)
        finding = page.evaluate(
            f"JSON.parse(document.getElementById('report-data').textContent).findings[{index}]"
        )
        row.click()
        view = finding["view"]
        stage = page.locator(f'.stage[data-view="{view}"]')
        assert stage.is_visible()
        marks = finding["highlight"][view]
        lit = sorted(
            stage.locator("g.node.hl, g.box.hl").evaluate_all("els => els.map(e => e.dataset.id)")
        )
        assert lit == sorted(marks["nodes"]), f"{example} {finding['rule']} {finding['subject']}"
        lit_edges = sorted(stage.locator("g.edge.hl").evaluate_all("els => els.map(e => e.id)"))
        assert lit_edges == sorted(marks["edges"])
        # Every drawn edge joining two nodes of the path is lit (what the page computes,
        # checked against the drawing in the DOM, not against the page's own data).
        joined = stage.locator("g.edge").evaluate_all(
            "(els, ids) => els.filter(e => ids.includes(e.dataset.source)"
            " && ids.includes(e.dataset.target)).map(e => e.id)",
            marks["nodes"],
        )
        assert set(joined) <= set(lit_edges), f"{example} {finding['rule']}: {joined}"
        if joined:
            with_paths += 1
            assert stage.locator("svg.dimmed").count() == 1
        assert "active" in (row.get_attribute("class") or "")
    page.click('[data-zoom="clear"]')
    assert page.locator(".hl").count() == 0
    # The examples whose findings have paths on the drawing (a blast radius, a critical path,
    # an internet exposure) light at least one.
    if example in PATHS_EXPECTED:
        assert with_paths > 0, example


def _filters_and_line_links(page: Any) -> None:
    findings = page.evaluate(
        "JSON.parse(document.getElementById('report-data').textContent).findings"
    )
    if not findings:
        assert page.locator("#no-findings").is_visible()
        return

    def visible() -> list[int]:
        rows = page.locator("tr.finding:not([hidden])")
        return [int(i) for i in rows.evaluate_all("els => els.map(e => e.dataset.index)")]

    first = findings[0]
    severity = "waived" if first["waived"] else first["severity"]
    page.select_option("#filter-severity", severity)
    assert visible() == [
        i
        for i, f in enumerate(findings)
        if ("waived" if f["waived"] else f["severity"]) == severity
    ]
    page.select_option("#filter-severity", "")
    page.select_option("#filter-rule", first["rule"])
    assert visible() == [i for i, f in enumerate(findings) if f["rule"] == first["rule"]]
    page.select_option("#filter-rule", "")
    page.fill("#filter-subject", first["subject"])
    assert visible() == [i for i, f in enumerate(findings) if first["subject"] in f["subject"]]
    page.fill("#filter-subject", "")
    assert len(visible()) == len(findings)
    page.locator('tr.finding[data-index="0"] td:last-child a').click()
    assert page.evaluate("location.hash") == f"#L{first['line']}"
    assert page.locator(f"#L{first['line']}").evaluate("e => e.matches(':target')")
    assert page.locator("tr.finding.active").count() == 0  # the link does not select the row


def _node_click_shows_details(page: Any) -> None:
    page.click('button.tab[data-view="all"]')
    page.click('[data-zoom="fit"]')  # a finding may have zoomed into part of the drawing
    node = page.locator('.stage[data-view="all"] g.node').first
    node_id = node.get_attribute("data-id")
    node.click()
    assert page.locator("#details code").first.text_content() == node_id


def _zoom_changes_the_transform(page: Any) -> None:
    viewport = page.locator('.stage[data-view="all"] g.viewport')
    before = viewport.get_attribute("transform")
    page.click('[data-zoom="in"]')
    assert viewport.get_attribute("transform") != before
    stage = page.locator('.stage[data-view="all"]')
    box = stage.bounding_box()
    page.mouse.move(box["x"] + 50, box["y"] + 50)
    page.mouse.down()
    page.mouse.move(box["x"] + 150, box["y"] + 120, steps=4)
    page.mouse.up()
    moved = viewport.get_attribute("transform")
    assert moved.startswith("translate(") and moved != before


def test_report_with_a_base_in_chromium(browser_context: Any, tmp_path: Path) -> None:
    example = ROOT / "examples/aws-fargate-api/blueprint.yaml"
    head = tmp_path / "blueprint.yaml"
    head.write_text(example.read_text().replace("internal: true", "internal: false"))
    out = tmp_path / "report.html"
    code, _out, err = run_cli("report", str(head), "--base", str(example), "--out", str(out))
    assert (code, err) == (0, "")
    watched = _Watched(browser_context)
    page = watched.open(out)
    try:
        rows = page.locator("#security-diff tbody tr")
        assert rows.count() == 1
        assert rows.first.locator("td").all_text_contents() == [
            "widens",
            "internet exposure",
            "added",
            "services.web",
            "internet (0.0.0.0/0 tcp/8080) -> ingress.lb -> services.web",
        ]
        added = page.locator('.stage[data-view="calls"] g.edge.change-added')
        assert added.count() == 1
        stroke = added.locator("path").evaluate("p => getComputedStyle(p).stroke")
        assert stroke == "rgb(26, 127, 55)"
        page.screenshot(path=str(tmp_path / "diff.png"))
        assert watched.errors == []
    finally:
        page.close()
