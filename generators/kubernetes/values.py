"""The values of one Helm release of the workload chart, derived once from the blueprint.

These values are the single source of both outputs: the chart renders them with Helm, and
objects.py builds the plain manifests from them. Every key is always present (no nulls, no
maps of user data that Helm would merge with the chart's defaults), so a values file is the
complete description of its release.
"""

from __future__ import annotations

from typing import Any

from blueprint.model import (
    Blueprint,
    Cloud,
    Job,
    Platform,
    ResourceKind,
    ScheduleTrigger,
    Service,
    TopicTrigger,
)
from blueprint.view import SystemView
from generators.common.quoting import kubelet_literal
from generators.kubernetes.connections import connection_values
from generators.kubernetes.images import image_values
from generators.kubernetes.keda import keda_values
from generators.kubernetes.network import egress_rules, ingress_rules, namespace_of
from generators.kubernetes.patches import with_object_edits
from generators.kubernetes.ports import metrics_port_name, port_values
from generators.kubernetes.probes import probe_values
from generators.kubernetes.routing import http_route_values, ingress_values
from generators.kubernetes.volumes import storage_values, writable_values

RUN_AS_ID = 10001  # a non-root UID and GID above 10000, clear of host accounts
DEFAULT_SCRAPE_SECONDS = 30
CRON_TIME_ZONE = "Etc/UTC"

_SERVICE_TYPES = {
    "cluster-ip": "ClusterIP",
    "node-port": "NodePort",
    "load-balancer": "LoadBalancer",
}


def kubernetes_workloads(view: SystemView) -> list[str]:
    return list(view.workloads_on(Platform.KUBERNETES))


def millicores(cpu: float) -> str:
    return f"{round(cpu * 1000)}m"


def workload_kind(workload: Service | Job) -> str:
    if isinstance(workload, Service):
        return "service"
    if isinstance(workload.trigger, ScheduleTrigger):
        return "cron"
    return "worker"


def _needs_api_token(view: SystemView, name: str) -> str | None:
    """The cluster a workload is granted access to, when its pods must call the API server."""
    bp = view.blueprint
    for grant in view.workload_grants(name):
        res = bp.resources.get(grant.resource)
        if (
            res is not None
            and res.kind is ResourceKind.CLUSTER
            and view.resource_cloud(grant.resource) is Cloud.KUBERNETES
        ):
            return f"{grant.access.value} on cluster {grant.resource}"
    return None


def _checkov_skips(view: SystemView, name: str, workload: Service | Job) -> list[dict[str, str]]:
    """Checks that cannot apply to this workload, each with the reason (no '=': checkov splits
    the annotation on it)."""
    skips: list[dict[str, str]] = []
    if workload.image is not None and not workload.image.digest:
        skips.append(
            {
                "id": "CKV_K8S_43",
                "reason": f"the blueprint pins this image by tag {workload.image.tag} and "
                "declares no digest; set image.digest to pin it",
            }
        )
    if isinstance(workload, Service) and workload.port is None and workload.health is None:
        reason = (
            "the service serves no port and declares no health check; Kubernetes restarts "
            "it when its process exits"
        )
        skips.append({"id": "CKV_K8S_8", "reason": reason})
        skips.append({"id": "CKV_K8S_9", "reason": reason})
    if workload.limits is not None and workload.limits.cpu is None:
        skips.append(
            {
                "id": "CKV_K8S_11",
                "reason": "the blueprint declares limits without a cpu limit on purpose; the "
                "container may use idle CPU and is never throttled below its request",
            }
        )
    if not isinstance(workload, Service) and not isinstance(workload.trigger, ScheduleTrigger):
        # (checkov does not ask a CronJob for probes: a job's run ends on its own.)
        trigger = workload.trigger
        what = (
            f"consumes topic {trigger.topic}"
            if isinstance(trigger, TopicTrigger)
            else f"handles {trigger.event} events of {trigger.resource}"
        )
        reason = (
            f"the worker {what} and serves no port or health endpoint; "
            "Kubernetes restarts it when its process exits"
        )
        skips.append({"id": "CKV_K8S_8", "reason": reason})
        skips.append({"id": "CKV_K8S_9", "reason": reason})
    if workload.secrets or connection_values(view, name, workload)["secretEnv"]:
        skips.append(
            {
                "id": "CKV_K8S_35",
                "reason": "the blueprint hands these secrets to the app as environment "
                "variables; they are secretKeyRef references and never values",
            }
        )
    token = _needs_api_token(view, name)
    if token is not None:
        skips.append(
            {
                "id": "CKV_K8S_38",
                "reason": f"the workload calls the Kubernetes API ({token})",
            }
        )
    return skips


