"""Grafana: one dashboard per system, its Prometheus datasource and its dashboard provider.

The queries follow the metric names of prometheus-fastapi-instrumentator (the seed's FastAPI)
and most HTTP middlewares: `http_requests_total` with a `status` label ("5xx" when grouped,
"503" when not: `5..` matches both) and the `http_request_duration_seconds` histogram. They
select on the `service` label, which the Prometheus Operator sets from the Kubernetes Service
behind a ServiceMonitor and the scrape configuration sets for every other platform.

No file carries a credential: the datasource needs none (Prometheus inside the network) and
Grafana's admin account is configured where Grafana is deployed, never here.
"""

from __future__ import annotations

from typing import Any

from blueprint.json_text import dumps_indented
from blueprint.model import Blueprint
from generators.common.yamldump import dump
from generators.monitoring.targets import metric_services, settings, stable_uid

OUT_DIR = "monitoring/grafana"
# Where the provider reads dashboards inside the Grafana container (mount dashboards/ there).
DASHBOARDS_MOUNT = "/var/lib/grafana/dashboards"
SCHEMA_VERSION = 39  # Grafana 10.4/11: timeseries panels, datasource references by uid
DATASOURCE_VARIABLE = "datasource"
SERVICE_VARIABLE = "service"
_PANEL_WIDTH = 8
_PANEL_HEIGHT = 8
_QUANTILES = (("p50", "0.5"), ("p95", "0.95"), ("p99", "0.99"))
_DATASOURCE_REF = {"type": "prometheus", "uid": f"${{{DATASOURCE_VARIABLE}}}"}
_SELECTOR = f'{SERVICE_VARIABLE}=~"${SERVICE_VARIABLE}"'


def dashboard_uid(bp: Blueprint) -> str:
    return stable_uid(bp.name, "dash")


def datasource_uid(bp: Blueprint) -> str:
    return stable_uid(bp.name, "prom")


def datasource_name(bp: Blueprint) -> str:
    return f"Prometheus ({bp.name})"


def _rate(metric: str, extra: str = "") -> str:
    return f"rate({metric}{{{_SELECTOR}{extra}}}[$__rate_interval])"


def request_rate_expr() -> str:
    return f"sum by (service) ({_rate('http_requests_total')})"


def error_ratio_expr() -> str:
    # `or total * 0` keeps a 0 line for a service with no 5xx yet (instead of no line at all).
    server_errors = ', status=~"5.."'
    errors = f"sum by (service) ({_rate('http_requests_total', server_errors)})"
    total = f"sum by (service) ({_rate('http_requests_total')})"
    return f"({errors} or {total} * 0) / {total}"


def latency_expr(quantile: str) -> str:
    buckets = _rate("http_request_duration_seconds_bucket")
    return f"histogram_quantile({quantile}, sum by (service, le) ({buckets}))"


def _target(ref_id: str, expr: str, legend: str) -> dict[str, Any]:
    return {
        "datasource": _DATASOURCE_REF,
        "editorMode": "code",
        "expr": expr,
        "legendFormat": legend,
        "range": True,
        "refId": ref_id,
    }


def _panel(
    panel_id: int,
    title: str,
    description: str,
    unit: str,
    targets: list[dict[str, Any]],
    limits: dict[str, float] | None = None,
) -> dict[str, Any]:
    return {
        "datasource": _DATASOURCE_REF,
        "description": description,
        "fieldConfig": {"defaults": {"unit": unit, **(limits or {})}, "overrides": []},
        "gridPos": {
            "h": _PANEL_HEIGHT,
            "w": _PANEL_WIDTH,
            "x": (panel_id - 1) * _PANEL_WIDTH,
            "y": 0,
        },
        "id": panel_id,
        "options": {
            "legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
            "tooltip": {"mode": "multi", "sort": "desc"},
        },
        "targets": targets,
        "title": title,
        "type": "timeseries",
    }


