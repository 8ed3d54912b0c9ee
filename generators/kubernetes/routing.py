"""HTTP ingress to one service: Ingress objects (ingressClassName, TLS from a named Secret or
from cert-manager), or Gateway API HTTPRoutes attached to the platform's Gateway when
`platforms.kubernetes.gateway` names one (the Gateway's listeners then hold the certificates)."""

from __future__ import annotations

from typing import Any

from blueprint.model import HttpIngress, Service
from blueprint.view import SystemView

Obj = dict[str, Any]

GATEWAY_API_VERSION = "gateway.networking.k8s.io/v1"


def _routes(view: SystemView, name: str) -> list[tuple[str, HttpIngress, list[str]]]:
    """(ingress name, ingress, its paths to `name`) of each HTTP ingress routing to `name`."""
    bp = view.blueprint
    out = []
    for ingress_name in view.ingress_to(name):
        ingress = bp.ingress[ingress_name]
        if isinstance(ingress, HttpIngress):
            paths = sorted(path for path, target in ingress.routes.items() if target == name)
            out.append((ingress_name, ingress, paths))
    return out


def _gateway(view: SystemView) -> str | None:
    settings = view.blueprint.platforms.kubernetes
    return settings.gateway if settings else None


def _tls(ingress: HttpIngress) -> Obj:
    """The Ingress TLS: a named Secret (tls_secret, or tls.certificate), or cert-manager's
    ClusterIssuer (a managed certificate), which writes the Secret `<ingress object>-tls`."""
    tls = ingress.tls
    if tls is None:
        return {"tlsSecret": ingress.tls_secret or "", "tlsIssuer": ""}
    if tls.managed:
        return {"tlsSecret": "", "tlsIssuer": tls.issuer or ""}
    return {"tlsSecret": tls.certificate, "tlsIssuer": ""}


def ingress_values(view: SystemView, name: str, service: Service) -> list[Obj]:
    if _gateway(view) is not None:
        return []
    settings = view.blueprint.platforms.kubernetes
    return [
        {
            "name": f"{ingress_name}-{name}",
            "className": (settings.ingress_class or "") if settings else "",
            "host": ingress.host or "",
            **_tls(ingress),
            "port": service.primary_port_name,
            "paths": paths,
        }
        for ingress_name, ingress, paths in _routes(view, name)
    ]


def http_route_values(view: SystemView, name: str, service: Service) -> list[Obj]:
    gateway = _gateway(view)
    if gateway is None or service.port is None:
        return []
    return [
        {
            "name": f"{ingress_name}-{name}",
            "gateway": gateway,
            "host": ingress.host or "",
            "port": service.service_port or service.port,
            "paths": paths,
        }
        for ingress_name, ingress, paths in _routes(view, name)
    ]


def http_route(v: Obj, route: Obj, metadata: Obj) -> Obj:
    spec: Obj = {
        "parentRefs": [{"name": route["gateway"]}],
        "rules": [
            {
                "matches": [{"path": {"type": "PathPrefix", "value": path}}],
                "backendRefs": [{"name": v["name"], "port": route["port"]}],
            }
            for path in route["paths"]
        ],
    }
    if route["host"]:
        spec["hostnames"] = [route["host"]]
    return {
        "apiVersion": GATEWAY_API_VERSION,
        "kind": "HTTPRoute",
        "metadata": metadata,
        "spec": spec,
    }
