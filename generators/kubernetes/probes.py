"""The probes of one workload: the values (one handler, three timings) and the container's
probe objects built from them (mirrors `workload.probe` in templates/chart/templates/_helpers.tpl).

A declared health check gives startup, readiness and liveness probes of its kind. Without one,
a service with a port gets a TCP readiness and liveness probe on it (the least we know); a
workload without a port gets none (checkov's skips say why).
"""

from __future__ import annotations

from typing import Any

from blueprint.model import HealthCheck, Job, Service
from blueprint.view import SystemView

Obj = dict[str, Any]

PROBES = ("startup", "readiness", "liveness")
# Without a declared health check: today's TCP probe timing.
_UNDECLARED_PERIOD_SECONDS = 30
_UNDECLARED_TIMEOUT_SECONDS = 5
_UNDECLARED_FAILURE_THRESHOLD = 3


def _handler(kind: str, port: int, health: HealthCheck | None = None) -> Obj:
    return {
        "type": kind,
        "path": health.path if health and kind == "http" else "",
        "port": port,
        "headers": [{"name": k, "value": v} for k, v in sorted(health.headers.items())]
        if health
        else [],
        "grpcService": (health.service or "") if health else "",
        "command": list(health.command) if health else [],
    }


def _timing(enabled: bool, period: int, timeout: int, threshold: int, delay: int = 0) -> Obj:
    return {
        "enabled": enabled,
        "periodSeconds": period,
        "timeoutSeconds": timeout,
        "failureThreshold": threshold,
        "initialDelaySeconds": delay,
    }


def _undeclared(enabled: bool) -> Obj:
    return _timing(
        enabled,
        _UNDECLARED_PERIOD_SECONDS,
        _UNDECLARED_TIMEOUT_SECONDS,
        _UNDECLARED_FAILURE_THRESHOLD,
    )


def probe_values(view: SystemView, name: str, workload: Service | Job) -> Obj:
    health = workload.health if isinstance(workload, Service) else None
    if health is None:
        port = workload.port if isinstance(workload, Service) else None
        return {
            "handler": _handler("tcp" if port else "none", port or 0),
            "startup": _undeclared(False),
            "readiness": _undeclared(port is not None),
            "liveness": _undeclared(port is not None),
        }
    values: Obj = {"handler": _handler(health.kind, view.health_port(name) or 0, health)}
    for probe in PROBES:
        t = health.timing(probe)  # type: ignore[arg-type]  # PROBES holds the three literals
        values[probe] = _timing(
            True, t.period_seconds, t.timeout_seconds, t.failure_threshold, t.initial_delay_seconds
        )
    return values


def probe_object(handler: Obj, timing: Obj) -> Obj:
    kind = handler["type"]
    out: Obj
    if kind == "http":
        get: Obj = {"path": handler["path"], "port": handler["port"]}
        if handler["headers"]:
            get["httpHeaders"] = [dict(h) for h in handler["headers"]]
        out = {"httpGet": get}
    elif kind == "grpc":
        grpc: Obj = {"port": handler["port"]}
        if handler["grpcService"]:
            grpc["service"] = handler["grpcService"]
        out = {"grpc": grpc}
    elif kind == "tcp":
        out = {"tcpSocket": {"port": handler["port"]}}
    else:
        out = {"exec": {"command": list(handler["command"])}}
    if timing["initialDelaySeconds"]:
        out["initialDelaySeconds"] = timing["initialDelaySeconds"]
    out["periodSeconds"] = timing["periodSeconds"]
    out["timeoutSeconds"] = timing["timeoutSeconds"]
    out["failureThreshold"] = timing["failureThreshold"]
    return out


def container_probes(probes: Obj) -> Obj:
    """livenessProbe, readinessProbe and startupProbe of the container, as enabled."""
    out: Obj = {}
    for probe in PROBES:
        if probes[probe]["enabled"] and probes["handler"]["type"] != "none":
            out[f"{probe}Probe"] = probe_object(probes["handler"], probes[probe])
    return out
