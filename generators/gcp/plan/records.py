"""The GCP plan: typed records the Knative YAML, the Config Connector object and the Terraform
all render, so they cannot disagree on an image, a limit, an identity or a binding."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from blueprint.cloud_run_network import Egress, Ingress

Generation = Literal["gen1", "gen2"]


@dataclass(frozen=True)
class Probe:
    path: str
    port: int
    startup_period: int
    liveness_period: int
    startup_timeout: int
    liveness_timeout: int
    failure_threshold: int


@dataclass(frozen=True)
class VpcEgress:
    network: str
    subnet: str
    egress: Egress


@dataclass(frozen=True)
class SecretEnv:
    env: str
    secret: str  # the Secret Manager secret ID


@dataclass(frozen=True)
class RunService:
    name: str
    description: str | None
    image: str
    repository: str | None  # the Artifact Registry repository the image comes from
    port: int
    cpu: str
    memory: str
    min_instances: int
    max_instances: int
    concurrency: int
    timeout_seconds: int
    execution_environment: Generation
    service_account_id: str
    service_account_email: str
    ingress: Ingress
    env: tuple[tuple[str, str], ...]
    secrets: tuple[SecretEnv, ...]
    probe: Probe | None
    vpc: VpcEgress | None
    outputs: tuple[EnvOutput, ...] = ()  # env values from resource outputs


@dataclass(frozen=True)
class Skip:
    """An inline checkov suppression: the check and why it cannot apply to this resource."""

    check: str
    reason: str

    def __post_init__(self) -> None:
        if any(ch in self.reason for ch in "\r\n") or ":" in self.check:
            raise ValueError("a checkov skip is one line")


@dataclass(frozen=True)
class Repository:
    name: str
    description: str | None

    @property
    def skips(self) -> tuple[Skip, ...]:
        return (
            Skip(
                "CKV_GCP_84",
                "Google-managed encryption keys; the blueprint models no KMS key ring, and a "
                "customer-managed key would need one the team owns and rotates",
            ),
        )


@dataclass(frozen=True)
class Secret:
    secret_id: str
    store: str
    key: str  # the blueprint's key, which may differ from the ID by its dots


@dataclass(frozen=True)
class Subnetwork:
    name: str
    cidr: str
    nat: bool  # reaches the internet through the network's Cloud NAT


@dataclass(frozen=True)
class VpcNetwork:
    name: str
    subnets: tuple[Subnetwork, ...]
    # run.app resolves to the Private Google Access addresses: callers with private-ranges-only
    # egress reach internal Cloud Run services through the VPC.
    private_run_dns: bool = False
    # Private services access (a reserved range peered with Google's service network): Cloud
    # SQL instances get their private IP from it.
    private_services: bool = False

    @property
    def has_nat(self) -> bool:
        return any(s.nat for s in self.subnets)


@dataclass(frozen=True)
class Binding:
    """`member` (a service name, or "allUsers") holds `role` on `target` of `target_kind`."""

    target_kind: Literal[
        "run-service",
        "run-job",
        "repository",
        "secret",
        "bucket",
        "topic",
        "subscription",
        "cloudsql",
    ]
    target: str
    role: str
    member: str


@dataclass(frozen=True)
class GcpPlan:
    blueprint: str
    project: str
    region: str
    services: tuple[RunService, ...]
    repositories: tuple[Repository, ...]
    secrets: tuple[Secret, ...]
    networks: tuple[VpcNetwork, ...]
    bindings: tuple[Binding, ...]
    databases: tuple[CloudSqlInstance, ...] = ()
    topics: tuple[Topic, ...] = ()
    subscriptions: tuple[Subscription, ...] = ()
    buckets: tuple[Bucket, ...] = ()
    jobs: tuple[RunJob, ...] = ()
    domains: tuple[CustomDomain, ...] = ()

    def bindings_on(self, kind: str, target: str) -> tuple[Binding, ...]:
        return self._bindings_by_target.get((kind, target), ())

    @cached_property
    def _bindings_by_target(self) -> dict[tuple[str, str], tuple[Binding, ...]]:
        # One pass, not a scan of every binding per service (quadratic at 5,000 services).
        found: dict[tuple[str, str], list[Binding]] = {}
        for b in self.bindings:
            found.setdefault((b.target_kind, b.target), []).append(b)
        return {key: tuple(bindings) for key, bindings in found.items()}

    def bindings_of(self, member: str) -> tuple[Binding, ...]:
        return tuple(b for b in self.bindings if b.member == member)


PUBLIC_MEMBER = "allUsers"


@dataclass(frozen=True)
class CloudSqlUser:
    workload: str
    user: str  # the IAM database user name Cloud SQL derives from the service account


@dataclass(frozen=True)
class CloudSqlInstance:
    name: str
    description: str | None
    engine: Literal["postgres", "mysql"]
    database_version: str  # POSTGRES_16, MYSQL_8_0
    tier: str
    disk_gb: int
    regional: bool  # high availability: a standby in another zone of the region
    backup_retention_days: int
    deletion_protection: bool
    network: str
    host: str  # the private DNS name the workloads connect to
    port: int
    users: tuple[CloudSqlUser, ...]


@dataclass(frozen=True)
class Topic:
    name: str
    description: str | None
    kind: Literal["topic", "queue"]


@dataclass(frozen=True)
class Subscription:
    """One subscription on a topic: pushed to a Cloud Run service, or pulled by `pullers`."""

    name: str
    topic: str
    push_to: str | None  # the Cloud Run service it pushes to (OIDC from the push identity)
    pullers: tuple[str, ...]
    max_delivery_attempts: int  # then the message goes to the topic's dead-letter topic
    minimum_backoff_seconds: int
    maximum_backoff_seconds: int


@dataclass(frozen=True)
class Bucket:
    name: str
    bucket_name: str  # globally unique: the project ID and the blueprint name
    description: str | None


@dataclass(frozen=True)
class ScheduleRun:
    schedule: str


@dataclass(frozen=True)
class TopicRun:
    topic: str
    subscription: str  # the pull subscription the job drains


@dataclass(frozen=True)
class ObjectRun:
    bucket: str
    event: Literal["created", "deleted"]


@dataclass(frozen=True)
class RunJob:
    name: str
    description: str | None
    image: str
    repository: str | None
    cpu: str
    memory: str
    timeout_seconds: int
    max_retries: int
    service_account_id: str
    service_account_email: str
    trigger_account_id: str  # what starts it: Cloud Scheduler, or Eventarc and its workflow
    env: tuple[tuple[str, str], ...]
    secrets: tuple[SecretEnv, ...]
    vpc: VpcEgress | None
    trigger: ScheduleRun | TopicRun | ObjectRun
    outputs: tuple[EnvOutput, ...] = ()  # env values from resource outputs


@dataclass(frozen=True)
class DomainRoute:
    path: str
    service: str


@dataclass(frozen=True)
class CustomDomain:
    """A host on a global external Application Load Balancer in front of Cloud Run."""

    name: str
    host: str
    routes: tuple[DomainRoute, ...]
    allow_from: tuple[str, ...]  # source CIDRs admitted by Cloud Armor; empty: everyone
    certificate: str | None = None  # an existing certificate; None: Google-managed
    zone: str | None = None  # the Cloud DNS zone (its DNS name) the host's A record goes in

    @property
    def services(self) -> tuple[str, ...]:
        return tuple(sorted({r.service for r in self.routes}))


# Members that are not a workload's identity: Pub/Sub's push identity, and the identity that
# starts a job (Cloud Scheduler, or Eventarc and its workflow). "/" is in no blueprint name.
PUSH_MEMBER = "pubsub/push"
_TRIGGER = "trigger/"


def trigger_member(job: str) -> str:
    return f"{_TRIGGER}{job}"


@dataclass(frozen=True)
class EnvOutput:
    """An env value from a resource output: `value` as the YAML forms carry it, `reference`
    the Terraform expression that yields it (None: a constant such as a port)."""

    env: str
    value: str
    reference: str | None
