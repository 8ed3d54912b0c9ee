"""The records of the data plane and the newer workload shapes: Service Bus, Event Hubs, the
relational flexible servers, Container Apps jobs and custom domains. Plain frozen data, laid out
by the templates as planned."""

from __future__ import annotations

from dataclasses import dataclass

from generators.azure.plan.records import Access, EnvVar, Image, SecretReference, Skip


@dataclass(frozen=True)
class SbSubscription:
    symbol: str
    name: str  # the subscribing workload
    max_delivery_count: int


@dataclass(frozen=True)
class SbQueue:
    symbol: str
    name: str
    description: str | None
    max_delivery_count: int


@dataclass(frozen=True)
class SbTopic:
    symbol: str
    name: str
    description: str | None
    subscriptions: tuple[SbSubscription, ...]


@dataclass(frozen=True)
class ServiceBusNamespace:
    symbol: str
    prefix: str
    sku: str  # Standard (topics need it), Premium when it takes a private endpoint
    access: Access
    queues: tuple[SbQueue, ...]
    topics: tuple[SbTopic, ...]


@dataclass(frozen=True)
class ConsumerGroup:
    symbol: str
    name: str  # the consuming workload


@dataclass(frozen=True)
class EventHub:
    symbol: str
    name: str
    description: str | None
    retention_days: int
    partitions: int
    consumer_groups: tuple[ConsumerGroup, ...]


@dataclass(frozen=True)
class EventHubsNamespace:
    symbol: str
    resource: str
    prefix: str
    description: str | None
    access: Access
    hubs: tuple[EventHub, ...]


@dataclass(frozen=True)
class DbAdministrator:
    symbol: str
    identity_symbol: str
    identity_name: str
    why: str


@dataclass(frozen=True)
class FlexibleServer:
    symbol: str
    resource: str
    engine: str  # postgres | mysql
    prefix: str
    description: str | None
    version: str
    sku_name: str
    tier: str
    storage_gb: int
    high_availability: bool
    backup_retention_days: int
    geo_redundant_backup: bool
    deletion_protection: bool
    subnet_symbol: str | None  # the delegated subnet (private access), None: public access
    zone_symbol: str | None
    zone_link_symbols: tuple[str, ...]
    database_symbol: str
    administrators: tuple[DbAdministrator, ...]
    server_identity: str | None  # MySQL: the server's own identity (it reads Microsoft Graph)
    # The SQL making the other users principals (a format() string and its arguments), if any.
    principals_sql: tuple[str, tuple[str, ...]] | None
    skips: tuple[Skip, ...]

    @property
    def provider(self) -> str:
        return "Microsoft.DBforPostgreSQL" if self.engine == "postgres" else "Microsoft.DBforMySQL"

    @property
    def lock_symbol(self) -> str:
        return f"{self.symbol}_lock"

    @property
    def firewall_symbol(self) -> str:
        return f"{self.symbol}_azure_services"


@dataclass(frozen=True)
class ScaleMetadata:
    key: str
    value: str | None = None  # a literal
    expression: str | None = None  # a Bicep expression built from symbols only


@dataclass(frozen=True)
class ScaleRule:
    name: str
    type: str  # azure-servicebus | azure-eventhub
    metadata: tuple[ScaleMetadata, ...]


@dataclass(frozen=True)
class ContainerJob:
    symbol: str
    name: str
    description: str | None
    identity: str
    environment: str
    image: Image
    cpu: str
    memory: str
    trigger_type: str  # Schedule | Event
    cron: str | None
    replica_timeout: int
    retry_limit: int
    scale_rule: ScaleRule | None
    env: tuple[EnvVar, ...]
    secrets: tuple[SecretReference, ...]
    depends_on: tuple[str, ...]


@dataclass(frozen=True)
class CustomDomain:
    """A host on a container app: the managed certificate, the binding, and the DNS records
    validation and routing need (written to an Azure DNS zone when one is named)."""

    app_symbol: str
    app_name: str
    host: str
    certificate_symbol: str
    certificate_name: str
    environment: str
    zone: str | None
    record: str  # the host relative to the zone ('@' at the apex)
    dns_symbol: str  # prefix of the record symbols and of the outputs

    @property
    def apex(self) -> bool:
        """The host is the zone itself: an A record (no CNAME at an apex), HTTP validation."""
        return self.record == "@"

    @property
    def txt_record(self) -> str:
        return "asuid" if self.apex else f"asuid.{self.record}"

    @property
    def zone_symbol(self) -> str:
        return "dnsz_" + (self.zone or "").replace(".", "_").replace("-", "_")
