"""`blueprint report`: the page is self-contained, deterministic, escapes every name, carries
each view, the findings with what they highlight, and with a base the security diff."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from policies.engine import run_checks
from policies.html_report import build
from tests.report.support import EXAMPLES
from tests.support import ROOT, load_example, load_text, run_cli


def _payload(page: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="report-data">(.*?)</script>', page, re.DOTALL
    )
    assert match
    return json.loads(match.group(1))


class _Refs(HTMLParser):
    """Every URL the page could load by itself (not links the reader may click)."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.links: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "srcset", "data", "poster") or (tag == "link" and name == "href"):
                self.loads.append(value or "")
            elif name == "href":
                self.links.append(value or "")


@pytest.mark.parametrize("example", EXAMPLES)
def test_report_of_every_example_loads_nothing_from_outside(example: str) -> None:
    loaded = load_example(example)
    page = build(loaded, run_checks(loaded))
    refs = _Refs()
    refs.feed(page)
    assert refs.loads == []
    assert "link" not in refs.tags and "iframe" not in refs.tags
    assert all(h.startswith("#") for h in refs.links), refs.links
    assert "url(http" not in page and "@import" not in page
    assert refs.tags.count("svg") == 4


def test_report_carries_views_findings_and_their_paths() -> None:
    loaded = load_example("latency-chain")
    found = run_checks(loaded)
    page = build(loaded, found)
    data = _payload(page)
    assert data["views"] == ["calls", "network", "identity", "all"]
    latency = next(f for f in data["findings"] if f["rule"] == "BP3001")
    assert latency["view"] == "calls"
    assert latency["docs"].endswith("/docs/rules.md#bp3001")
    assert latency["highlight"]["calls"]["nodes"] == [
        "services.api",
        "services.app",
        "services.location",
        "services.predict",
        "services.sensor",
    ]
    for edge_id in latency["highlight"]["calls"]["edges"]:
        assert f'id="{edge_id}"' in page
    assert len(latency["highlight"]["calls"]["edges"]) >= 4
    lines = (ROOT / "examples/latency-chain/blueprint.yaml").read_text().splitlines()
    assert data["nodes"]["services.app"]["line"] == lines.index("  app:") + 1
    assert data["nodes"]["services.app"]["spec"]["platform"]
    assert f'<span class="line" id="L{latency["line"]}">' in page


def test_report_is_deterministic() -> None:
    loaded = load_example("azure-container-apps")
    assert build(loaded, run_checks(loaded)) == build(loaded, run_checks(loaded))


HOSTILE = """
    name: t
    description: "</script><script>alert(1)</script>"
    platforms:
      gcp: {project: example-project, region: europe-west2}
    ingress:
      web: {kind: http, routes: {"/<img/src=x/onerror=alert(1)>": app}}
    services:
      app:
        platform: cloud-run
        env: {NOTE: "</script><!-- & -->"}
    """


def test_names_and_free_text_cannot_become_markup() -> None:
    loaded = load_text(HOSTILE, support=False)  # markup, not rendering, is tested here
    page = build(loaded, run_checks(loaded))
    assert "<img" not in page
    assert page.count("</script>") == 2  # the data block's and the script's own
    assert "<!--" not in page
    data = _payload(page)
    assert data["nodes"]["services.app"]["spec"]["env"] == {"NOTE": "</script><!-- & -->"}


def test_report_cli_with_a_base_adds_the_security_diff(tmp_path: Path) -> None:
    example = ROOT / "examples/aws-fargate-api/blueprint.yaml"
    head = tmp_path / "blueprint.yaml"
    head.write_text(example.read_text().replace("internal: true", "internal: false"))
    out = tmp_path / "site" / "report.html"
    code, stdout, err = run_cli("report", str(head), "--base", str(example), "--out", str(out))
    assert (code, err) == (0, "")
    assert stdout == f"{out}: report of {head}\n"
    page = out.read_text()
    data = _payload(page)
    assert data["diff"]["summary"] == "1 change(s), 1 widen exposure"
    assert data["diff"]["changes"] == [
        {
            "category": "internet exposure",
            "change": "added",
            "subject": "services.web",
            "detail": "internet (0.0.0.0/0 tcp/8080) -> ingress.lb -> services.web",
            "widens": True,
        }
    ]
    assert '<section id="security-diff">' in page
    assert (
        '<g class="edge change-added k-routes-to" id="calls-e4" data-source="internet" '
        'data-target="ingress.lb">'
    ) in page


def test_report_cli_refuses_bad_input_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "blueprint.yaml"
    bad.write_text("name: t\nservices: [1]\n")
    out = tmp_path / "report.html"
    code, stdout, err = run_cli("report", str(bad), "--out", str(out))
    assert (code, stdout) == (2, "")
    assert err.startswith(f"{bad}:2:")
    assert not out.exists()
