"""Golden files of the Azure render, one directory per example."""

from __future__ import annotations

from tests.generators.azure.bicep_support import example_files, render
from tests.golden_support import GOLDEN_ROOT, assert_golden
from tests.support import load_example


def test_golden_azure_container_apps() -> None:
    assert_golden(example_files(), GOLDEN_ROOT / "azure" / "azure-container-apps")


def test_golden_azure_orders() -> None:
    files = render(load_example("azure-orders").blueprint)
    assert_golden(files, GOLDEN_ROOT / "azure" / "azure-orders")
