"""The gcp generator: Cloud Run services as Knative YAML (gcloud), Config Connector RunService
and RunJob objects, and the Terraform around them (Artifact Registry, service accounts, Secret
Manager, VPC, Cloud SQL, Pub/Sub, Cloud Storage, job triggers, custom domains, IAM from the
call graph, and the services and jobs themselves)."""

from __future__ import annotations

from blueprint.model import Blueprint, Platform
from generators import RenderContext
from generators.common.overrides import override_files
from generators.common.yamldump import dump
from generators.gcp.config_connector import run_job_document, run_service_document
from generators.gcp.knative import service_document
from generators.gcp.plan import build_plan
from generators.gcp.terraform import render_terraform


class GcpGenerator:
    name = "gcp"
    description = (
        "Cloud Run services (Knative YAML and Config Connector) and jobs (Config Connector), "
        "and their Terraform: Artifact Registry, service accounts, Secret Manager, VPC, Cloud "
        "SQL, Pub/Sub, Cloud Storage, Cloud Scheduler, Eventarc, custom domains and IAM"
    )

    def applies_to(self, blueprint: Blueprint) -> bool:
        return any(w.platform is Platform.CLOUD_RUN for w in blueprint.workloads().values())

    def render(self, ctx: RenderContext) -> dict[str, str]:
        plan = build_plan(ctx.view)
        files: dict[str, str] = {}
        for svc in plan.services:
            files[f"gcp/cloudrun/{svc.name}.yaml"] = dump(service_document(plan, svc))
            files[f"gcp/config-connector/{svc.name}.yaml"] = dump(run_service_document(plan, svc))
        for job in plan.jobs:
            files[f"gcp/config-connector/jobs/{job.name}.yaml"] = dump(run_job_document(plan, job))
        files.update(render_terraform(plan))
        files.update(override_files(ctx.blueprint, "gcp"))
        return files


GENERATOR = GcpGenerator()
