"""Ingress: who may reach a Cloud Run service over the network (its ingress setting)."""

from __future__ import annotations

from blueprint.view import SystemView
from generators.gcp.plan.records import Ingress


def run_ingress(view: SystemView, name: str) -> Ingress:
    if view.is_public(name):
        return "all"
    if view.ingress_to(name):
        # Reached only through a load balancer or gateway the blueprint declares internal.
        return "internal-and-cloud-load-balancing"
    return "internal"
