"""Where things are in the committed out/ tree, and what the GitOps objects are called.

The paths here are the contract with the other generators: the kubernetes generator writes the
chart to `kubernetes/chart/` and one values file per workload to `kubernetes/values/<name>.yaml`;
the aws and gcp generators write Terraform to the roots the system view lists
(`aws/terraform/`, `gcp/terraform/`).
"""

from __future__ import annotations

import hashlib

from blueprint.model import Blueprint, Job, KubernetesSettings, Platform, Service
from blueprint.view import SystemView

CHART_DIR = "kubernetes/chart"
VALUES_DIR = "kubernetes/values"
ARGOCD_NAMESPACE = "argocd"
FLUX_NAMESPACE = "flux-system"
# The namespace Kubernetes always has: never created, never deleted by a controller.
PREEXISTING_NAMESPACE = "default"
_MAX_NAME = 63


def kubernetes_workloads(bp: Blueprint) -> dict[str, Service | Job]:
    """Services and jobs that run on Kubernetes, by name (sorted)."""
    return {
        name: w for name, w in sorted(bp.workloads().items()) if w.platform is Platform.KUBERNETES
    }


def kubernetes_settings(bp: Blueprint) -> KubernetesSettings:
    return bp.platforms.kubernetes or KubernetesSettings()


def creates_namespace(bp: Blueprint) -> bool:
    return kubernetes_settings(bp).namespace != PREEXISTING_NAMESPACE


def terraform_directories(view: SystemView) -> dict[str, str]:
    """The Terraform roots under out/<example>/, by cloud, as the system view decides them
    (`SystemView.iac_roots`): the same answer the cloud generators render by, so every
    Terraform directory rendered is one a controller applies, and no other."""
    return {r.cloud.value: r.path for r in view.iac_roots if r.tool == "terraform"}


def repo_path(bp: Blueprint, relative: str) -> str:
    """A path inside the Git repository: the blueprint's out/ directory joined with `relative`."""
    assert bp.gitops is not None
    return f"{bp.gitops.path}/{relative}"


def qualified_name(system: str, part: str) -> str:
    """`<system>-<part>`, a DNS label unique per system; shortened with a stable hash suffix
    when longer than 63 characters (names of objects that share the controller's namespace)."""
    name = f"{system}-{part}"
    if len(name) <= _MAX_NAME:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[: _MAX_NAME - 9].rstrip('-')}-{digest}"


def common_labels(bp: Blueprint) -> dict[str, str]:
    return {
        "app.kubernetes.io/managed-by": "blueprint",
        "app.kubernetes.io/part-of": bp.name,
    }


def workload_labels(bp: Blueprint, workload: str) -> dict[str, str]:
    return {**common_labels(bp), "app.kubernetes.io/name": workload}


def kustomize_config(resources: list[str]) -> dict[str, object]:
    """A kustomization.yaml listing files so `kubectl apply -k <dir>` applies the directory."""
    return {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": sorted(resources),
    }
