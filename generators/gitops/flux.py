"""Flux: a GitRepository for the blueprint's repository, a Kustomization that reconciles the
`releases/` directory, and in it a HelmRelease per Kubernetes workload and a tofu-controller
Terraform object per Terraform directory.

The bootstrap (`gitops/flux/`: source and Kustomization) is applied once with
`kubectl apply -k`; from then on every change to `releases/` in Git is applied by Flux itself.

Values: each HelmRelease builds its chart from the GitRepository with `valuesFiles` naming the
chart's values.yaml and the workload's values file, both read from the same Git revision as the
chart. This keeps one copy of the values (the kubernetes generator's file, which Argo CD reads
too) instead of a second copy inline or in a generated ConfigMap that could drift from it.
"""

from __future__ import annotations

import re
from typing import Any

from blueprint.model import Blueprint
from blueprint.view import SystemView
from generators.common.yamldump import dump
from generators.gitops.layout import (
    CHART_DIR,
    FLUX_NAMESPACE,
    VALUES_DIR,
    common_labels,
    creates_namespace,
    kubernetes_settings,
    kubernetes_workloads,
    kustomize_config,
    qualified_name,
    repo_path,
    terraform_directories,
    workload_labels,
)

OUT_DIR = "gitops/flux"
RELEASES_DIR = f"{OUT_DIR}/releases"
SOURCE_INTERVAL = "1m"
RECONCILE_INTERVAL = "10m"
_COMMIT_RE = re.compile(r"^([0-9a-f]{40}|[0-9a-f]{64})$")
_SCP_LIKE_RE = re.compile(r"^git@(?P<host>[^:/]+):(?P<path>.+)$")


def source_name(bp: Blueprint) -> str:
    return bp.name


def flux_url(repository: str) -> str:
    """Flux clones ssh:// URLs only: `git@host:org/repo.git` becomes
    `ssh://git@host/org/repo.git`."""
    match = _SCP_LIKE_RE.match(repository)
    if match:
        return f"ssh://git@{match['host']}/{match['path']}"
    if repository.startswith("git@"):
        return f"ssh://{repository}"
    return repository


def git_ref(revision: str) -> dict[str, str]:
    """A commit SHA pins a commit, `refs/...` names a tag or any ref, anything else is a branch
    (write tags as `refs/tags/v1.2.3`)."""
    if _COMMIT_RE.match(revision):
        return {"commit": revision}
    if revision.startswith("refs/"):
        return {"name": revision}
    return {"branch": revision}


def source_ignore(path: str) -> str:
    """`.sourceignore` rules keeping only `path` (and what is under it) in the artifact.

    Git ignore rules cannot re-include a file under an excluded directory, so every parent is
    re-included and its other children excluded again.
    """
    parts = path.split("/")
    lines = ["/*"]
    for depth in range(1, len(parts) + 1):
        prefix = "/".join(parts[:depth])
        lines.append(f"!/{prefix}/")
        if depth < len(parts):
            lines.append(f"/{prefix}/*")
    return "\n".join(lines) + "\n"


def _source_ref(bp: Blueprint) -> dict[str, str]:
    return {"kind": "GitRepository", "name": source_name(bp), "namespace": FLUX_NAMESPACE}


def git_repository(bp: Blueprint) -> dict[str, Any]:
    assert bp.gitops is not None
    url = flux_url(bp.gitops.repository)
    spec: dict[str, Any] = {
        "interval": SOURCE_INTERVAL,
        "url": url,
        "ref": git_ref(bp.gitops.revision),
        "ignore": source_ignore(bp.gitops.path),
    }
    if url.startswith("ssh://"):
        # SSH needs a deploy key; the Secret is created out of band (never rendered).
        spec["secretRef"] = {"name": f"{source_name(bp)}-git-auth"}
    return {
        "apiVersion": "source.toolkit.fluxcd.io/v1",
        "kind": "GitRepository",
        "metadata": {
            "name": source_name(bp),
            "namespace": FLUX_NAMESPACE,
            "labels": common_labels(bp),
        },
        "spec": spec,
    }


