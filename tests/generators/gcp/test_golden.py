"""Golden files: the whole render, file by file (BLUEPRINT_UPDATE_GOLDEN=1 to rewrite)."""

from __future__ import annotations

from tests.generators.gcp.support import example, kitchen_sink, render, rich
from tests.golden_support import GOLDEN_ROOT, assert_golden


def test_golden_gcp_cloud_run() -> None:
    assert_golden(render(example("gcp-cloud-run")), GOLDEN_ROOT / "gcp" / "gcp-cloud-run")


def test_golden_rich_system() -> None:
    # Not an example: the synthetic system of tests/generators/gcp/rich-system.yaml.
    assert_golden(render(rich()), GOLDEN_ROOT / "gcp" / "rich-system")


def test_golden_gcp_shop() -> None:
    assert_golden(render(example("gcp-shop")), GOLDEN_ROOT / "gcp" / "gcp-shop")


def test_golden_kitchen_sink() -> None:
    # Not an example: every data-plane concept at once (tests/generators/gcp/kitchen-sink.yaml).
    assert_golden(render(kitchen_sink()), GOLDEN_ROOT / "gcp" / "kitchen-sink")
