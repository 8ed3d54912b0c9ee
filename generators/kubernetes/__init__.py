"""The kubernetes generator: the workload Helm chart, one values file per workload, and the
same objects as plain manifests with a kustomization.

    kubernetes/chart/                 the chart (shipped and versioned by the project)
    kubernetes/values/<name>.yaml     one Helm release per workload, named after it
    kubernetes/manifests/<name>.yaml  the objects of that release, rendered from the same values
    kubernetes/manifests/namespace.yaml, kustomization.yaml
"""

from __future__ import annotations

from typing import Any

from blueprint.model import Blueprint, Platform
from blueprint.view import SystemView
from generators import RenderContext
from generators.common.plain import plain
from generators.common.yamldump import dump, dump_all
from generators.kubernetes.chart import CHART_VERSION, chart_files
from generators.kubernetes.objects import release_objects
from generators.kubernetes.values import kubernetes_workloads, release_values

__all__ = ["CHART_VERSION", "GENERATOR", "KubernetesGenerator", "manifest_objects"]

# Namespaces Kubernetes creates itself; the manifests never declare or relabel them.
_BUILT_IN_NAMESPACES = frozenset({"default", "kube-system", "kube-public", "kube-node-lease"})


def namespace_object(bp: Blueprint) -> dict[str, Any] | None:
    namespace = bp.platforms.kubernetes.namespace if bp.platforms.kubernetes else "default"
    if namespace in _BUILT_IN_NAMESPACES:
        return None
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {
            "name": namespace,
            "labels": {
                "kubernetes.io/metadata.name": namespace,
                # Every pod the chart renders meets the restricted Pod Security Standard.
                "pod-security.kubernetes.io/enforce": "restricted",
                "pod-security.kubernetes.io/enforce-version": "latest",
            },
        },
    }


def manifest_objects(view: SystemView) -> dict[str, list[dict[str, Any]]]:
    """manifests/<file> -> its objects."""
    values = {name: release_values(view, name) for name in kubernetes_workloads(view)}
    return _manifest_objects(view, values)


def _manifest_objects(
    view: SystemView, values: dict[str, dict[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    """manifests/<file> -> its objects, from each workload's release values."""
    out: dict[str, list[dict[str, Any]]] = {}
    namespace = namespace_object(view.blueprint)
    if namespace is not None:
        out["namespace.yaml"] = [namespace]
    for name, release in values.items():
        # A copy that shares no objects, so the YAML dumper never writes anchors and aliases.
        out[f"{name}.yaml"] = plain(release_objects(release))
    return out


class KubernetesGenerator:
    name = "kubernetes"
    description = "Helm chart, per-workload values and plain manifests for Kubernetes workloads"

    def applies_to(self, blueprint: Blueprint) -> bool:
        return any(w.platform is Platform.KUBERNETES for w in blueprint.workloads().values())

    def render(self, ctx: RenderContext) -> dict[str, str]:
        view = ctx.view
        files = {f"kubernetes/chart/{path}": text for path, text in chart_files().items()}
        # Each workload's values are computed once, for its values file and its manifests.
        values = {name: release_values(view, name) for name in kubernetes_workloads(view)}
        for name, release in values.items():
            files[f"kubernetes/values/{name}.yaml"] = dump(plain(release))
        manifests = _manifest_objects(view, values)
        for file_name, objects in manifests.items():
            files[f"kubernetes/manifests/{file_name}"] = dump_all(objects)
        files["kubernetes/manifests/kustomization.yaml"] = dump(
            {
                "apiVersion": "kustomize.config.k8s.io/v1beta1",
                "kind": "Kustomization",
                "resources": list(manifests),
            }
        )
        return files


GENERATOR = KubernetesGenerator()
