"""The Cloud Run service as a Config Connector RunService (run.cnrm.cloud.google.com/v1beta1),
for GitOps on GKE. The identity, repository, secrets and bindings it refers to come from the
Terraform (`external` references)."""

from __future__ import annotations

from typing import Any

from generators.gcp.plan import GcpPlan, RunService, probe_spec

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
        "containers": [_container(svc)],
    }
    if svc.vpc is not None:
        template["vpcAccess"] = {
            "egress": EGRESS_V2[svc.vpc.egress],
            "networkInterfaces": [
                {
                    "networkRef": {
                        "external": f"projects/{plan.project}/global/networks/{svc.vpc.network}"
                    },
                    "subnetworkRef": {
                        "external": (
                            f"projects/{plan.project}/regions/{plan.region}"
                            f"/subnetworks/{svc.vpc.subnet}"
                        )
                    },
                }
            ],
        }
    return template


def _container(svc: RunService) -> dict[str, Any]:
    container: dict[str, Any] = {
        "image": svc.image,
        "ports": [{"name": "http1", "containerPort": svc.port}],
        "resources": {"limits": {"cpu": svc.cpu, "memory": svc.memory}},
    }
    env: list[dict[str, Any]] = [{"name": name, "value": value} for name, value in svc.env]
    env += [
        {
            "name": s.env,
            "valueSource": {
                "secretKeyRef": {
                    "secretRef": {"external": s.secret},
                    "versionRef": {"external": "latest"},
                }
            },
        }
        for s in svc.secrets
    ]
    if env:
        container["env"] = sorted(env, key=lambda e: str(e["name"]))
    if svc.probe is not None:
        container["startupProbe"] = probe_spec(svc.probe, startup=True)
        container["livenessProbe"] = probe_spec(svc.probe, startup=False)
    return container
