"""Argo CD: one AppProject fenced to the blueprint's repository and namespace, and one
Application per Kubernetes workload pointing at the chart with that workload's values file.

One Application per workload rather than an ApplicationSet: blueprint already knows the list, so
each object is explicit in the reviewed diff, validates against the Application schema as it will
be applied (an ApplicationSet template only becomes an Application after templating), and needs
no ApplicationSet controller.
"""

from __future__ import annotations

from typing import Any

from blueprint.model import Blueprint
from generators.common.yamldump import dump
from generators.gitops.layout import (
    ARGOCD_NAMESPACE,
    CHART_DIR,
    common_labels,
    creates_namespace,
    kubernetes_settings,
    kubernetes_workloads,
    kustomize_config,
    qualified_name,
    repo_path,
    workload_labels,
)

OUT_DIR = "gitops/argocd"
# Deleting the Application deletes what it deployed (foreground cascade).
CASCADE_FINALIZER = "resources-finalizer.argocd.argoproj.io"
_DESCRIPTION_LIMIT = 255  # AppProject.spec.description maxLength


# Argo CD's own project: a system of that name must not replace (and widen) it.
_RESERVED_PROJECTS = frozenset({"default"})


def project_name(bp: Blueprint) -> str:
    return f"blueprint-{bp.name}" if bp.name in _RESERVED_PROJECTS else bp.name


def _description(text: str) -> str:
    if len(text) <= _DESCRIPTION_LIMIT:
        return text
    return text[: _DESCRIPTION_LIMIT - 1] + "…"


def app_project(bp: Blueprint) -> dict[str, Any]:
    assert bp.gitops is not None
    k8s = kubernetes_settings(bp)
    spec: dict[str, Any] = {
        "sourceRepos": [bp.gitops.repository],
        "destinations": [{"server": k8s.server, "namespace": k8s.namespace}],
        # Everything the chart renders is namespaced; the only cluster-scoped object Argo CD
        # may create is the workloads' namespace, and only when CreateNamespace is on.
        "clusterResourceWhitelist": (
            [{"group": "", "kind": "Namespace"}] if creates_namespace(bp) else []
        ),
        "orphanedResources": {"warn": True},
    }
    if bp.description:
        spec["description"] = _description(bp.description)
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AppProject",
        "metadata": {
            "name": project_name(bp),
            "namespace": ARGOCD_NAMESPACE,
            "labels": common_labels(bp),
        },
        "spec": spec,
    }


def application(bp: Blueprint, workload: str) -> dict[str, Any]:
    assert bp.gitops is not None
    k8s = kubernetes_settings(bp)
    sync_policy: dict[str, Any] = {
        "automated": {"prune": True, "selfHeal": True},
        "retry": {"limit": 5, "backoff": {"duration": "10s", "factor": 2, "maxDuration": "5m"}},
    }
    if creates_namespace(bp):
        sync_policy["syncOptions"] = ["CreateNamespace=true"]
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {
            "name": qualified_name(bp.name, workload),
            "namespace": ARGOCD_NAMESPACE,
            "labels": workload_labels(bp, workload),
            "finalizers": [CASCADE_FINALIZER],
        },
        "spec": {
            "project": project_name(bp),
            "source": {
                "repoURL": bp.gitops.repository,
                "targetRevision": bp.gitops.revision,
                "path": repo_path(bp, CHART_DIR),
                "helm": {
                    "releaseName": workload,
                    # Argo CD resolves value files relative to the chart directory and accepts
                    # files elsewhere in the same repository: kubernetes/values/ is a sibling.
                    "valueFiles": [f"../values/{workload}.yaml"],
                },
            },
            "destination": {"server": k8s.server, "namespace": k8s.namespace},
            "syncPolicy": sync_policy,
            "revisionHistoryLimit": 10,
        },
    }


def render(bp: Blueprint) -> dict[str, str]:
    workloads = kubernetes_workloads(bp)
    if not workloads:
        return {}
    files = {f"{OUT_DIR}/appproject.yaml": dump(app_project(bp))}
    for name in workloads:
        files[f"{OUT_DIR}/application-{name}.yaml"] = dump(application(bp, name))
    files[f"{OUT_DIR}/kustomization.yaml"] = dump(
        kustomize_config([path.removeprefix(f"{OUT_DIR}/") for path in files])
    )
    return files
