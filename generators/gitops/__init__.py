"""The gitops generator: the Argo CD and Flux objects that make controllers apply out/."""

from __future__ import annotations

from blueprint.model import Blueprint
from blueprint.view import SystemView
from generators import RenderContext
from generators.gitops import argocd, flux
from generators.gitops.layout import kubernetes_workloads, terraform_directories


class GitOpsGenerator:
    name = "gitops"
    description = "Argo CD AppProject and Applications; Flux source, HelmReleases and Terraform"

    def applies_to(self, blueprint: Blueprint) -> bool:
        """A declared `gitops:` block and something a controller can apply: a Kubernetes
        workload, or a Terraform directory (for Flux's tofu-controller)."""
        return self._applies(SystemView.of(blueprint))

    def _applies(self, view: SystemView) -> bool:
        bp = view.blueprint
        if bp.gitops is None:
            return False
        controllers = bp.gitops.controllers
        if kubernetes_workloads(bp):
            return bool(controllers)
        return "flux" in controllers and bool(terraform_directories(view))

    def render(self, ctx: RenderContext) -> dict[str, str]:
        bp = ctx.blueprint
        if not self._applies(ctx.view):
            return {}
        assert bp.gitops is not None
        files: dict[str, str] = {}
        if "argocd" in bp.gitops.controllers:
            files.update(argocd.render(bp))
        if "flux" in bp.gitops.controllers:
            files.update(flux.render(ctx.view))
        return files


GENERATOR = GitOpsGenerator()
