"""Every object validates with the real tools: kubernetes-validate (strict, newest Kubernetes
it ships), the ServiceMonitor CRD schema, kustomize (`kubectl kustomize`) and checkov."""

from __future__ import annotations

import json
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from tests.checkov_support import run_checkov
from tests.conftest import TEST_DATA
from tests.generators.kubernetes.structural import STRUCTURAL
from tests.generators.kubernetes.support import (
    K8S_EXAMPLES,
    SINKS,
    documents,
    manifest_objects,
    render_stamped,
    write,
)

CASES = [*K8S_EXAMPLES, *SINKS]
KUBERNETES_VERSION = kubernetes_validate.latest_version()
CRDS = {
    ("monitoring.coreos.com/v1", "ServiceMonitor"): "monitoring.coreos.com/servicemonitor_v1.json",
    ("keda.sh/v1alpha1", "ScaledObject"): "keda.sh/scaledobject_v1alpha1.json",
}


def _strict(schema: Any) -> Any:
    """The CRD schema as the API server applies it with strict field validation: an unknown
    field is an error, not silently pruned."""
    if isinstance(schema, dict):
        out = {k: _strict(v) for k, v in schema.items()}
        if out.get("type") == "object" and "properties" in out:
            out.setdefault("additionalProperties", False)
        return out
    if isinstance(schema, list):
        return [_strict(v) for v in schema]
    return schema


@cache
def crd_schema(path: str) -> dict[str, Any]:
    schema: dict[str, Any] = _strict(
        json.loads((TEST_DATA / "schemas/crds" / path).read_text(encoding="utf-8"))
    )
    # metadata is validated by the API server itself, not by the CRD's openAPIV3Schema.
    schema["properties"]["metadata"].pop("additionalProperties", None)
    return schema


def test_kubernetes_validate_is_recent() -> None:
    major, minor, *_ = (int(p) for p in KUBERNETES_VERSION.split("."))
    assert (major, minor) >= (1, 33)


@pytest.mark.parametrize("example", CASES)
def test_every_object_validates(example: str, tmp_path: Path) -> None:
    kube = write(render_stamped(example), tmp_path)
    kinds: set[str] = set()
    for _, obj in manifest_objects(kube):
        kinds.add(obj["kind"])
        crd = CRDS.get((obj["apiVersion"], obj["kind"]))
        structural = STRUCTURAL.get((obj["apiVersion"], obj["kind"]))
        if crd is not None:
            jsonschema.validate(obj, crd_schema(crd))
        elif structural is not None:
            jsonschema.validate(obj, structural)
        else:
            kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
    assert {"ServiceAccount", "NetworkPolicy"} <= kinds


def test_strict_validation_catches_an_unknown_field(tmp_path: Path) -> None:
    kube = write(render_stamped("kubernetes-helm"), tmp_path)
    objects = {obj["kind"]: obj for _, obj in manifest_objects(kube)}
    deployment = objects["Deployment"]
    deployment["spec"]["template"]["spec"]["containers"][0]["securityContex"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)
    monitor = objects["ServiceMonitor"]
    monitor["spec"]["endpoints"][0]["intervall"] = "30s"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            monitor, crd_schema(CRDS[("monitoring.coreos.com/v1", "ServiceMonitor")])
        )


@pytest.mark.parametrize("example", CASES)
def test_kustomization_lists_every_manifest(example: str, tmp_path: Path) -> None:
    kube = write(render_stamped(example), tmp_path)
    kustomization = yaml.safe_load((kube / "manifests/kustomization.yaml").read_text())
    schema = json.loads((TEST_DATA / "schemas/schemastore/kustomization.json").read_text())
    jsonschema.validate(kustomization, schema)
    files = sorted(p.name for p in (kube / "manifests").glob("*.yaml"))
    assert sorted(kustomization["resources"]) == [f for f in files if f != "kustomization.yaml"]


@pytest.mark.parametrize("example", CASES)
def test_kubectl_kustomize_builds_the_manifests(example: str, tmp_path: Path) -> None:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed; the kustomization is still schema-checked")
    kube = write(render_stamped(example), tmp_path)
    proc = subprocess.run(
        [kubectl, "kustomize", str(kube / "manifests")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (proc.returncode, proc.stderr) == (0, "")
    built = sorted((o["kind"], o["metadata"]["name"]) for o in documents(proc.stdout))
    assert built == sorted((o["kind"], o["metadata"]["name"]) for _, o in manifest_objects(kube))


def _suppressions(kube: Path) -> list[str]:
    return sorted(
        value.split("=", 1)[0]
        for _, obj in manifest_objects(kube)
        for key, value in obj["metadata"].get("annotations", {}).items()
        if key.startswith("checkov.io/skip")
    )


@pytest.mark.checkov
@pytest.mark.parametrize("example", CASES)
def test_checkov_finds_nothing(example: str, tmp_path: Path) -> None:
    kube = write(render_stamped(example), tmp_path)
    result = run_checkov(kube / "manifests", "kubernetes")
    assert (result.failed, result.parsing_errors, result.failures) == (0, 0, ())
    assert result.passed > 0
    # Every suppression the manifests carry names a check that ran on that object.
    assert result.skipped == len(_suppressions(kube))


def test_only_checks_that_cannot_apply_are_suppressed(tmp_path: Path) -> None:
    suppressed: set[str] = set()
    for example in CASES:
        suppressed.update(_suppressions(write(render_stamped(example), tmp_path / example)))
    # 43: tag without digest; 8/9: workers without a port; 35: env secrets; 38: API token;
    # 11: limits declared without a CPU limit on purpose.
    assert suppressed == {
        "CKV_K8S_8",
        "CKV_K8S_9",
        "CKV_K8S_11",
        "CKV_K8S_35",
        "CKV_K8S_38",
        "CKV_K8S_43",
    }
