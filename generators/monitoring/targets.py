"""Which services are monitored, and how: the shared view of the Prometheus and Grafana files."""

from __future__ import annotations

import functools
import hashlib

from blueprint.model import Blueprint, Monitoring, Platform, Service


def settings(bp: Blueprint) -> Monitoring:
    """The blueprint's monitoring block, or the defaults when it declares none."""
    return bp.monitoring if bp.monitoring is not None else _defaults()


@functools.cache
def _defaults() -> Monitoring:
    # Asked once per monitored service; the model is frozen, so one instance serves them all.
    return Monitoring()


def metric_services(bp: Blueprint) -> dict[str, Service]:
    """Services with a metrics endpoint, by name (sorted)."""
    return {name: s for name, s in sorted(bp.services.items()) if s.metrics is not None}


def scraped_by_prometheus_config(bp: Blueprint) -> dict[str, Service]:
    """Metric services off Kubernetes. On Kubernetes the chart's ServiceMonitor declares the
    scrape to the Prometheus Operator, so no static configuration is rendered for them."""
    return {
        name: s for name, s in metric_services(bp).items() if s.platform is not Platform.KUBERNETES
    }


def stable_uid(system: str, role: str) -> str:
    """A Grafana uid (8 to 40 characters of [-a-z0-9]) derived from the system name alone: it
    survives every other change to the blueprint, so links and bookmarks keep working."""
    digest = hashlib.sha256(f"{system}\0{role}".encode()).hexdigest()[:8]
    head = system[: 40 - len(role) - 10].rstrip("-")
    return f"{head}-{role}-{digest}"
