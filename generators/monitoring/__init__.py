"""The monitoring generator: Prometheus scrape jobs off Kubernetes and a Grafana dashboard."""

from __future__ import annotations

from blueprint.model import Blueprint
from generators import RenderContext
from generators.monitoring import grafana, prometheus
from generators.monitoring.targets import metric_services, scraped_by_prometheus_config, settings


class MonitoringGenerator:
    name = "monitoring"
    description = "Prometheus scrape configuration and Grafana dashboard with its provisioning"

    def applies_to(self, blueprint: Blueprint) -> bool:
        """Any service with a metrics endpoint, unless everything is on Kubernetes (where the
        chart's ServiceMonitor covers scraping) and the dashboard is turned off."""
        if not metric_services(blueprint):
            return False
        return settings(blueprint).dashboard or bool(scraped_by_prometheus_config(blueprint))

    def render(self, ctx: RenderContext) -> dict[str, str]:
        return {**prometheus.render(ctx.view), **grafana.render(ctx.blueprint)}


GENERATOR = MonitoringGenerator()
