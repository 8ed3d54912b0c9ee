"""The JSON schemas the GitOps objects are validated against, from tests/data/schemas/."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator

SCHEMAS = Path(__file__).resolve().parents[2] / "data" / "schemas"

# (apiVersion, kind) -> the CRD schema (the catalog's conversion of openAPIV3Schema).
CRD_SCHEMAS = {
    ("argoproj.io/v1alpha1", "AppProject"): "crds/argoproj.io/appproject_v1alpha1.json",
    ("argoproj.io/v1alpha1", "Application"): "crds/argoproj.io/application_v1alpha1.json",
    ("source.toolkit.fluxcd.io/v1", "GitRepository"): (
        "crds/source.toolkit.fluxcd.io/gitrepository_v1.json"
    ),
    ("kustomize.toolkit.fluxcd.io/v1", "Kustomization"): (
        "crds/kustomize.toolkit.fluxcd.io/kustomization_v1.json"
    ),
    ("helm.toolkit.fluxcd.io/v2", "HelmRelease"): "crds/helm.toolkit.fluxcd.io/helmrelease_v2.json",
    ("infra.contrib.fluxcd.io/v1alpha2", "Terraform"): (
        "crds/infra.contrib.fluxcd.io/terraform_v1alpha2.json"
    ),
}
KUSTOMIZE_CONFIG = ("kustomize.config.k8s.io/v1beta1", "Kustomization")


@cache
def validator(relative: str) -> Draft7Validator:
    schema = json.loads((SCHEMAS / relative).read_text(encoding="utf-8"))
    # The CRD conversions carry no $schema; their keywords are all draft-7 compatible.
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def schema_for(document: dict[str, Any]) -> str:
    key = (document["apiVersion"], document["kind"])
    if key == KUSTOMIZE_CONFIG:
        return "schemastore/kustomization.json"
    return CRD_SCHEMAS[key]


def errors(document: dict[str, Any]) -> list[str]:
    found = validator(schema_for(document)).iter_errors(document)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in found]
