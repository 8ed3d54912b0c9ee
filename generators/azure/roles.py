"""The one table of Azure built-in roles: which role a declared access level becomes.

Every role assignment the generator renders takes its role definition id from here. Ids are the
built-in role GUIDs, identical in every tenant; Cosmos DB data-plane roles are the two built-in
SQL role definitions, assigned through Microsoft.DocumentDB sqlRoleAssignments.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from blueprint.model import Access, ResourceKind


class RolePlane(Enum):
    ARM = "arm"  # Microsoft.Authorization/roleAssignments
    COSMOS_SQL = "cosmos-sql"  # Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments


@dataclass(frozen=True)
class Role:
    name: str
    id: str
    plane: RolePlane = RolePlane.ARM


ACR_PULL = Role("AcrPull", "7f951dda-4ed3-4680-a7ca-43fe172d538d")
ACR_PUSH = Role("AcrPush", "8311e382-0749-4cb8-b61a-304f252e45ec")
KEY_VAULT_SECRETS_USER = Role("Key Vault Secrets User", "4633458b-17de-408a-b874-0445c86b69e6")
KEY_VAULT_SECRETS_OFFICER = Role(
    "Key Vault Secrets Officer", "b86a8fe4-44ce-4948-aee5-eccb2c155cd7"
)
STORAGE_BLOB_DATA_READER = Role("Storage Blob Data Reader", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1")
STORAGE_BLOB_DATA_CONTRIBUTOR = Role(
    "Storage Blob Data Contributor", "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
)
STORAGE_BLOB_DATA_OWNER = Role("Storage Blob Data Owner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b")
STORAGE_QUEUE_DATA_READER = Role(
    "Storage Queue Data Reader", "19e7f393-937e-4f77-808e-94535e297925"
)
STORAGE_QUEUE_DATA_MESSAGE_SENDER = Role(
    "Storage Queue Data Message Sender", "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a"
)
STORAGE_QUEUE_DATA_MESSAGE_PROCESSOR = Role(
    "Storage Queue Data Message Processor", "8a0f0c08-91a1-4084-bc3d-661d67233fed"
)
COGNITIVE_SERVICES_USER = Role("Cognitive Services User", "a97b65f3-24c7-4388-baec-2e87135dc908")
MONITORING_METRICS_PUBLISHER = Role(
    "Monitoring Metrics Publisher", "3913510d-42f4-4e42-8a64-420c390055eb"
)
LOG_ANALYTICS_READER = Role("Log Analytics Reader", "73c42c96-874c-492b-b04d-ab87d138a893")
SERVICE_BUS_DATA_SENDER = Role(
    "Azure Service Bus Data Sender", "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39"
)
SERVICE_BUS_DATA_RECEIVER = Role(
    "Azure Service Bus Data Receiver", "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0"
)
EVENT_HUBS_DATA_SENDER = Role(
    "Azure Event Hubs Data Sender", "2b629674-e913-4c01-ae53-ef4638d8f975"
)
EVENT_HUBS_DATA_RECEIVER = Role(
    "Azure Event Hubs Data Receiver", "a638d3c7-ab3a-418d-83e6-5f17a39d4fde"
)
COSMOS_DATA_READER = Role(
    "Cosmos DB Built-in Data Reader", "00000000-0000-0000-0000-000000000001", RolePlane.COSMOS_SQL
)
COSMOS_DATA_CONTRIBUTOR = Role(
    "Cosmos DB Built-in Data Contributor",
    "00000000-0000-0000-0000-000000000002",
    RolePlane.COSMOS_SQL,
)

# (resource kind, declared access) -> the least role that allows it, on that one resource.
ROLE_FOR_ACCESS: dict[tuple[ResourceKind, Access], Role] = {
    (ResourceKind.REGISTRY, Access.PULL): ACR_PULL,
    (ResourceKind.REGISTRY, Access.READ): ACR_PULL,
    (ResourceKind.REGISTRY, Access.PUSH): ACR_PUSH,
    (ResourceKind.SECRET_STORE, Access.READ): KEY_VAULT_SECRETS_USER,
    (ResourceKind.SECRET_STORE, Access.WRITE): KEY_VAULT_SECRETS_OFFICER,
    (ResourceKind.BUCKET, Access.READ): STORAGE_BLOB_DATA_READER,
    (ResourceKind.BUCKET, Access.WRITE): STORAGE_BLOB_DATA_CONTRIBUTOR,
    (ResourceKind.QUEUE, Access.READ): STORAGE_QUEUE_DATA_READER,
    (ResourceKind.QUEUE, Access.SUBSCRIBE): STORAGE_QUEUE_DATA_MESSAGE_PROCESSOR,
    (ResourceKind.QUEUE, Access.PUBLISH): STORAGE_QUEUE_DATA_MESSAGE_SENDER,
    (ResourceKind.QUEUE, Access.WRITE): STORAGE_QUEUE_DATA_MESSAGE_SENDER,
    # Topics without a broker are Service Bus topics; brokers are Event Hubs namespaces.
    (ResourceKind.TOPIC, Access.READ): SERVICE_BUS_DATA_RECEIVER,
    (ResourceKind.TOPIC, Access.SUBSCRIBE): SERVICE_BUS_DATA_RECEIVER,
    (ResourceKind.TOPIC, Access.PUBLISH): SERVICE_BUS_DATA_SENDER,
    (ResourceKind.BROKER, Access.READ): EVENT_HUBS_DATA_RECEIVER,
    (ResourceKind.BROKER, Access.SUBSCRIBE): EVENT_HUBS_DATA_RECEIVER,
    (ResourceKind.BROKER, Access.PUBLISH): EVENT_HUBS_DATA_SENDER,
    (ResourceKind.DATABASE, Access.READ): COSMOS_DATA_READER,
    (ResourceKind.DATABASE, Access.WRITE): COSMOS_DATA_CONTRIBUTOR,
    (ResourceKind.OCR, Access.INVOKE): COGNITIVE_SERVICES_USER,
    (ResourceKind.LOGS, Access.READ): LOG_ANALYTICS_READER,
}

# The same accesses where the resource is a Service Bus queue (queues Container Apps jobs
# consume) or an event hub (a topic on a broker): same keys, other roles.
SERVICE_BUS_QUEUE_ROLES: dict[Access, Role] = {
    Access.READ: SERVICE_BUS_DATA_RECEIVER,
    Access.SUBSCRIBE: SERVICE_BUS_DATA_RECEIVER,
    Access.PUBLISH: SERVICE_BUS_DATA_SENDER,
    Access.WRITE: SERVICE_BUS_DATA_SENDER,
}
EVENT_HUB_ROLES: dict[Access, Role] = {
    Access.READ: EVENT_HUBS_DATA_RECEIVER,
    Access.SUBSCRIBE: EVENT_HUBS_DATA_RECEIVER,
    Access.PUBLISH: EVENT_HUBS_DATA_SENDER,
}

# What the platform itself needs, beyond declared uses: pulling the workload's own image, the
# Functions host's own storage account, telemetry with Entra authentication, and the Event Grid
# system topic delivering blob events to a workload's trigger queue.
IMAGE_PULL = ACR_PULL
FUNCTIONS_HOST_STORAGE = STORAGE_BLOB_DATA_OWNER
TELEMETRY_PUBLISHER = MONITORING_METRICS_PUBLISHER
EVENT_QUEUE_SENDER = STORAGE_QUEUE_DATA_MESSAGE_SENDER
EVENT_QUEUE_CONSUMER = STORAGE_QUEUE_DATA_MESSAGE_PROCESSOR
# A trigger (a Function's binding, a job's KEDA scaler) reads the entity it is bound to.
TRIGGER_STORAGE_QUEUE = STORAGE_QUEUE_DATA_MESSAGE_PROCESSOR
TRIGGER_SERVICE_BUS = SERVICE_BUS_DATA_RECEIVER
TRIGGER_EVENT_HUB = EVENT_HUBS_DATA_RECEIVER
CHECKPOINT_STORE = STORAGE_BLOB_DATA_CONTRIBUTOR


class UnsupportedGrantError(ValueError):
    """A grant the Azure generator cannot render as one built-in role on one resource."""


def role_for(kind: ResourceKind, access: Access) -> Role:
    try:
        return ROLE_FOR_ACCESS[(kind, access)]
    except KeyError:
        supported = sorted(a.value for k, a in ROLE_FOR_ACCESS if k is kind)
        raise UnsupportedGrantError(
            f"no least-privilege Azure built-in role for access {access.value!r} on a "
            f"{kind.value!r} resource; expected one of: {', '.join(supported) or 'none'}"
        ) from None
