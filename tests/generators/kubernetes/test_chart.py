"""The workload chart itself: it lints, its metadata is a valid Chart.yaml, its schema makes
Helm refuse bad values, and it refuses a release not named after its workload."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import helm_python
import jsonschema
import pytest
import yaml

from generators.kubernetes import CHART_VERSION
from generators.kubernetes.chart import CHART_METADATA, DEFAULT_VALUES, chart_files
from tests.conftest import TEST_DATA
from tests.generators.kubernetes.support import kitchen_sink, render, write
from tests.support import load_example


@pytest.fixture
def chart_dir(tmp_path: Path) -> Path:
    return write(render(load_example("kubernetes-helm").blueprint), tmp_path) / "chart"


@pytest.fixture
def hello_values(tmp_path: Path) -> dict[str, Any]:
    kube = write(render(load_example("kubernetes-helm").blueprint), tmp_path / "values")
    values: dict[str, Any] = helm_python.values_from_yaml((kube / "values/hello.yaml").read_text())
    return values


def test_chart_is_shipped_identically_for_every_blueprint() -> None:
    chart = {p: t for p, t in render(kitchen_sink()).items() if p.startswith("kubernetes/chart/")}
    other = {
        p: t
        for p, t in render(load_example("latency-chain").blueprint).items()
        if p.startswith("kubernetes/chart/")
    }
    assert chart == other == {f"kubernetes/chart/{p}": t for p, t in chart_files().items()}


def test_chart_metadata(chart_dir: Path) -> None:
    metadata = yaml.safe_load((chart_dir / "Chart.yaml").read_text())
    assert metadata == CHART_METADATA
    assert (metadata["apiVersion"], metadata["name"], metadata["version"]) == (
        "v2",
        "workload",
        CHART_VERSION,
    )
    schema = json.loads((TEST_DATA / "schemas/schemastore/chart.json").read_text())
    jsonschema.validate(metadata, schema)
    with helm_python.Chart.load(chart_dir) as chart:
        assert (chart.name, chart.version) == ("workload", CHART_VERSION)
        assert chart.values == DEFAULT_VALUES
        assert chart.schema is not None


def test_chart_lints_with_its_defaults_and_with_blueprint_values(
    chart_dir: Path, hello_values: dict[str, Any]
) -> None:
    for values in (None, hello_values):
        report = helm_python.lint(
            chart_dir, values, strict=True, namespace="hello", kube_version="v1.33.0"
        )
        assert report["errors"] == []
        # Only the icon recommendation (severity 1, info) remains.
        assert [(m["severity"], m["error"]) for m in report["messages"]] == [
            (1, "icon is recommended")
        ]


def _set(values: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    bad = copy.deepcopy(values)
    *parents, last = path.split(".")
    node: Any = bad
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return bad


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("replicaCount", 3, "additional properties 'replicaCount' not allowed"),
        ("image.tagg", "1.0", "additional properties 'tagg' not allowed"),
        ("replicas", "3", "got string, want integer"),
        ("replicas", -1, "minimum"),
        ("service.type", "ExternalName", "value must be one of"),
        ("service.nodePort", 80, "anyOf"),
        ("resources.requests.cpu", 0.25, "got number, want string"),
        ("env", [{"name": "A", "value": 1}], "got number, want string"),
        ("secretEnv", [{"name": "A", "secret": "vault", "key": "k", "value": "s3cr3t"}], "value"),
        ("networkPolicy.ingress", [{"from": [{"podSelector": {"app": "x"}}]}], "app"),
        ("checkovSkips", [{"id": "CKV_K8S_8", "reason": "a=b"}], "does not match pattern"),
        ("probes.handler.port", 0, "minimum"),
        ("probes.handler.type", "udp", "value must be one of"),
        ("workload", "daemon", "value must be one of"),
    ],
)
def test_schema_makes_helm_refuse_bad_values(
    chart_dir: Path, hello_values: dict[str, Any], path: str, value: Any, message: str
) -> None:
    with helm_python.Chart.load(chart_dir) as chart:
        chart.validate_schema(hello_values)
        bad = _set(hello_values, path, value)
        with pytest.raises(helm_python.HelmValuesError) as caught:
            chart.validate_schema(bad)
        assert message in str(caught.value)
        # Rendering validates too: Helm never renders values its schema refuses.
        with pytest.raises(helm_python.HelmValuesError):
            chart.render(bad, name="hello", namespace="hello")


def test_a_cron_workload_needs_a_schedule(chart_dir: Path, hello_values: dict[str, Any]) -> None:
    with helm_python.Chart.load(chart_dir) as chart:
        with pytest.raises(helm_python.HelmValuesError, match="minLength"):
            chart.validate_schema(_set(hello_values, "workload", "cron"))
        cron = _set(_set(hello_values, "workload", "cron"), "cron.schedule", "*/5 * * * *")
        chart.validate_schema(cron)


@pytest.mark.parametrize(
    ("name", "namespace", "message"),
    [
        (
            "other",
            "hello",
            'the release is named "other" but these values are for the workload "hello"',
        ),
        (
            "hello",
            "default",
            'the release is in namespace "default" but these values are for namespace "hello"',
        ),
    ],
)
def test_release_must_be_named_after_its_workload(
    chart_dir: Path, hello_values: dict[str, Any], name: str, namespace: str, message: str
) -> None:
    with (
        helm_python.Chart.load(chart_dir) as chart,
        pytest.raises(helm_python.HelmRenderError) as caught,
    ):
        chart.render(hello_values, name=name, namespace=namespace)
    assert message in str(caught.value)


def test_defaults_render_a_release_named_after_the_release(chart_dir: Path) -> None:
    with helm_python.Chart.load(chart_dir) as chart:
        rendered = chart.render(None, name="demo", namespace="apps")
    objects = [doc for text in rendered.values() for doc in yaml.safe_load_all(text) if doc]
    assert sorted(
        (o["kind"], o["metadata"]["name"], o["metadata"]["namespace"]) for o in objects
    ) == [
        ("Deployment", "demo", "apps"),
        ("NetworkPolicy", "demo", "apps"),
        ("Service", "demo", "apps"),
        ("ServiceAccount", "demo", "apps"),
    ]
