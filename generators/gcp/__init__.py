"""The gcp generator: Cloud Run services as Knative YAML (gcloud), Config Connector RunService
objects, and the Terraform around them (Artifact Registry, service accounts, Secret Manager,
VPC, IAM from the call graph, and the services themselves)."""

from __future__ import annotations

from blueprint.model import Blueprint, Platform
from generators import RenderContext
from generators.common.overrides import override_files
from generators.common.yamldump import dump
from generators.gcp.config_connector import run_service_document
from generators.gcp.knative import service_document
from generators.gcp.plan import build_plan
from generators.gcp.terraform import render_terraform


class GcpGenerator:
    name = "gcp"
    description = (
        "Cloud Run services (Knative YAML and Config Connector) and their Terraform: "
        "Artifact Registry, service accounts, Secret Manager, VPC and IAM from the call graph"
    )

    def applies_to(self, blueprint: Blueprint) -> bool:
        return any(s.platform is Platform.CLOUD_RUN for s in blueprint.services.values())

    def render(self, ctx: RenderContext) -> dict[str, str]:
        plan = build_plan(ctx.view)
        files: dict[str, str] = {}
        for svc in plan.services:
            files[f"gcp/cloudrun/{svc.name}.yaml"] = dump(service_document(plan, svc))
            files[f"gcp/config-connector/{svc.name}.yaml"] = dump(run_service_document(plan, svc))
        files.update(render_terraform(plan))
        files.update(override_files(ctx.blueprint, "gcp"))
        return files


GENERATOR = GcpGenerator()
