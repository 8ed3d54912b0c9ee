from __future__ import annotations

import copy

import pytest
import yaml

from tests.conftest import EXAMPLES
from tests.generators.monitoring.render import mixed, render, render_example
from tests.generators.monitoring.schemas import prometheus_errors

CONFIG = "monitoring/prometheus/scrape-configs.yml"


def _config(files: dict[str, str]) -> dict[str, object]:
    config = yaml.safe_load(files[CONFIG])
    assert isinstance(config, dict)
    return config


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_configurations_validate(example: str) -> None:
    files = render_example(example)
    if CONFIG in files:
        assert prometheus_errors(_config(files)) == []


def test_non_kubernetes_services_get_file_sd_jobs() -> None:
    config = _config(render(mixed()))
    assert prometheus_errors(config) == []
    assert config == {
        "scrape_configs": [
            _job("billing", "aws-fargate", "http", 8081, "/metrics"),
            _job("front", "azure-container-apps", "https", 443, "/metrics"),
            _job("hello", "cloud-run", "https", 443, "/metrics"),
            _job("orders", "aws-fargate", "http", 9100, "/internal/metrics"),
        ]
    }


def test_scrape_timeout_never_exceeds_the_interval() -> None:
    for interval, timeout in ((1, "1s"), (5, "5s"), (10, "10s"), (60, "10s")):
        config = _config(render(mixed(monitoring={"scrape_interval_seconds": interval})))
        jobs = config["scrape_configs"]
        assert isinstance(jobs, list)
        assert {(j["scrape_interval"], j["scrape_timeout"]) for j in jobs} == {
            (f"{interval}s", timeout)
        }


def test_kubernetes_only_renders_no_scrape_configuration() -> None:
    files = render_example("kubernetes-helm")
    assert CONFIG not in files
    assert files  # the dashboard


def test_the_schema_is_strict() -> None:
    config = copy.deepcopy(_config(render(mixed())))
    jobs = config["scrape_configs"]
    assert isinstance(jobs, list)
    jobs[0]["scrape_intervall"] = "5s"
    jobs[1]["scrape_interval"] = "5 seconds"
    assert prometheus_errors(config) == [
        "scrape_configs/0: Additional properties are not allowed "
        "('scrape_intervall' was unexpected)",
        "scrape_configs/1/scrape_interval: '5 seconds' does not match '^[0-9]+(ms|[smhdwy])$'",
    ]


def _job(name: str, platform: str, scheme: str, port: int, path: str) -> dict[str, object]:
    return {
        "job_name": f"mixed/{name}",
        "scrape_interval": "5s",
        "scrape_timeout": "5s",
        "metrics_path": path,
        "scheme": scheme,
        "file_sd_configs": [{"files": [f"targets/{name}.yml"]}],
        "relabel_configs": [
            {
                "source_labels": ["__address__"],
                "regex": "([^:]+)",
                "target_label": "__address__",
                "replacement": f"${{1}}:{port}",
            },
            {"target_label": "system", "replacement": "mixed"},
            {"target_label": "service", "replacement": name},
            {"target_label": "platform", "replacement": platform},
        ],
    }
