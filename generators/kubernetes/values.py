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
    HttpIngress,
    Job,
    Platform,
    ResourceKind,
    ScheduleTrigger,
    Service,
    TopicTrigger,
)
from blueprint.view import SystemView
from generators.common.quoting import kubelet_literal
from generators.kubernetes.images import image_values
from generators.kubernetes.network import egress_rules, ingress_rules, namespace_of
from generators.kubernetes.patches import with_object_edits

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


def _ports(view: SystemView, name: str, workload: Service | Job) -> list[dict[str, Any]]:
    if not isinstance(workload, Service):
        return []
    ports = [{"name": "http", "port": workload.port}]
    metrics_port = view.metrics_port(name)
    if metrics_port not in (None, workload.port):
        ports.append({"name": "metrics", "port": metrics_port})
    return ports


def _probe(view: SystemView, name: str, workload: Service | Job) -> dict[str, Any]:
    if not isinstance(workload, Service):
        return {"type": "none", "path": "", "port": 0, "periodSeconds": 30, "timeoutSeconds": 5}
    health = workload.health
    health_port = view.health_port(name)
    if health is None or health_port is None:
        # No declared health check: the port accepting connections is the least we know.
        return {
            "type": "tcp",
            "path": "",
            "port": workload.port,
            "periodSeconds": 30,
            "timeoutSeconds": 5,
        }
    return {
        "type": "http",
        "path": health.path,
        "port": health_port,
        "periodSeconds": health.interval_seconds,
        "timeoutSeconds": health.timeout_seconds,
    }


def _ingresses(view: SystemView, name: str) -> list[dict[str, Any]]:
    bp = view.blueprint
    out = []
    for ingress_name in view.ingress_to(name):
        ingress = bp.ingress[ingress_name]
        if not isinstance(ingress, HttpIngress):
            continue
        out.append(
            {
                "name": f"{ingress_name}-{name}",
                "host": ingress.host or "",
                "tlsSecret": ingress.tls_secret or "",
                "paths": sorted(path for path, target in ingress.routes.items() if target == name),
            }
        )
    return out


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
    if workload.secrets:
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
    metrics_port = "http" if view.metrics_port(name) in (None, service.port) else "metrics"
    return {
        "replicas": service.replicas,
        "probe": _probe(view, name, service),
        "service": {
            "type": _SERVICE_TYPES[service.expose.type],
            "nodePort": service.expose.node_port or 0,
        },
        "ingresses": _ingresses(view, name),
        "podDisruptionBudget": {"enabled": least_replicas >= 2, "maxUnavailable": 1},
        "autoscaling": {
            "enabled": scaling is not None,
            # A HorizontalPodAutoscaler cannot scale to zero without an alpha feature gate.
            "minReplicas": max(1, scaling.min) if scaling else 1,
            "maxReplicas": scaling.max if scaling else 1,
            "cpuTargetPercent": scaling.cpu_target_percent if scaling else 70,
        },
        "serviceMonitor": {
            "enabled": metrics is not None,
            "port": metrics_port,
            "path": metrics.path if metrics else "/metrics",
            "interval": f"{interval}s",
        },
        "cron": {"schedule": "", "timeZone": CRON_TIME_ZONE, "backoffLimit": 0},
    }


def _job_values(view: SystemView, name: str, job: Job, interval: int) -> dict[str, Any]:
    trigger = job.trigger
    return {
        "replicas": 1,
        "probe": _probe(view, name, job),
        "service": {"type": "ClusterIP", "nodePort": 0},
        "ingresses": [],
        "podDisruptionBudget": {"enabled": False, "maxUnavailable": 1},
        "autoscaling": {
            "enabled": False,
            "minReplicas": 1,
            "maxReplicas": 1,
            "cpuTargetPercent": 70,
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
        else _job_values(view, name, workload, interval)
    )
    values: dict[str, Any] = {
        "name": name,
        "namespace": namespace,
        "partOf": bp.name,
        "workload": workload_kind(workload),
        "description": workload.description or "",
        "image": image_values(bp, workload.image),
        "resources": {"cpu": millicores(workload.cpu), "memory": f"{workload.memory}Mi"},
        "securityContext": {"runAsUser": RUN_AS_ID, "runAsGroup": RUN_AS_ID},
        "serviceAccount": {"automountToken": _needs_api_token(view, name) is not None},
        "ports": _ports(view, name, workload),
        "env": [
            {"name": k, "value": kubelet_literal(v)} for k, v in sorted(workload.plain_env.items())
        ],
        "secretEnv": [
            {"name": k, "secret": ref.store, "key": ref.key}
            for k, ref in sorted(workload.secrets.items())
        ],
        "networkPolicy": {
            "ingress": ingress_rules(view, name),
            "egress": egress_rules(view, name),
        },
        "checkovSkips": _checkov_skips(view, name, workload),
        **_extra_metadata(bp, name),
        **specific,
    }
    return with_object_edits(bp, name, values)
