"""Ingress: who may reach a Cloud Run service over the network (its ingress setting), and the
custom domains: a public http ingress with a host becomes a global external Application Load
Balancer with a serverless NEG per routed service."""

from __future__ import annotations

from blueprint.cloud_run_network import behind_custom_domain, is_cloud_run_service, run_ingress
from blueprint.model import HttpIngress
from blueprint.view import SystemView
from generators.gcp.plan.records import CustomDomain, DomainRoute

__all__ = ["custom_domains", "run_ingress"]


def custom_domains(view: SystemView) -> tuple[CustomDomain, ...]:
    found: list[CustomDomain] = []
    for name, ing in sorted(view.blueprint.ingress.items()):
        if not isinstance(ing, HttpIngress) or not behind_custom_domain(view, name):
            continue
        routes = tuple(
            DomainRoute(path, target)
            for path, target in sorted(ing.routes.items())
            if is_cloud_run_service(view, target)
        )
        if not routes or ing.host is None:
            continue
        found.append(
            CustomDomain(
                name=name,
                host=ing.host,
                routes=routes,
                allow_from=tuple(sorted({r.cidr for r in ing.allow_from})),
                certificate=None if ing.tls is None or ing.tls.managed else ing.tls.certificate,
                zone=None if ing.tls is None else ing.tls.zone,
            )
        )
    return tuple(found)
