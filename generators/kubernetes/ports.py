"""The ports of one workload: its primary port (named http, or grpc), its named ports and a
metrics port of its own, each with the port its Service exposes it on."""

from __future__ import annotations

from typing import Any

from blueprint.model import Job, Service
from blueprint.view import SystemView

Obj = dict[str, Any]


def _port(name: str, port: int, service_port: int | None, protocol: str, app: str | None) -> Obj:
    return {
        "name": name,
        "port": port,
        "servicePort": service_port or port,
        "protocol": protocol.upper(),
        "appProtocol": app or "",
    }


def port_values(view: SystemView, name: str, workload: Service | Job) -> list[Obj]:
    if not isinstance(workload, Service):
        return []
    ports = []
    if workload.port is not None:
        ports.append(
            _port(
                workload.primary_port_name,
                workload.port,
                workload.service_port,
                "tcp",
                workload.app_protocol,
            )
        )
    ports += [
        _port(p.name, p.port, p.service_port, p.protocol, p.app_protocol) for p in workload.ports
    ]
    metrics_port = view.metrics_port(name)
    if metrics_port is not None and all(p["port"] != metrics_port for p in ports):
        ports.append(_port("metrics", metrics_port, None, "tcp", None))
    return ports


def metrics_port_name(view: SystemView, name: str, ports: list[Obj]) -> str:
    """The name of the port Prometheus scrapes ('metrics' when none is declared)."""
    metrics_port = view.metrics_port(name)
    return next((p["name"] for p in ports if p["port"] == metrics_port), "metrics")