def panels() -> list[dict[str, Any]]:
    return [
        _panel(
            1,
            "Request rate",
            "Requests per second, by service (http_requests_total).",
            "reqps",
            [_target("A", request_rate_expr(), "{{service}}")],
        ),
        _panel(
            2,
            "Error rate (5xx)",
            "Share of requests answered with a 5xx status, by service.",
            "percentunit",
            [_target("A", error_ratio_expr(), "{{service}}")],
            {"min": 0, "max": 1},
        ),
        _panel(
            3,
            "Latency p50 / p95 / p99",
            "Request duration quantiles, by service (http_request_duration_seconds).",
            "s",
            [
                _target(chr(ord("A") + i), latency_expr(q), f"{{{{service}}}} {label}")
                for i, (label, q) in enumerate(_QUANTILES)
            ],
        ),
    ]


def _templating(bp: Blueprint) -> dict[str, Any]:
    services = list(metric_services(bp))
    all_option = {"selected": True, "text": "All", "value": "$__all"}
    return {
        "list": [
            {
                "current": {"text": datasource_name(bp), "value": datasource_uid(bp)},
                "hide": 0,
                "includeAll": False,
                "label": "Data source",
                "multi": False,
                "name": DATASOURCE_VARIABLE,
                "options": [],
                "query": "prometheus",
                "regex": "",
                "type": "datasource",
            },
            {
                "current": {"text": "All", "value": "$__all"},
                "hide": 0,
                "includeAll": True,
                "label": "Service",
                "multi": True,
                "name": SERVICE_VARIABLE,
                "options": [
                    all_option,
                    *({"selected": False, "text": s, "value": s} for s in services),
                ],
                "query": ",".join(services),
                "type": "custom",
            },
        ]
    }


def dashboard(bp: Blueprint) -> dict[str, Any]:
    board: dict[str, Any] = {
        "annotations": {"list": []},
        "editable": False,
        "graphTooltip": 1,
        "links": [],
        "panels": panels(),
        "refresh": "30s",
        "schemaVersion": SCHEMA_VERSION,
        "tags": ["blueprint", bp.name],
        "templating": _templating(bp),
        "time": {"from": "now-6h", "to": "now"},
        "timepicker": {},
        "timezone": "utc",
        "title": bp.name,
        "uid": dashboard_uid(bp),
        "version": 1,
    }
    if bp.description:
        board["description"] = bp.description
    return board


def datasource_provisioning(bp: Blueprint) -> dict[str, Any]:
    interval = settings(bp).scrape_interval_seconds
    return {
        "apiVersion": 1,
        "datasources": [
            {
                "access": "proxy",
                "editable": False,
                "isDefault": False,
                # timeInterval = the scrape interval, so $__rate_interval spans enough samples.
                "jsonData": {"httpMethod": "POST", "timeInterval": f"{interval}s"},
                "name": datasource_name(bp),
                "type": "prometheus",
                "uid": datasource_uid(bp),
                "url": settings(bp).prometheus_url,
            }
        ],
    }


def dashboard_provider(bp: Blueprint) -> dict[str, Any]:
    return {
        "apiVersion": 1,
        "providers": [
            {
                "allowUiUpdates": False,
                "disableDeletion": True,
                "folder": bp.name,
                "name": bp.name,
                "options": {"path": f"{DASHBOARDS_MOUNT}/{bp.name}"},
                "orgId": 1,
                "type": "file",
                "updateIntervalSeconds": 30,
            }
        ],
    }


def render(bp: Blueprint) -> dict[str, str]:
    if not settings(bp).dashboard or not metric_services(bp):
        return {}
    return {
        # json.dumps(sort_keys=True, indent=2, ensure_ascii=False), byte for byte, faster.
        f"{OUT_DIR}/dashboards/{bp.name}.json": dumps_indented(dashboard(bp)) + "\n",
        f"{OUT_DIR}/provisioning/datasources/{bp.name}.yaml": dump(datasource_provisioning(bp)),
        f"{OUT_DIR}/provisioning/dashboards/{bp.name}.yaml": dump(dashboard_provider(bp)),
    }
