"""Hostile strings in the fields that reach the monitoring files round-trip exactly."""

from __future__ import annotations

import json
from typing import Any

import yaml
import yaml_rs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint.model.base import nfc
from tests.generators.gitops.tricky import TRICKY_NAMES, TRICKY_TEXT
from tests.generators.monitoring.render import mixed, render

PATH_PARTS = ["yes", "#x", "*x", "&x", "!tag", ":x", "%41", "'", '"', "~", "{x}", "${1}", "1e3"]

names = st.sampled_from(TRICKY_NAMES) | st.from_regex(
    r"[a-z]([-a-z0-9]{0,10}[a-z0-9])?", fullmatch=True
)
texts = st.sampled_from(TRICKY_TEXT) | st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t"), min_size=1
).map(nfc)
metric_paths = st.lists(st.sampled_from(PATH_PARTS), min_size=1, max_size=3).map(
    lambda parts: "/" + "/".join(parts)
)


def _yaml(text: str) -> Any:
    by_pyyaml = yaml.safe_load(text)
    assert by_pyyaml == yaml_rs.loads(text, parse_datetime=False)
    return by_pyyaml


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(system=names, service=names, description=texts, metrics_path=metric_paths)
def test_values_round_trip(system: str, service: str, description: str, metrics_path: str) -> None:
    image = {"registry": "ghcr.io", "repository": "example/x", "tag": "1"}
    bp = mixed(
        name=system,
        description=description,
        services={
            service: {"platform": "cloud-run", "image": image, "metrics": {"path": metrics_path}}
        },
    )
    files = render(bp)

    board = json.loads(files[f"monitoring/grafana/dashboards/{system}.json"])
    assert board["description"] == description
    assert board["title"] == system
    assert board["tags"] == ["blueprint", system]

    datasource = _yaml(files[f"monitoring/grafana/provisioning/datasources/{system}.yaml"])
    assert datasource["datasources"][0]["name"] == f"Prometheus ({system})"
    provider = _yaml(files[f"monitoring/grafana/provisioning/dashboards/{system}.yaml"])
    assert provider["providers"][0]["folder"] == system

    job = _yaml(files["monitoring/prometheus/scrape-configs.yml"])["scrape_configs"][0]
    assert job["job_name"] == f"{system}/{service}"
    assert job["metrics_path"] == metrics_path
    assert job["relabel_configs"][1:] == [
        {"target_label": "system", "replacement": system},
        {"target_label": "service", "replacement": service},
        {"target_label": "platform", "replacement": "cloud-run"},
    ]
