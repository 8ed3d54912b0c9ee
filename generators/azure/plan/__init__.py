"""What the Bicep template declares, worked out from the system view before any text is written.

The templates only lay these records out; every decision (names, network placement, which role
on which resource, which checkov check cannot apply and why) is made here, one planning module
per concern, where it is typed and unit-tested.
"""

from __future__ import annotations

from blueprint.view import SystemView
from generators.azure.plan.constants import RENDERED_KINDS
from generators.azure.plan.eventhubs import plan_event_hubs
from generators.azure.plan.events import plan_system_topics
from generators.azure.plan.flexible import delegations, plan_flexible_servers, register_servers
from generators.azure.plan.functions import plan_function_apps
from generators.azure.plan.jobs import plan_container_jobs
from generators.azure.plan.network import delegated_subnets, plan_dns_zones, plan_networks
from generators.azure.plan.records import AzurePlan
from generators.azure.plan.servicebus import plan_service_bus
from generators.azure.plan.state import (
    AzurePlanError,
    PlanState,
    azure_resources,
    azure_workloads,
)
from generators.azure.plan.storage import plan_resources
from generators.azure.plan.workloads import plan_container_apps


def applies_to(view: SystemView) -> bool:
    return bool(azure_workloads(view)) or any(
        r.kind in RENDERED_KINDS for r in azure_resources(view).values()
    )


def build_plan(view: SystemView) -> AzurePlan:
    st = PlanState(view)
    st.db_delegated = delegations(st)
    st.delegated = delegated_subnets(st)
    plan_service_bus(st)
    plan_event_hubs(st)
    plan_resources(st)
    register_servers(st)
    plan_networks(st)
    plan_container_apps(st)
    plan_container_jobs(st)
    plan_function_apps(st)
    plan_flexible_servers(st)
    plan_system_topics(st)
    plan_dns_zones(st)
    return st.plan


__all__ = ["AzurePlan", "AzurePlanError", "applies_to", "build_plan"]
