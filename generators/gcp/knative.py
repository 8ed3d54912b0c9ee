"""The Cloud Run service as a serving.knative.dev/v1 Service, the form
`gcloud run services replace` takes (the Cloud Run Admin API v1 YAML)."""

from __future__ import annotations

import json
from typing import Any

from generators.gcp.plan import GcpPlan, RunService, SecretEnv, container_spec

LOCATION_LABEL = "cloud.googleapis.com/location"


def service_document(plan: GcpPlan, svc: RunService) -> dict[str, Any]:
    annotations: dict[str, str] = {"run.googleapis.com/ingress": svc.ingress}
    if svc.description is not None:
        annotations["run.googleapis.com/description"] = svc.description
    return {
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Service",
        "metadata": {
            "name": svc.name,
            # gcloud accepts the project ID (or the quoted project number) as the namespace.
            "namespace": plan.project,
            "labels": {LOCATION_LABEL: plan.region, "blueprint": plan.blueprint},
            "annotations": annotations,
        },
        "spec": {
            "template": {
                "metadata": {"annotations": _template_annotations(svc)},
                "spec": {
                    "containerConcurrency": svc.concurrency,
                    "timeoutSeconds": svc.timeout_seconds,
                    "serviceAccountName": svc.service_account_email,
                    "containers": [container_spec(svc, _secret_entry)],
                },
            },
            "traffic": [{"latestRevision": True, "percent": 100}],
        },
    }


def _template_annotations(svc: RunService) -> dict[str, str]:
    annotations = {
        "autoscaling.knative.dev/minScale": str(svc.min_instances),
        "autoscaling.knative.dev/maxScale": str(svc.max_instances),
        "run.googleapis.com/execution-environment": svc.execution_environment,
    }
    if svc.vpc is not None:
        # Direct VPC egress: the annotation's value is a JSON list with one interface.
        annotations["run.googleapis.com/network-interfaces"] = json.dumps(
            [{"network": svc.vpc.network, "subnetwork": svc.vpc.subnet}],
            separators=(",", ":"),
        )
        annotations["run.googleapis.com/vpc-access-egress"] = svc.vpc.egress
    return annotations


def _secret_entry(s: SecretEnv) -> dict[str, Any]:
    # Cloud Run reads secretKeyRef as Secret Manager: name is the secret, key its version.
    return {"name": s.env, "valueFrom": {"secretKeyRef": {"name": s.secret, "key": "latest"}}}
