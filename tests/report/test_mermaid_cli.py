"""Every view of every example, as `blueprint graph --format markdown` prints it, renders with
the Mermaid CLI (`mmdc`, from .ci/install-tools.sh) in Debian's Chromium: no parse error, and
each rendered diagram has exactly the nodes the drawing has.

The browser costs about a second of CPU per diagram. `make test` renders the examples in
`RENDERED` (every Mermaid form any example's drawing uses: node shapes, edge styles and
subgraphs, per view; `test_the_rendered_examples_use_every_form_of_the_others` keeps it so);
`make test-thorough` renders every example. Label text is escaped by one function, proved on
hypothesis's strings in tests/policies/test_export.py.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from policies.export import mermaid_drawing
from policies.graph import build_graph
from policies.views import VIEWS, draw
from tests.conftest import representative
from tests.report.support import CHROMIUM_FLAGS, EXAMPLES, INSTALL_HINT, chromium, mmdc
from tests.support import ROOT, load_example, run_cli

# Chosen greedily by the Mermaid forms each example's drawings add (see the module docstring):
# aws-three-tier draws 30 of the 36 (view, form) pairs, company-iam the identity shapes
# ([/ /] and [[ ]]), aws-kafka-workers the subgraph of the calls view.
RENDERED = ["aws-three-tier", "company-iam", "aws-kafka-workers"]


def _tools() -> tuple[Path, str]:
    tool, browser = mmdc(), chromium()
    if tool is None:
        pytest.skip(
            f"the Mermaid CLI (.tools/node_modules/.bin/mmdc) is not installed; {INSTALL_HINT}"
        )
    if browser is None:
        pytest.skip(f"Chromium is not installed; {INSTALL_HINT}")
    return tool, browser


def _mmdc(source: Path, out: Path) -> None:
    """Render `source` (a diagram or Markdown with diagrams) with mmdc into `out`."""
    tool, browser = _tools()
    config = out.parent / "puppeteer.json"
    config.write_text(
        json.dumps(
            {
                "executablePath": browser,
                # Two shared cores: loading mermaid into the page can take minutes under load.
                "protocolTimeout": 600_000,
                "args": [f for f in CHROMIUM_FLAGS if f != "--headless"],
            }
        )
    )
    done = subprocess.run(
        [str(tool), "-q", "-i", str(source), "-o", str(out), "-p", str(config)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def _forms(example: str) -> set[tuple[str, str]]:
    """(view, form) of every line of the example's drawings: labels, node ids and numbers
    blanked, so `n3(["api"])` and `n7(["web"])` are the same form, `N([L])`."""
    graph = build_graph(load_example(example).blueprint)
    forms = set()
    for view in VIEWS:
        for line in mermaid_drawing(draw(graph, view)).splitlines():
            form = re.sub(r'"[^"]*"', "L", line.strip())
            form = re.sub(r"\d+", "D", re.sub(r"\bn\d+\b", "N", form))
            forms.add((view, form))
    return forms


def test_the_rendered_examples_use_every_form_of_the_others() -> None:
    rendered = set().union(*(_forms(example) for example in RENDERED))
    every = set().union(*(_forms(example) for example in EXAMPLES))
    assert sorted(every - rendered) == []
    assert ("identity", "N[/L/]") in rendered  # the comparison sees shapes


@pytest.mark.slow
@pytest.mark.parametrize("example", representative(EXAMPLES, RENDERED))
def test_every_view_renders_with_mermaid_cli(example: str, tmp_path: Path) -> None:
    _tools()
    blueprint = str(ROOT / "examples" / example / "blueprint.yaml")
    blocks = []
    for view in VIEWS:
        code, out, err = run_cli("graph", blueprint, "--view", view, "--format", "markdown")
        assert (code, err) == (0, "")
        blocks.append(out)
    source = tmp_path / "views.md"
    source.write_text("\n".join(blocks), encoding="utf-8")
    _mmdc(source, tmp_path / "out.md")
    graph = build_graph(load_example(example).blueprint)
    for index, view in enumerate(VIEWS, start=1):
        svg = (tmp_path / f"out-{index}.svg").read_text(encoding="utf-8")
        drawing = draw(graph, view)
        nodes = re.findall(r'<g class="node [^"]*"', svg)
        assert len(nodes) == len(drawing.nodes), f"{example} {view}"
        assert "Syntax error" not in svg


@pytest.mark.slow
def test_aws_calls_view_renders_without_network_plumbing(tmp_path: Path) -> None:
    """The rendered picture, not only the text: no gateway, subnet or egress in it."""
    _tools()
    code, out, err = run_cli(
        "graph", str(ROOT / "examples/aws-fargate-api/blueprint.yaml"), "--view", "calls"
    )
    assert (code, err) == (0, "")
    (tmp_path / "calls.mmd").write_text(out)
    _mmdc(tmp_path / "calls.mmd", tmp_path / "calls.svg")
    svg = (tmp_path / "calls.svg").read_text()
    texts = set(re.findall(r"<p>([^<]*)</p>", svg)) | set(re.findall(r">([^<>]+)</tspan>", svg))
    assert {"web", "uploads (bucket)", "api (api-gateway)"} <= texts, texts
    for plumbing in ("internet gateway", "NAT", "egress", "private-a", "public-a", "10.0.0.0/16"):
        assert plumbing not in svg
