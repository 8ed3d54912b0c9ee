"""What the planning functions share while they build an AzurePlan: the view, the plan so far,
and the Bicep symbols one concern hands the next."""

from __future__ import annotations

from blueprint.model import Access, Cloud, Job, Resource, Service
from blueprint.view import SystemView
from generators.azure.plan.constants import AZURE_PLATFORMS, RENDERED_KINDS
from generators.azure.plan.records import AzurePlan, Cosmos


class AzurePlanError(ValueError):
    """The blueprint asks for something this generator cannot render faithfully."""


def azure_workloads(view: SystemView) -> dict[str, Service | Job]:
    names = set(view.workloads_on(*AZURE_PLATFORMS))
    bp = view.blueprint
    # In declaration order (services, then jobs), as the Bicep lays them out.
    return {n: view.workload(n) for n in (*bp.services, *bp.jobs) if n in names}


def azure_resources(view: SystemView) -> dict[str, Resource]:
    names = set(view.resources_in(Cloud.AZURE))
    return {n: r for n, r in view.blueprint.resources.items() if n in names}


class PlanState:
    def __init__(self, view: SystemView) -> None:
        bp = view.blueprint
        settings = bp.platforms.azure
        self.view = view
        self.bp = bp
        self.plan = AzurePlan(
            name=bp.name,
            description=bp.description,
            location=settings.location if settings else "westeurope",
            resource_group=(settings.resource_group if settings else None) or f"rg-{bp.name}",
        )
        self.workloads = azure_workloads(view)
        self.resources = {
            n: r for n, r in azure_resources(view).items() if r.kind in RENDERED_KINDS
        }
        self.delegated: dict[str, str] = {}
        self.db_delegated: dict[str, str] = {}  # subnet -> flexible-server delegation
        self.resource_symbols: dict[str, str] = {}
        self.zone_symbols: dict[str, str] = {}
        self.queue_symbols: dict[str, str] = {}
        self.container_symbols: dict[str, str] = {}
        self.cosmos_by_resource: dict[str, Cosmos] = {}
        self.deps: dict[str, list[str]] = {}
        self.assigned: set[str] = set()  # role assignment symbols planned so far
        self.environment_of: dict[str, str] = {}  # Container Apps workload -> environment
        # Service Bus queues and topics (resource -> entity symbol); event hubs (topic ->
        # namespace and hub symbols); each consumer's subscription or consumer group.
        self.service_bus_entities: dict[str, str] = {}
        self.event_hubs: dict[str, tuple[str, str]] = {}
        self.subscriptions: dict[tuple[str, str], str] = {}
        # Relational databases: resource -> the workloads granted on it, with their identities.
        self.db_principals: dict[str, list[tuple[str, str, Access]]] = {}
