from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import pytest
import yaml

from generators.monitoring.targets import stable_uid
from tests.conftest import EXAMPLES
from tests.generators.monitoring.render import mixed, render, render_example
from tests.generators.monitoring.schemas import dashboard_errors

DASHBOARD = "monitoring/grafana/dashboards/mixed.json"
DATASOURCES = "monitoring/grafana/provisioning/datasources/mixed.yaml"
PROVIDERS = "monitoring/grafana/provisioning/dashboards/mixed.yaml"
UID = re.compile(r"^[-a-z0-9]{8,40}$")
_HELLO = {"registry": "ghcr.io", "repository": "example/hello", "tag": "1"}


def _dashboards() -> dict[str, dict[str, Any]]:
    cases = {f"example-{e}": render_example(e) for e in EXAMPLES}
    cases["fixture-mixed"] = render(mixed())
    return {
        f"{case}:{path}": json.loads(text)
        for case, files in cases.items()
        for path, text in files.items()
        if path.endswith(".json")
    }


DASHBOARDS = _dashboards()


@pytest.mark.parametrize("key", sorted(DASHBOARDS))
def test_dashboards_validate_against_the_schema(key: str) -> None:
    assert dashboard_errors(DASHBOARDS[key]) == []


@pytest.mark.parametrize("key", sorted(DASHBOARDS))
def test_dashboard_structure(key: str) -> None:
    board = DASHBOARDS[key]
    assert UID.match(board["uid"])
    variables = {v["name"]: v for v in board["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    ids = [p["id"] for p in board["panels"]]
    assert len(ids) == len(set(ids))
    cells: set[tuple[int, int]] = set()
    for panel in board["panels"]:
        pos = panel["gridPos"]
        assert pos["x"] + pos["w"] <= 24
        panel_cells = {
            (x, y)
            for x in range(pos["x"], pos["x"] + pos["w"])
            for y in range(pos["y"], pos["y"] + pos["h"])
        }
        assert not cells & panel_cells, f"panel {panel['id']} overlaps another"
        cells |= panel_cells
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
        ref_ids = [t["refId"] for t in panel["targets"]]
        assert len(ref_ids) == len(set(ref_ids))
        for target in panel["targets"]:
            assert target["datasource"] == panel["datasource"]
            expr = target["expr"]
            assert _balanced(expr), expr
            # Every variable an expression uses is defined (or built in).
            for name in re.findall(r"\$(\w+)", expr):
                assert name in variables or name == "__rate_interval", name


def test_panels_and_queries() -> None:
    board = json.loads(render(mixed())[DASHBOARD])
    queries = {
        panel["title"]: [(t["refId"], t["expr"], t["legendFormat"]) for t in panel["targets"]]
        for panel in board["panels"]
    }
    rate = 'rate(http_requests_total{service=~"$service"}[$__rate_interval])'
    errors = 'rate(http_requests_total{service=~"$service", status=~"5.."}[$__rate_interval])'
    buckets = 'rate(http_request_duration_seconds_bucket{service=~"$service"}[$__rate_interval])'
    assert queries == {
        "Request rate": [("A", f"sum by (service) ({rate})", "{{service}}")],
        "Error rate (5xx)": [
            (
                "A",
                f"(sum by (service) ({errors}) or sum by (service) ({rate}) * 0)"
                f" / sum by (service) ({rate})",
                "{{service}}",
            )
        ],
        "Latency p50 / p95 / p99": [
            (
                ref,
                f"histogram_quantile({q}, sum by (service, le) ({buckets}))",
                f"{{{{service}}}} {p}",
            )
            for ref, q, p in (("A", "0.5", "p50"), ("B", "0.95", "p95"), ("C", "0.99", "p99"))
        ],
    }
    units = [p["fieldConfig"]["defaults"]["unit"] for p in board["panels"]]
    assert units == ["reqps", "percentunit", "s"]


def test_service_variable_lists_the_metric_services_on_every_platform() -> None:
    board = json.loads(render(mixed())[DASHBOARD])
    service = next(v for v in board["templating"]["list"] if v["name"] == "service")
    assert service["query"] == "billing,cart,front,hello,orders"
    assert [o["value"] for o in service["options"]] == [
        "$__all", "billing", "cart", "front", "hello", "orders",
    ]  # fmt: skip
    assert service["current"] == {"text": "All", "value": "$__all"}


def test_uids_are_stable_and_tied_together() -> None:
    files = render(mixed())
    board = json.loads(files[DASHBOARD])
    datasource = yaml.safe_load(files[DATASOURCES])["datasources"][0]
    digest = hashlib.sha256(b"mixed\0dash").hexdigest()[:8]
    assert board["uid"] == f"mixed-dash-{digest}" == "mixed-dash-76bd52c4"
    assert datasource["uid"] == stable_uid("mixed", "prom")
    selected = next(v for v in board["templating"]["list"] if v["name"] == "datasource")
    assert selected["current"] == {"text": datasource["name"], "value": datasource["uid"]}
    # Only the name matters: another description and service list keep the uid.
    one_service = {"hello": {"platform": "cloud-run", "image": _HELLO, "metrics": {}}}
    other = json.loads(render(mixed(description="changed", services=one_service))[DASHBOARD])
    assert other["uid"] == board["uid"]


def test_long_names_give_40_character_uids() -> None:
    uid = stable_uid("s" * 63, "dash")
    assert uid == "s" * 26 + "-dash-" + hashlib.sha256(b"s" * 63 + b"\0dash").hexdigest()[:8]
    assert len(uid) == 40


def test_provisioning_files() -> None:
    files = render(mixed())
    assert yaml.safe_load(files[DATASOURCES]) == {
        "apiVersion": 1,
        "datasources": [
            {
                "access": "proxy",
                "editable": False,
                "isDefault": False,
                "jsonData": {"httpMethod": "POST", "timeInterval": "5s"},
                "name": "Prometheus (mixed)",
                "type": "prometheus",
                "uid": stable_uid("mixed", "prom"),
                "url": "http://prometheus:9090",
            }
        ],
    }
    assert yaml.safe_load(files[PROVIDERS]) == {
        "apiVersion": 1,
        "providers": [
            {
                "allowUiUpdates": False,
                "disableDeletion": True,
                "folder": "mixed",
                "name": "mixed",
                "options": {"path": "/var/lib/grafana/dashboards/mixed"},
                "orgId": 1,
                "type": "file",
                "updateIntervalSeconds": 30,
            }
        ],
    }


def test_prometheus_url_is_configurable() -> None:
    files = render(mixed(monitoring={"prometheus_url": "https://prom.example.com/api"}))
    assert yaml.safe_load(files[DATASOURCES])["datasources"][0]["url"] == (
        "https://prom.example.com/api"
    )


def test_dashboard_off_keeps_only_the_scrape_configuration() -> None:
    assert sorted(render(mixed(monitoring={"dashboard": False}))) == [
        "monitoring/prometheus/scrape-configs.yml"
    ]


def test_the_dashboard_schema_checks_something() -> None:
    board = json.loads(render(mixed())[DASHBOARD])
    board["uid"] = "short"
    board["panels"][0]["gridPos"]["w"] = 25
    assert sorted(dashboard_errors(board)) == [
        "dashboard/panels/0/gridPos/w: 25 is greater than the maximum of 24",
        "dashboard/uid: 'short' is too short",
    ]


def _balanced(expr: str) -> bool:
    pairs = {")": "(", "}": "{", "]": "["}
    stack: list[str] = []
    in_string = False
    for ch in expr:
        if ch == '"':
            in_string = not in_string
        elif in_string:
            continue
        elif ch in "({[":
            stack.append(ch)
        elif ch in pairs and (not stack or stack.pop() != pairs[ch]):
            return False
    return not stack and not in_string
