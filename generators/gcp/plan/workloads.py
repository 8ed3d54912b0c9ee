"""Workloads: each Cloud Run service's container, scaling, probes and identity."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from blueprint.model import Service
from blueprint.view import SystemView
from generators.common.quoting import kubelet_literal
from generators.gcp import naming
from generators.gcp.plan.ingress import run_ingress
from generators.gcp.plan.network import vpc_egress
from generators.gcp.plan.records import Probe, RunService, SecretEnv

# Cloud Run's limits: a startup probe gives up after failureThreshold * periodSeconds, which
# may not exceed 240 s; a probe's timeout is at most its period.
_STARTUP_WINDOW_MAX = 240
_FAILURE_THRESHOLD = 3


def _instances(svc: Service) -> tuple[int, int]:
    if svc.scaling is not None:
        return svc.scaling.min, svc.scaling.max
    # A fixed replica count; Cloud Run needs a maximum of at least one instance.
    return svc.replicas, max(svc.replicas, 1)


def _probe(view: SystemView, name: str, svc: Service) -> Probe | None:
    if svc.health is None:
        return None
    startup_period = min(svc.health.interval_seconds, _STARTUP_WINDOW_MAX // _FAILURE_THRESHOLD)
    return Probe(
        path=svc.health.path,
        port=view.health_port(name) or svc.port,
        startup_period=startup_period,
        liveness_period=svc.health.interval_seconds,
        startup_timeout=min(svc.health.timeout_seconds, startup_period),
        liveness_timeout=min(svc.health.timeout_seconds, svc.health.interval_seconds),
        failure_threshold=_FAILURE_THRESHOLD,
    )


def run_service(view: SystemView, name: str, svc: Service, project: str, region: str) -> RunService:
    if svc.image is None:
        raise ValueError(f"cloud-run service {name!r} needs an image")
    min_instances, max_instances = _instances(svc)
    # Cloud Run runs less than one vCPU only on the first generation execution environment,
    # with a maximum concurrency of 1.
    fractional = svc.cpu < 1
    return RunService(
        name=name,
        description=svc.description,
        image=naming.image_reference(svc.image, project, region),
        repository=None if svc.image.is_external else svc.image.registry,
        port=svc.port,
        cpu=naming.cpu_quantity(svc.cpu),
        memory=naming.memory_quantity(svc.memory),
        min_instances=min_instances,
        max_instances=max_instances,
        concurrency=1 if fractional else svc.concurrency,
        timeout_seconds=svc.timeout_seconds,
        execution_environment="gen1" if fractional else "gen2",
        service_account_id=naming.service_account_id(name),
        service_account_email=naming.service_account_email(name, project),
        ingress=run_ingress(view, name),
        env=tuple((k, kubelet_literal(v)) for k, v in sorted(svc.plain_env.items())),
        secrets=tuple(
            SecretEnv(env=env, secret=naming.secret_id(ref.key))
            for env, ref in sorted(svc.secrets.items())
        ),
        probe=_probe(view, name, svc),
        vpc=vpc_egress(view, svc),
    )


def probe_spec(probe: Probe, *, startup: bool) -> dict[str, Any]:
    """The HTTP probe as Cloud Run's service YAML and Config Connector both spell it."""
    return {
        "httpGet": {"path": probe.path, "port": probe.port},
        "periodSeconds": probe.startup_period if startup else probe.liveness_period,
        "timeoutSeconds": probe.startup_timeout if startup else probe.liveness_timeout,
        "failureThreshold": probe.failure_threshold,
    }


def container_spec(
    svc: RunService, secret_entry: Callable[[SecretEnv], dict[str, Any]]
) -> dict[str, Any]:
    """The one container of a Cloud Run service; the formats differ only in how a secret
    reference is spelled (`secret_entry`)."""
    container: dict[str, Any] = {
        "image": svc.image,
        "ports": [{"name": "http1", "containerPort": svc.port}],
        "resources": {"limits": {"cpu": svc.cpu, "memory": svc.memory}},
    }
    env: list[dict[str, Any]] = [{"name": name, "value": value} for name, value in svc.env]
    env += [secret_entry(s) for s in svc.secrets]
    if env:
        container["env"] = sorted(env, key=lambda e: str(e["name"]))
    if svc.probe is not None:
        container["startupProbe"] = probe_spec(svc.probe, startup=True)
        container["livenessProbe"] = probe_spec(svc.probe, startup=False)
    return container
