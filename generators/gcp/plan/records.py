"""The GCP plan: typed records the Knative YAML, the Config Connector object and the Terraform
all render, so they cannot disagree on an image, a limit, an identity or a binding."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

Ingress = Literal["all", "internal", "internal-and-cloud-load-balancing"]
Egress = Literal["all-traffic", "private-ranges-only"]
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

    @property
    def has_nat(self) -> bool:
        return any(s.nat for s in self.subnets)


@dataclass(frozen=True)
class Binding:
    """`member` (a service name, or "allUsers") holds `role` on `target` of `target_kind`."""

    target_kind: Literal["run-service", "repository", "secret"]
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
