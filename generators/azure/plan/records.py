"""The records the planner fills and the Bicep template lays out: plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generators.azure import roles

if TYPE_CHECKING:  # the data records import Access, Image and friends from here
    from generators.azure.plan.data_records import (
        ContainerJob,
        CustomDomain,
        EventHubsNamespace,
        FlexibleServer,
        ServiceBusNamespace,
    )


@dataclass(frozen=True)
class Skip:
    """An inline checkov suppression: the check and why it cannot apply to this resource."""

    check: str
    reason: str


@dataclass(frozen=True)
class SubnetPlan:
    symbol: str
    name: str
    cidr: str
    delegation: str | None  # the service the subnet is delegated to
    nsg_symbol: str
    nsg_name: str
    # CIDRs (or the 'Internet' tag) allowed to reach HTTPS on a public Container Apps environment
    https_sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class NetworkPlan:
    symbol: str
    name: str
    cidr: str
    subnets: tuple[SubnetPlan, ...]


@dataclass(frozen=True)
class PrivateEndpoint:
    symbol: str
    name: str
    subnet_symbol: str
    target_symbol: str
    group_id: str
    zone_symbol: str


@dataclass(frozen=True)
class DnsZone:
    symbol: str
    name: str
    links: tuple[tuple[str, str, str], ...]  # (link symbol, link name, vnet symbol)


@dataclass(frozen=True)
class Access:
    """How a data-plane resource is reached: a private endpoint, or its public endpoint."""

    private: bool
    # Event Grid delivers into the account as a trusted Azure service, which needs the public
    # endpoint enabled behind a default-deny firewall.
    trusted_services: bool = False
    skips: tuple[Skip, ...] = ()

    @property
    def public_network_access(self) -> str:
        return "Disabled" if self.private and not self.trusted_services else "Enabled"

    @property
    def default_action(self) -> str:
        return "Deny" if self.private else "Allow"


@dataclass(frozen=True)
class Identity:
    symbol: str
    name: str
    description: str | None


@dataclass(frozen=True)
class Registry:
    symbol: str
    resource: str
    prefix: str
    description: str | None
    access: Access
    skips: tuple[Skip, ...]


@dataclass(frozen=True)
class Vault:
    symbol: str
    resource: str
    prefix: str
    description: str | None
    access: Access


@dataclass(frozen=True)
class BlobContainer:
    symbol: str
    name: str
    description: str | None


@dataclass(frozen=True)
class Queue:
    symbol: str
    name: str
    description: str | None


@dataclass(frozen=True)
class StorageAccount:
    symbol: str
    prefix: str
    purpose: str
    access: Access
    containers: tuple[BlobContainer, ...]
    queues: tuple[Queue, ...]

    @property
    def skips(self) -> tuple[Skip, ...]:
        reason = (
            "the name is concat() of a lowercase alphanumeric prefix of at most 11 characters "
            "and uniqueString() (13), which checkov cannot evaluate"
        )
        return (Skip("CKV_AZURE_43", reason), *self.access.skips)

    @property
    def blob_service(self) -> str:
        return f"{self.symbol}_blobs"

    @property
    def queue_service(self) -> str:
        return f"{self.symbol}_queues"


@dataclass(frozen=True)
class CosmosContainer:
    symbol: str
    name: str


@dataclass(frozen=True)
class Cosmos:
    symbol: str
    resource: str
    prefix: str
    description: str | None
    access: Access
    database_symbol: str
    containers: tuple[CosmosContainer, ...]


@dataclass(frozen=True)
class Ocr:
    symbol: str
    resource: str
    prefix: str
    description: str | None
    access: Access

    @property
    def skips(self) -> tuple[Skip, ...]:
        reason = "the OCR account calls no other resource, so it holds no identity to govern"
        return (Skip("CKV_AZURE_238", reason), *self.access.skips)


@dataclass(frozen=True)
class RoleAssignment:
    symbol: str
    scope_symbol: str
    identity_symbol: str
    role: roles.Role
    why: str  # a fixed phrase and blueprint names only: it is rendered as a comment


@dataclass(frozen=True)
class CosmosRoleAssignment:
    symbol: str
    account_symbol: str
    database_symbol: str
    identity_symbol: str
    role: roles.Role
    why: str


@dataclass(frozen=True)
class EnvVar:
    name: str
    value: str | None = None
    secret: str | None = None  # a Container Apps secret name
    expression: str | None = None  # a Bicep expression built from symbols only (an output)


@dataclass(frozen=True)
class SecretReference:
    name: str  # Container Apps secret name
    env: str
    vault_symbol: str
    key: str


@dataclass(frozen=True)
class ContainerEnvironment:
    symbol: str
    name: str
    subnet_symbol: str | None
    internal: bool
    diagnostics_symbol: str


@dataclass(frozen=True)
class Image:
    registry_symbol: str | None  # an ACR in this template, else the image is a full reference
    reference: str  # repository:tag or repository@digest, or the full external reference


@dataclass(frozen=True)
class ContainerApp:
    symbol: str
    name: str
    workload: str
    description: str | None
    identity: str
    environment: str
    image: Image
    cpu: str
    memory: str
    port: int
    external: bool
    ip_allow: tuple[str, ...]
    min_replicas: int
    max_replicas: int
    concurrency: int
    cpu_target_percent: int | None
    health_path: str | None
    health_port: int
    probe_period: int
    probe_timeout: int
    env: tuple[EnvVar, ...]
    secrets: tuple[SecretReference, ...]
    depends_on: tuple[str, ...]
    domains: tuple[CustomDomain, ...] = ()


@dataclass(frozen=True)
class AppSetting:
    name: str
    value: str | None = None  # a literal
    expression: str | None = None  # a Bicep expression built from symbols only
    vault_symbol: str | None = None  # a Key Vault reference: vault and secret key
    key: str | None = None


@dataclass(frozen=True)
class FunctionApp:
    symbol: str
    workload: str
    prefix: str
    description: str | None
    identity: str
    plan_symbol: str
    plan_name: str
    insights_symbol: str
    insights_name: str
    host_storage: str
    subnet_symbol: str | None
    runtime_name: str
    runtime_version: str
    instance_memory: int
    settings: tuple[AppSetting, ...]
    depends_on: tuple[str, ...]
    skips: tuple[Skip, ...]

    @property
    def plan_skips(self) -> tuple[Skip, ...]:
        reason = "Flex Consumption places instances itself; its plan has no zone setting"
        return (Skip("CKV_AZURE_225", reason),)


@dataclass(frozen=True)
class EventSubscription:
    symbol: str
    name: str
    event_type: str
    container: str
    queue_name: str
    queue_symbol: str
    max_delivery_attempts: int
    depends_on: tuple[str, ...]


@dataclass(frozen=True)
class SystemTopic:
    symbol: str
    name: str
    identity: str
    storage_symbol: str
    subscriptions: tuple[EventSubscription, ...]


@dataclass
class AzurePlan:
    name: str
    description: str | None
    location: str
    resource_group: str
    identities: list[Identity] = field(default_factory=list)
    networks: list[NetworkPlan] = field(default_factory=list)
    dns_zones: list[DnsZone] = field(default_factory=list)
    private_endpoints: list[PrivateEndpoint] = field(default_factory=list)
    registries: list[Registry] = field(default_factory=list)
    vaults: list[Vault] = field(default_factory=list)
    storage_accounts: list[StorageAccount] = field(default_factory=list)
    cosmos_accounts: list[Cosmos] = field(default_factory=list)
    ocr_accounts: list[Ocr] = field(default_factory=list)
    environments: list[ContainerEnvironment] = field(default_factory=list)
    container_apps: list[ContainerApp] = field(default_factory=list)
    function_apps: list[FunctionApp] = field(default_factory=list)
    system_topics: list[SystemTopic] = field(default_factory=list)
    role_assignments: list[RoleAssignment] = field(default_factory=list)
    cosmos_role_assignments: list[CosmosRoleAssignment] = field(default_factory=list)
    service_bus: list[ServiceBusNamespace] = field(default_factory=list)
    event_hubs: list[EventHubsNamespace] = field(default_factory=list)
    flexible_servers: list[FlexibleServer] = field(default_factory=list)
    container_jobs: list[ContainerJob] = field(default_factory=list)

    @property
    def uses_monitoring(self) -> bool:
        return bool(self.environments or self.function_apps)

    @property
    def domains(self) -> list[CustomDomain]:
        return [d for app in self.container_apps for d in app.domains]

    @property
    def modules(self) -> list[str]:
        """The fixed modules main.bicep calls (files in templates/, written as they are)."""
        postgres = any(s.engine == "postgres" and s.administrators for s in self.flexible_servers)
        return ["postgres-administrator.bicep"] if postgres else []

    @property
    def public_zones(self) -> list[tuple[str, str]]:
        """The Azure DNS zones custom-domain records are written to: (symbol, name)."""
        zones = {d.zone_symbol: d.zone for d in self.domains if d.zone is not None}
        return sorted(zones.items())
