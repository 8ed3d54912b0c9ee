"""Prometheus scrape jobs for metric services off Kubernetes (Fargate, Container Apps, Cloud Run).

None of these platforms has a Prometheus service discovery for its instances, and their
addresses exist only once deployed, so each job reads its targets from a file
(`file_sd_configs`, re-read on change) that the deployment writes next to this configuration.
Everything the blueprint knows is fixed here: path, scheme, port, interval and the labels the
Grafana dashboard selects on. The file is a complete configuration and can also be included
from an existing one with `scrape_config_files`.
"""

from __future__ import annotations

from typing import Any

from blueprint.model import Service
from blueprint.view import SystemView
from generators.common.yamldump import dump
from generators.monitoring.targets import scraped_by_prometheus_config, settings

OUT_FILE = "monitoring/prometheus/scrape-configs.yml"
# Prometheus refuses a scrape timeout above the scrape interval.
_DEFAULT_TIMEOUT_SECONDS = 10


def targets_file(service: str) -> str:
    """The file_sd file of a service, relative to the configuration file's directory."""
    return f"targets/{service}.yml"


def scrape_job(view: SystemView, name: str, service: Service) -> dict[str, Any]:
    bp = view.blueprint
    assert service.metrics is not None
    interval = settings(bp).scrape_interval_seconds
    endpoint = view.scrape_endpoint(name)
    assert endpoint is not None
    scheme, port = endpoint
    return {
        "job_name": f"{bp.name}/{name}",
        "scrape_interval": f"{interval}s",
        "scrape_timeout": f"{min(interval, _DEFAULT_TIMEOUT_SECONDS)}s",
        "metrics_path": service.metrics.path,
        "scheme": scheme,
        "file_sd_configs": [{"files": [targets_file(name)]}],
        "relabel_configs": [
            # A target written as a bare host gets the port the blueprint declares
            # (relabel regexes are anchored: host:port does not match and is kept as written).
            {
                "source_labels": ["__address__"],
                "regex": "([^:]+)",
                "target_label": "__address__",
                "replacement": f"${{1}}:{port}",
            },
            {"target_label": "system", "replacement": bp.name},
            {"target_label": "service", "replacement": name},
            {"target_label": "platform", "replacement": service.platform.value},
        ],
    }


def scrape_config(view: SystemView) -> dict[str, Any]:
    return {
        "scrape_configs": [
            scrape_job(view, name, service)
            for name, service in scraped_by_prometheus_config(view.blueprint).items()
        ]
    }


def render(view: SystemView) -> dict[str, str]:
    if not scraped_by_prometheus_config(view.blueprint):
        return {}
    return {OUT_FILE: dump(scrape_config(view))}
