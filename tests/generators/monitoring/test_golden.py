from __future__ import annotations

import pytest

from tests.conftest import EXAMPLES
from tests.generators.monitoring.render import render_example
from tests.golden_support import GOLDEN_ROOT, assert_golden


@pytest.mark.parametrize("example", EXAMPLES)
def test_golden_monitoring(example: str) -> None:
    assert_golden(render_example(example), GOLDEN_ROOT / "monitoring" / example)


def test_fastapi_observability_renders_the_dashboard_and_its_provisioning() -> None:
    # On Kubernetes: the chart's ServiceMonitor does the scraping, so no scrape configuration.
    assert sorted(render_example("fastapi-observability")) == [
        "monitoring/grafana/dashboards/fastapi-observability.json",
        "monitoring/grafana/provisioning/dashboards/fastapi-observability.yaml",
        "monitoring/grafana/provisioning/datasources/fastapi-observability.yaml",
    ]


def test_examples_with_a_scrape_configuration() -> None:
    rendered = [
        name
        for name in EXAMPLES
        if "monitoring/prometheus/scrape-configs.yml" in render_example(name)
    ]
    assert rendered == [
        "aws-fargate-api",
        "aws-kafka-workers",
        "aws-three-tier",
        "azure-container-apps",
        "azure-orders",
        "gcp-cloud-run",
        "gcp-shop",
    ]


def test_examples_without_metrics_render_nothing() -> None:
    assert render_example("company-iam") == {}
