"""What a topic-triggered workload is bound to: the entity its trigger reads (a storage queue, a
Service Bus queue or subscription, an event hub and consumer group), the account or namespace
that entity lives in, and the role that reads it, granted on that exact entity."""

from __future__ import annotations

from dataclasses import dataclass

from blueprint.model import Job, Service, TopicTrigger
from generators.azure import roles
from generators.azure.naming import symbol
from generators.azure.plan.constants import DATA_ACCOUNT
from generators.azure.plan.identity import assign
from generators.azure.plan.state import AzurePlanError, PlanState

STORAGE_QUEUE = "storage-queue"
SERVICE_BUS_QUEUE = "service-bus-queue"
SERVICE_BUS_TOPIC = "service-bus-topic"
EVENT_HUB = "event-hub"

# The connection name (the app-setting prefix a Functions binding's `connection` names) per kind.
CONNECTION = {
    STORAGE_QUEUE: "TriggerQueue",
    SERVICE_BUS_QUEUE: "TriggerServiceBus",
    SERVICE_BUS_TOPIC: "TriggerServiceBus",
    EVENT_HUB: "TriggerEventHub",
}


@dataclass(frozen=True)
class TriggerSource:
    kind: str
    resource: str  # the queue or topic
    entity: str  # Bicep symbol of the queue, topic or event hub
    home: str  # Bicep symbol of the storage account or namespace it lives in
    reader: str | None  # the subscription or consumer group symbol the workload reads
    reader_name: str | None  # its name (the workload's)

    @property
    def connection(self) -> str:
        return CONNECTION[self.kind]

    @property
    def namespace_host(self) -> str:
        """A Bicep expression: the namespace's fully qualified name."""
        return f"'${{{self.home}.name}}.servicebus.windows.net'"


def trigger_source(st: PlanState, name: str, w: Service | Job) -> TriggerSource | None:
    if not isinstance(w, Job) or not isinstance(w.trigger, TopicTrigger):
        return None
    resource = w.trigger.topic
    if resource in st.event_hubs:
        ns, hub = st.event_hubs[resource]
        return TriggerSource(EVENT_HUB, resource, hub, ns, st.subscriptions[(resource, name)], name)
    if resource in st.service_bus_entities:
        entity = st.service_bus_entities[resource]
        ns = st.plan.service_bus[0].symbol
        if (resource, name) in st.subscriptions:
            sub = st.subscriptions[(resource, name)]
            return TriggerSource(SERVICE_BUS_TOPIC, resource, entity, ns, sub, name)
        return TriggerSource(SERVICE_BUS_QUEUE, resource, entity, ns, None, None)
    if resource in st.resource_symbols and resource in st.resources:
        entity = st.resource_symbols[resource]
        return TriggerSource(
            STORAGE_QUEUE, resource, entity, symbol("st", DATA_ACCOUNT), None, None
        )
    raise AzurePlanError(
        f"job {name!r} is triggered by {resource!r}, which is not an Azure queue or topic in "
        "this blueprint"
    )


def grant_trigger(st: PlanState, name: str, identity: str, source: TriggerSource) -> str:
    """The role that reads the trigger's entity, on that entity only (the subscription or the
    queue; an event hub for its consumer group, which RBAC cannot scope)."""
    role = {
        STORAGE_QUEUE: roles.TRIGGER_STORAGE_QUEUE,
        SERVICE_BUS_QUEUE: roles.TRIGGER_SERVICE_BUS,
        SERVICE_BUS_TOPIC: roles.TRIGGER_SERVICE_BUS,
        EVENT_HUB: roles.TRIGGER_EVENT_HUB,
    }[source.kind]
    scope = source.reader if source.kind == SERVICE_BUS_TOPIC and source.reader else source.entity
    return assign(st, name, identity, scope, role, f"{name} is triggered by {source.resource}")