def sync_kustomization(bp: Blueprint) -> dict[str, Any]:
    return {
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": {
            "name": source_name(bp),
            "namespace": FLUX_NAMESPACE,
            "labels": common_labels(bp),
        },
        "spec": {
            "interval": RECONCILE_INTERVAL,
            "path": "./" + repo_path(bp, RELEASES_DIR),
            "prune": True,
            # No `wait`: the HelmReleases and Terraform objects report their own readiness, and
            # a Terraform apply can outlast any sensible apply timeout of this Kustomization.
            "timeout": "5m",
            "sourceRef": {"kind": "GitRepository", "name": source_name(bp)},
        },
    }


def helm_release(bp: Blueprint, workload: str) -> dict[str, Any]:
    namespace = kubernetes_settings(bp).namespace
    install: dict[str, Any] = {"remediation": {"retries": 3}}
    if creates_namespace(bp):
        install["createNamespace"] = True
    return {
        "apiVersion": "helm.toolkit.fluxcd.io/v2",
        "kind": "HelmRelease",
        "metadata": {
            "name": qualified_name(bp.name, workload),
            "namespace": FLUX_NAMESPACE,
            "labels": workload_labels(bp, workload),
        },
        "spec": {
            "interval": RECONCILE_INTERVAL,
            "releaseName": workload,
            "targetNamespace": namespace,
            # Release records live next to the workload, where `helm list -n` finds them.
            "storageNamespace": namespace,
            "chart": {
                "spec": {
                    "chart": "./" + repo_path(bp, CHART_DIR),
                    "sourceRef": _source_ref(bp),
                    # Rebuild the chart on every new Git revision, not only on a version bump,
                    # so a values change is deployed.
                    "reconcileStrategy": "Revision",
                    # valuesFiles replace the chart's values.yaml unless it is listed first.
                    "valuesFiles": [
                        "./" + repo_path(bp, f"{CHART_DIR}/values.yaml"),
                        "./" + repo_path(bp, f"{VALUES_DIR}/{workload}.yaml"),
                    ],
                }
            },
            "install": install,
            "upgrade": {"cleanupOnFail": True, "remediation": {"retries": 3}},
            # Correct changes made in the cluster behind Flux's back (Argo CD's selfHeal).
            "driftDetection": {"mode": "enabled"},
        },
    }


def terraform(bp: Blueprint, cloud: str, directory: str) -> dict[str, Any]:
    return {
        "apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
        "kind": "Terraform",
        "metadata": {
            "name": qualified_name(bp.name, cloud),
            "namespace": FLUX_NAMESPACE,
            "labels": common_labels(bp),
        },
        "spec": {
            "interval": RECONCILE_INTERVAL,
            "path": "./" + repo_path(bp, directory),
            "sourceRef": _source_ref(bp),
            # The review gate is the pull request that changes the committed out/ (rendered
            # deterministically, checked by `blueprint check`); a manual approval would mean
            # editing this generated file, which the next render overwrites.
            "approvePlan": "auto",
            # Removing the object from Git stops reconciling; it never destroys cloud resources.
            "destroyResourcesOnDeletion": False,
            "storeReadablePlan": "human",
        },
    }


def render(view: SystemView) -> dict[str, str]:
    bp = view.blueprint
    releases: dict[str, str] = {}
    for name in kubernetes_workloads(bp):
        releases[f"{RELEASES_DIR}/helmrelease-{name}.yaml"] = dump(helm_release(bp, name))
    for cloud, directory in sorted(terraform_directories(view).items()):
        releases[f"{RELEASES_DIR}/terraform-{cloud}.yaml"] = dump(terraform(bp, cloud, directory))
    if not releases:
        return {}
    releases[f"{RELEASES_DIR}/kustomization.yaml"] = dump(
        kustomize_config([path.removeprefix(f"{RELEASES_DIR}/") for path in releases])
    )
    files = {
        f"{OUT_DIR}/gitrepository.yaml": dump(git_repository(bp)),
        f"{OUT_DIR}/sync.yaml": dump(sync_kustomization(bp)),
        f"{OUT_DIR}/kustomization.yaml": dump(
            kustomize_config(["gitrepository.yaml", "sync.yaml"])
        ),
    }
    return {**files, **releases}
