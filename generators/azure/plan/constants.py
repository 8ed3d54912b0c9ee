"""Azure's numbers and tables the planner uses, defined once."""

from __future__ import annotations

from blueprint.model import Platform, Resource, ResourceKind

AZURE_PLATFORMS = frozenset({Platform.AZURE_CONTAINER_APPS, Platform.AZURE_FUNCTIONS})
APP_DELEGATION = "Microsoft.App/environments"  # Container Apps and Flex Consumption subnets

# Flex Consumption instance sizes (MB) and the Python versions it supports.
FLEX_INSTANCE_MEMORY = (512, 2048, 4096)
FLEX_RUNTIMES = {"python": "python", "node": "node", "dotnet": "dotnet-isolated", "java": "java"}
DEFAULT_FUNCTION_RUNTIME = ("python", "3.11")
CONTAINER_APPS_MAX_PROBE_SECONDS = 240
EVENT_GRID_MAX_DELIVERY_ATTEMPTS = 30

# kind -> (private endpoint group id, private DNS zone)
PRIVATE_LINK = {
    "vault": ("vault", "privatelink.vaultcore.azure.net"),
    "blob": ("blob", "privatelink.blob.core.windows.net"),
    "queue": ("queue", "privatelink.queue.core.windows.net"),
    "cosmos": ("Sql", "privatelink.documents.azure.com"),
    "cognitive": ("account", "privatelink.cognitiveservices.azure.com"),
    "registry": ("registry", "privatelink.azurecr.io"),
    "servicebus": ("namespace", "privatelink.servicebus.windows.net"),
    "eventhubs": ("namespace", "privatelink.servicebus.windows.net"),
}

RENDERED_KINDS = frozenset(
    {
        ResourceKind.REGISTRY,
        ResourceKind.SECRET_STORE,
        ResourceKind.BUCKET,
        ResourceKind.QUEUE,
        ResourceKind.DATABASE,
        ResourceKind.OCR,
        ResourceKind.TOPIC,
        ResourceKind.BROKER,
    }
)

DATA_ACCOUNT = "data"


def relational(r: Resource) -> bool:
    """A database with a declared engine is a flexible server; without one it stays Cosmos DB."""
    return r.kind is ResourceKind.DATABASE and r.engine is not None
