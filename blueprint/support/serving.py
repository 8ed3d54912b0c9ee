"""Which serving concepts of the support matrix (probe kinds, ports, storage, limits,
autoscaling signals) a service uses, and the key each is positioned at."""

from __future__ import annotations

from collections.abc import Iterator

from blueprint.model.workloads import Service

# The health check keys that are timings beyond interval_seconds and timeout_seconds.
_TIMINGS = ("startup", "readiness", "liveness")


def serving_concepts(svc: Service) -> Iterator[tuple[str, str]]:
    """(concept id, key) for each serving concept `svc` uses."""
    health = svc.health
    if health is not None:
        if health.kind != "http":
            yield f"health-{health.kind}", "health"
        if health.headers:
            yield "health-http-headers", "health"
        if any(getattr(health, t).model_dump(exclude_none=True) for t in _TIMINGS):
            yield "health-timings", "health"
    if svc.port is None:
        yield "service-without-port", "port"
    if svc.service_port is not None and svc.service_port != svc.port:
        yield "service-port", "service_port"
    if svc.ports:
        yield "named-ports", "ports"
    if svc.app_protocol is not None or any(p.app_protocol for p in svc.ports):
        yield "app-protocol", "app_protocol" if svc.app_protocol else "ports"
    if svc.writable:
        yield "writable-paths", "writable"
    if svc.storage is not None:
        yield "storage", "storage"
    scaling = svc.scaling
    if scaling is not None and scaling.memory_target_percent is not None:
        yield "scaling-memory", "scaling"
    if scaling is not None and scaling.metric is not None:
        yield "scaling-metric", "scaling"
