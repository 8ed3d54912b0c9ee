"""The Cloud Run service as a Config Connector RunService (run.cnrm.cloud.google.com/v1beta1),
for GitOps on GKE. The identity, repository, secrets and bindings it refers to come from the
Terraform (`external` references)."""

from __future__ import annotations

from typing import Any

from generators.gcp.plan import GcpPlan, RunService, SecretEnv, VpcEgress, container_spec
from generators.gcp.plan.records import RunJob

# Cloud Run Admin API v2 enums for the v1 names the plan uses.
INGRESS_V2 = {
    "all": "INGRESS_TRAFFIC_ALL",
    "internal": "INGRESS_TRAFFIC_INTERNAL_ONLY",
    "internal-and-cloud-load-balancing": "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
}
EXECUTION_ENVIRONMENT_V2 = {
    "gen1": "EXECUTION_ENVIRONMENT_GEN1",
    "gen2": "EXECUTION_ENVIRONMENT_GEN2",
}
EGRESS_V2 = {"all-traffic": "ALL_TRAFFIC", "private-ranges-only": "PRIVATE_RANGES_ONLY"}


def run_service_document(plan: GcpPlan, svc: RunService) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "location": plan.region,
        "projectRef": {"external": plan.project},
        "ingress": INGRESS_V2[svc.ingress],
        "template": _template(plan, svc),
        "traffic": [{"type": "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", "percent": 100}],
    }
    if svc.description is not None:
        spec["description"] = svc.description
    return {
        "apiVersion": "run.cnrm.cloud.google.com/v1beta1",
        "kind": "RunService",
        "metadata": {"name": svc.name, "labels": {"blueprint": plan.blueprint}},
        "spec": spec,
    }


def _template(plan: GcpPlan, svc: RunService) -> dict[str, Any]:
    template: dict[str, Any] = {
        "serviceAccountRef": {"external": svc.service_account_email},
        "scaling": {"minInstanceCount": svc.min_instances, "maxInstanceCount": svc.max_instances},
        "maxInstanceRequestConcurrency": svc.concurrency,
        "timeout": f"{svc.timeout_seconds}s",
        "executionEnvironment": EXECUTION_ENVIRONMENT_V2[svc.execution_environment],
        "containers": [container_spec(svc, _secret_entry)],
    }
    if svc.vpc is not None:
        template["vpcAccess"] = _vpc_access(plan, svc.vpc)
    return template


def _vpc_access(plan: GcpPlan, vpc: VpcEgress) -> dict[str, Any]:
    return {
        "egress": EGRESS_V2[vpc.egress],
        "networkInterfaces": [
            {
                "networkRef": {
                    "external": f"projects/{plan.project}/global/networks/{vpc.network}"
                },
                "subnetworkRef": {
                    "external": (
                        f"projects/{plan.project}/regions/{plan.region}/subnetworks/{vpc.subnet}"
                    )
                },
            }
        ],
    }


def run_job_document(plan: GcpPlan, job: RunJob) -> dict[str, Any]:
    """The Cloud Run job as a Config Connector RunJob. What starts it (Cloud Scheduler,
    Eventarc and its workflow) is in the Terraform only."""
    container: dict[str, Any] = {
        "image": job.image,
        "resources": {"limits": {"cpu": job.cpu, "memory": job.memory}},
    }
    env: list[dict[str, Any]] = [{"name": n, "value": v} for n, v in job.env]
    env += [{"name": o.env, "value": o.value} for o in job.outputs]
    env += [_secret_entry(s) for s in job.secrets]
    if env:
        container["env"] = sorted(env, key=lambda e: str(e["name"]))
    task: dict[str, Any] = {
        "serviceAccountRef": {"external": job.service_account_email},
        "timeout": f"{job.timeout_seconds}s",
        "maxRetries": job.max_retries,
        "containers": [container],
    }
    if job.vpc is not None:
        task["vpcAccess"] = _vpc_access(plan, job.vpc)
    spec: dict[str, Any] = {
        "location": plan.region,
        "projectRef": {"external": plan.project},
        "template": {"taskCount": 1, "template": task},
    }
    if job.description is not None:
        spec["annotations"] = {"blueprint/description": job.description}
    return {
        "apiVersion": "run.cnrm.cloud.google.com/v1beta1",
        "kind": "RunJob",
        "metadata": {"name": job.name, "labels": {"blueprint": plan.blueprint}},
        "spec": spec,
    }


def _secret_entry(s: SecretEnv) -> dict[str, Any]:
    return {
        "name": s.env,
        "valueSource": {
            "secretKeyRef": {
                "secretRef": {"external": s.secret},
                "versionRef": {"external": "latest"},
            }
        },
    }