def _service_values(view: SystemView, name: str, service: Service, interval: int) -> dict[str, Any]:
    scaling = service.scaling
    least_replicas = scaling.min if scaling else service.replicas
    metrics = service.metrics
    metric = scaling.metric if scaling else None
    return {
        "replicas": service.replicas,
        "service": {
            "enabled": service.port is not None,
            "type": _SERVICE_TYPES[service.expose.type],
            "nodePort": service.expose.node_port or 0,
        },
        "ingresses": ingress_values(view, name, service),
        "httpRoutes": http_route_values(view, name, service),
        "podDisruptionBudget": {"enabled": least_replicas >= 2, "maxUnavailable": 1},
        "autoscaling": {
            "enabled": scaling is not None,
            # A HorizontalPodAutoscaler cannot scale to zero without an alpha feature gate.
            "minReplicas": max(1, scaling.min) if scaling else 1,
            "maxReplicas": scaling.max if scaling else 1,
            "cpuTargetPercent": scaling.cpu_target_percent if scaling else 70,
            "memoryTargetPercent": (scaling.memory_target_percent or 0) if scaling else 0,
            "podsMetric": {
                "name": metric.name if metric else "",
                "averageValue": metric.average_value if metric else "",
            },
        },
        "serviceMonitor": {
            "enabled": metrics is not None,
            "port": metrics_port_name(view, name, port_values(view, name, service)),
            "path": metrics.path if metrics else "/metrics",
            "interval": f"{interval}s",
        },
        "cron": {"schedule": "", "timeZone": CRON_TIME_ZONE, "backoffLimit": 0},
    }


def _job_values(job: Job, interval: int) -> dict[str, Any]:
    trigger = job.trigger
    return {
        "replicas": 1,
        "service": {"enabled": False, "type": "ClusterIP", "nodePort": 0},
        "ingresses": [],
        "httpRoutes": [],
        "podDisruptionBudget": {"enabled": False, "maxUnavailable": 1},
        "autoscaling": {
            "enabled": False,
            "minReplicas": 1,
            "maxReplicas": 1,
            "cpuTargetPercent": 70,
            "memoryTargetPercent": 0,
            "podsMetric": {"name": "", "averageValue": ""},
        },
        "serviceMonitor": {
            "enabled": False,
            "port": "http",
            "path": "/metrics",
            "interval": f"{interval}s",
        },
        "cron": {
            "schedule": trigger.schedule if isinstance(trigger, ScheduleTrigger) else "",
            "timeZone": CRON_TIME_ZONE,
            # retry.attempts counts the first run; backoffLimit counts the retries after it.
            "backoffLimit": job.retry.attempts - 1 if job.retry else 0,
        },
    }


def _resources(workload: Service | Job) -> dict[str, Any]:
    """Requests from cpu and memory; limits equal to them unless `limits` says otherwise, where
    an undeclared CPU limit means none."""
    limits = workload.limits
    cpu_limit = workload.cpu if limits is None else limits.cpu
    memory_limit = workload.memory if limits is None or limits.memory is None else limits.memory
    return {
        "requests": {"cpu": millicores(workload.cpu), "memory": f"{workload.memory}Mi"},
        "limits": {
            "cpu": millicores(cpu_limit) if cpu_limit is not None else "",
            "memory": f"{memory_limit}Mi",
        },
    }


def _extra_metadata(bp: Blueprint, name: str) -> dict[str, Any]:
    """The blueprint's overrides.kubernetes labels and annotations (BP6002 notes them)."""
    kubernetes = bp.overrides.kubernetes
    o = kubernetes.workloads.get(name) if kubernetes else None
    return {
        "extraLabels": dict(sorted(o.labels.items())) if o else {},
        "extraAnnotations": dict(sorted(o.annotations.items())) if o else {},
    }


def release_values(view: SystemView, name: str) -> dict[str, Any]:
    bp = view.blueprint
    workload = view.workload(name)
    if workload.image is None:
        raise ValueError(f"workload {name!r} runs on Kubernetes and needs an image")
    namespace = namespace_of(view)
    interval = bp.monitoring.scrape_interval_seconds if bp.monitoring else DEFAULT_SCRAPE_SECONDS
    specific = (
        _service_values(view, name, workload, interval)
        if isinstance(workload, Service)
        else _job_values(workload, interval)
    )
    connections = connection_values(view, name, workload)
    values: dict[str, Any] = {
        "name": name,
        "namespace": namespace,
        "partOf": bp.name,
        "workload": workload_kind(workload),
        "description": workload.description or "",
        "image": image_values(bp, workload.image),
        "resources": _resources(workload),
        "securityContext": {"runAsUser": RUN_AS_ID, "runAsGroup": RUN_AS_ID},
        "serviceAccount": {"automountToken": _needs_api_token(view, name) is not None},
        "ports": port_values(view, name, workload),
        "probes": probe_values(view, name, workload),
        "writable": writable_values(workload),
        "storage": storage_values(workload),
        "keda": keda_values(view, name, workload),
        "env": sorted(
            [{"name": k, "value": kubelet_literal(v)} for k, v in workload.plain_env.items()]
            + [
                {"name": e["name"], "value": kubelet_literal(e["value"])}
                for e in connections["env"]
            ],
            key=lambda e: str(e["name"]),
        ),
        "secretEnv": sorted(
            [
                {"name": k, "secret": ref.store, "key": ref.key}
                for k, ref in workload.secrets.items()
            ]
            + connections["secretEnv"],
            key=lambda e: str(e["name"]),
        ),
        "externalSecrets": connections["externalSecrets"],
        "networkPolicy": {
            "ingress": ingress_rules(view, name),
            "egress": egress_rules(view, name),
        },
        "checkovSkips": _checkov_skips(view, name, workload),
        **_extra_metadata(bp, name),
        **specific,
    }
    return with_object_edits(bp, name, values)
