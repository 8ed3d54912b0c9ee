"""checkov runs on the output with overrides applied (issue 12, item 5): for each framework, a
blueprint whose override adds or weakens something renders output where checkov reports
exactly that, on the overridden resource: the overrides reach the files checkov reads, and
nothing else in the output fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.blueprint.support_samples import base
from tests.checkov_support import run_checkov
from tests.support import run_cli

# An extra log group without a KMS key, beside the rendered (encrypted) ones.
TERRAFORM_EXTRA = """\
resource "aws_cloudwatch_log_group" "audit" {
  name              = "/walk/audit"
  retention_in_days = 365
}
"""
STORAGE_MODULE = """\
param location string

resource archive 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'starchive${uniqueString(resourceGroup().id)}'
  location: location
  sku: {
    name: 'Standard_GRS'
  }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Disabled'
    allowSharedKeyAccess: false
  }
}
"""


def _render(tmp_path: Path, data: dict[str, Any], target: str) -> Path:
    path = tmp_path / "blueprint.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    code, _out, err = run_cli("render", str(path), "--out", str(out), "--only", target)
    assert (code, err) == (0, "")
    return out


def _failed(failures: tuple[str, ...]) -> set[str]:
    """Each failure "CKV_X resource (file:line): title" as "CKV_X resource"."""
    return {" ".join(f.split()[:2]) for f in failures}


def _aws(tmp_path: Path) -> Path:
    data = base("aws")
    data["platforms"]["aws"]["formats"] = ["terraform", "cloudformation"]
    data["overrides"] = {
        "terraform": {"aws": {"files": {"audit.tf": {"content": TERRAFORM_EXTRA}}}},
        "cloudformation": {"resources": {"WebLogs": {"merge": {"Properties": {"KmsKeyId": None}}}}},
    }
    return _render(tmp_path, data, "aws")


@pytest.mark.checkov
def test_checkov_sees_the_terraform_overrides(tmp_path: Path) -> None:
    result = run_checkov(_aws(tmp_path) / "aws/terraform", "terraform")
    assert result.parsing_errors == 0
    assert _failed(result.failures) == {"CKV_AWS_158 aws_cloudwatch_log_group.audit"}


@pytest.mark.checkov
def test_checkov_sees_the_cloudformation_merges(tmp_path: Path) -> None:
    result = run_checkov(_aws(tmp_path) / "aws/cloudformation", "cloudformation")
    assert result.parsing_errors == 0
    assert _failed(result.failures) == {"CKV_AWS_158 AWS::Logs::LogGroup.WebLogs"}


@pytest.mark.checkov
def test_checkov_sees_the_bicep_modules(tmp_path: Path) -> None:
    data = base("azure")
    data["overrides"] = {"bicep": {"modules": {"archive.bicep": {"content": STORAGE_MODULE}}}}
    out = _render(tmp_path, data, "azure")
    result = run_checkov(out / "azure/bicep", "bicep")
    assert result.parsing_errors == 0
    # checkov reads the module: its storage account (no network rules, a computed name) fails
    # exactly these, and nothing else in the output fails.
    assert _failed(result.failures) == {
        "CKV_AZURE_35 Microsoft.Storage/storageAccounts.archive",
        "CKV_AZURE_43 Microsoft.Storage/storageAccounts.archive",
    }


@pytest.mark.checkov
def test_checkov_sees_the_kubernetes_patches(tmp_path: Path) -> None:
    data = base("kubernetes")
    container = {"name": "web", "securityContext": {"privileged": True}}
    patch = {
        "target": {"kind": "Deployment"},
        "strategic_merge": {"spec": {"template": {"spec": {"containers": [container]}}}},
    }
    data["overrides"] = {"kubernetes": {"workloads": {"web": {"patches": [patch]}}}}
    out = _render(tmp_path, data, "kubernetes")
    result = run_checkov(out / "kubernetes/manifests", "kubernetes")
    assert result.parsing_errors == 0
    assert {f.split()[0] for f in result.failures} == {"CKV_K8S_16"}
