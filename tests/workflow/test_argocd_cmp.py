"""The Argo CD Config Management Plugin: its generate command, run exactly as plugin.yaml
states in a repository holding only blueprint.yaml, prints valid Kubernetes objects."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from tests.conftest import TEST_DATA
from tests.support import ROOT

CMP = ROOT / "deploy" / "argocd-cmp"
EXAMPLE = ROOT / "examples" / "kubernetes-helm" / "blueprint.yaml"
KUBERNETES_VERSION = "1.33.0"


def validate_object(document: dict[str, Any]) -> None:
    """Kubernetes kinds with kubernetes-validate (strict); custom resources with their CRD."""
    group, _, version = document["apiVersion"].rpartition("/")
    crd = TEST_DATA / "schemas" / "crds" / group / f"{document['kind'].lower()}_{version}.json"
    if group and crd.is_file():
        schema = json.loads(crd.read_text(encoding="utf-8"))
        jsonschema.validators.validator_for(schema)(schema).validate(document)
    else:
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def _plugin() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((CMP / "plugin.yaml").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def blueprint_on_path(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH has a `blueprint` that runs this checkout, as the sidecar's
    installed console script would."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "blueprint"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m blueprint "$@"\n', encoding="utf-8")
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    return {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
        "ARGOCD_APP_NAME": "hello",
        "ARGOCD_APP_NAMESPACE": "hello",
    }


def _generate(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    spec = _plugin()["spec"]["generate"]
    return subprocess.run(
        [*spec["command"], *spec.get("args", [])],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _repo(tmp_path: Path, text: str) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "blueprint.yaml").write_text(text, encoding="utf-8")
    return repo


def test_plugin_is_a_config_management_plugin() -> None:
    plugin = _plugin()
    assert (plugin["apiVersion"], plugin["kind"], plugin["metadata"]["name"]) == (
        "argoproj.io/v1alpha1",
        "ConfigManagementPlugin",
        "blueprint",
    )
    assert plugin["spec"]["discover"] == {"fileName": "./blueprint.yaml"}
    assert plugin["spec"]["generate"]["command"] == ["sh", "-c"]


def test_generate_prints_one_valid_stream(
    tmp_path: Path, blueprint_on_path: dict[str, str]
) -> None:
    repo = _repo(tmp_path, EXAMPLE.read_text(encoding="utf-8"))
    done = _generate(repo, blueprint_on_path)
    assert (done.returncode, done.stderr) == (0, "")
    documents = list(yaml.safe_load_all(done.stdout))
    kinds = sorted((d["kind"], d["metadata"]["name"]) for d in documents)
    assert ("Deployment", "hello") in kinds
    assert ("Service", "hello") in kinds
    assert ("ServiceMonitor", "hello") in kinds
    for document in documents:
        validate_object(document)
    assert sorted(p.name for p in repo.iterdir()) == ["blueprint.yaml"]  # nothing written


def test_environment_comes_from_the_application(
    tmp_path: Path, blueprint_on_path: dict[str, str]
) -> None:
    text = EXAMPLE.read_text(encoding="utf-8") + (
        "environments:\n  prod:\n    services:\n      hello: {replicas: 5}\n"
    )
    repo = _repo(tmp_path, text)
    done = _generate(repo, {**blueprint_on_path, "ARGOCD_ENV_BLUEPRINT_ENV": "prod"})
    assert (done.returncode, done.stderr) == (0, "")
    deployment = next(d for d in yaml.safe_load_all(done.stdout) if d["kind"] == "Deployment")
    assert deployment["spec"]["replicas"] == 5


def test_a_hostile_environment_value_stays_one_argument(
    tmp_path: Path, blueprint_on_path: dict[str, str]
) -> None:
    repo = _repo(tmp_path, EXAMPLE.read_text(encoding="utf-8"))
    hostile = 'prod"; touch pwned; echo "$(touch pwned2)'
    done = _generate(repo, {**blueprint_on_path, "ARGOCD_ENV_BLUEPRINT_ENV": hostile})
    assert done.returncode == 2
    assert done.stdout == ""
    assert "environment" in done.stderr
    assert sorted(p.name for p in repo.iterdir()) == ["blueprint.yaml"]


def test_policy_errors_fail_generation(tmp_path: Path, blueprint_on_path: dict[str, str]) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "    allow_from: [{cidr: 10.0.0.0/8, ports: [8080]}]\n",
        "    allow_from: [{cidr: 0.0.0.0/0, ports: [22]}]\n",
    )
    assert "0.0.0.0/0" in text
    repo = _repo(tmp_path, text)
    done = _generate(repo, blueprint_on_path)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("blueprint.yaml:")
    assert "render refused" in done.stderr


def test_application_validates_against_its_crd() -> None:
    schema = json.loads(
        (TEST_DATA / "schemas" / "crds" / "argoproj.io" / "application_v1alpha1.json").read_text()
    )
    application = yaml.safe_load((CMP / "application.yaml").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(application)
    assert application["spec"]["source"]["plugin"]["name"] == _plugin()["metadata"]["name"]


def test_kustomization_matches_the_schemastore_schema() -> None:
    schema = json.loads((TEST_DATA / "schemas" / "schemastore" / "kustomization.json").read_text())
    kustomization = yaml.safe_load((CMP / "kustomization.yaml").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(kustomization)


# The parts of the stock argocd-repo-server Deployment the patch relies on.
_REPO_SERVER = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: argocd-repo-server
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: argocd-repo-server}
  template:
    metadata:
      labels: {app.kubernetes.io/name: argocd-repo-server}
    spec:
      containers:
        - name: argocd-repo-server
          image: quay.io/argoproj/argocd:v2.13.3
      volumes:
        - {name: var-files, emptyDir: {}}
        - {name: plugins, emptyDir: {}}
"""


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_sidecar_patch_builds_with_kustomize(tmp_path: Path) -> None:
    """kubectl kustomize applies the patch and generates the ConfigMap; with a local stand-in
    for the remote install manifest (tests never use the network)."""
    build = tmp_path / "argocd-cmp"
    shutil.copytree(CMP, build)
    (build / "repo-server.yaml").write_text(_REPO_SERVER, encoding="utf-8")
    kustomization = yaml.safe_load((build / "kustomization.yaml").read_text())
    kustomization["resources"] = ["repo-server.yaml"]
    (build / "kustomization.yaml").write_text(yaml.safe_dump(kustomization), encoding="utf-8")
    done = subprocess.run(
        ["kubectl", "kustomize", str(build)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    objects = {d["kind"]: d for d in yaml.safe_load_all(done.stdout)}
    for document in objects.values():
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)
    config = objects["ConfigMap"]
    assert config["metadata"] == {"name": "blueprint-cmp-plugin", "namespace": "argocd"}
    assert yaml.safe_load(config["data"]["plugin.yaml"]) == _plugin()
    pod = objects["Deployment"]["spec"]["template"]["spec"]
    sidecar = next(c for c in pod["containers"] if c["name"] == "blueprint-cmp")
    assert sidecar["command"] == ["/var/run/argocd/argocd-cmp-server"]
    assert sidecar["securityContext"]["runAsUser"] == 999
    mounts = {m["mountPath"]: m for m in sidecar["volumeMounts"]}
    assert mounts["/home/argocd/cmp-server/config/plugin.yaml"] == {
        "mountPath": "/home/argocd/cmp-server/config/plugin.yaml",
        "name": "blueprint-cmp-plugin",
        "subPath": "plugin.yaml",
    }
    assert {"/var/run/argocd", "/home/argocd/cmp-server/plugins", "/tmp"} <= set(mounts)
    assert sorted(v["name"] for v in pod["volumes"]) == [
        "blueprint-cmp-plugin",
        "blueprint-cmp-tmp",
        "plugins",
        "var-files",
    ]
