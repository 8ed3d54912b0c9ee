"""What the GCP side of a blueprint is, derived once from the model.

The Knative YAML, the Config Connector object and the Terraform are three renderings of this
one plan, so they cannot disagree on an image, a limit, an identity or a binding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from blueprint.model import Access, Blueprint, Cloud, Platform, ResourceKind, Service
from generators.common.quoting import kubelet_literal
from generators.gcp import naming
from generators.gcp.roles import ARTIFACT_READER, ROLES, RUN_INVOKER, SECRET_ACCESSOR

Ingress = Literal["all", "internal", "internal-and-cloud-load-balancing"]
Egress = Literal["all-traffic", "private-ranges-only"]
Generation = Literal["gen1", "gen2"]

# Cloud Run's limits: a startup probe gives up after failureThreshold * periodSeconds, which
# may not exceed 240 s; a probe's timeout is at most its period.
_STARTUP_WINDOW_MAX = 240
_FAILURE_THRESHOLD = 3


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
class Repository:
    name: str
    description: str | None


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
        return tuple(b for b in self.bindings if b.target_kind == kind and b.target == target)

    def bindings_of(self, member: str) -> tuple[Binding, ...]:
        return tuple(b for b in self.bindings if b.member == member)


PUBLIC_MEMBER = "allUsers"


def cloud_run_services(bp: Blueprint) -> dict[str, Service]:
    return {n: s for n, s in bp.services.items() if s.platform is Platform.CLOUD_RUN}


def build_plan(bp: Blueprint) -> GcpPlan:
    settings = bp.platforms.gcp
    if settings is None:
        raise ValueError("cloud-run services need platforms.gcp (project and region)")
    project, region = settings.project, settings.region
    services = cloud_run_services(bp)
    secrets = _secrets(services)
    repositories = _repositories(bp, services)
    known = {r.name for r in repositories}
    bindings = tuple(
        b
        for b in _bindings(bp, services, secrets)
        if b.target_kind != "repository" or b.target in known
    )
    return GcpPlan(
        blueprint=bp.name,
        project=project,
        region=region,
        services=tuple(
            _run_service(bp, name, svc, project, region) for name, svc in sorted(services.items())
        ),
        repositories=repositories,
        secrets=secrets,
        networks=_networks(bp),
        bindings=bindings,
    )


def _ingress(bp: Blueprint, name: str) -> Ingress:
    if bp.is_public(name):
        return "all"
    if bp.ingress_to(name):
        # Reached only through a load balancer or gateway the blueprint declares internal.
        return "internal-and-cloud-load-balancing"
    return "internal"


def _instances(svc: Service) -> tuple[int, int]:
    if svc.scaling is not None:
        return svc.scaling.min, svc.scaling.max
    # A fixed replica count; Cloud Run needs a maximum of at least one instance.
    return svc.replicas, max(svc.replicas, 1)


def _probe(svc: Service) -> Probe | None:
    if svc.health is None:
        return None
    startup_period = min(svc.health.interval_seconds, _STARTUP_WINDOW_MAX // _FAILURE_THRESHOLD)
    return Probe(
        path=svc.health.path,
        port=svc.health.port or svc.port,
        startup_period=startup_period,
        liveness_period=svc.health.interval_seconds,
        startup_timeout=min(svc.health.timeout_seconds, startup_period),
        liveness_timeout=min(svc.health.timeout_seconds, svc.health.interval_seconds),
        failure_threshold=_FAILURE_THRESHOLD,
    )


def _vpc(bp: Blueprint, svc: Service) -> VpcEgress | None:
    if not svc.subnets:
        return None
    # Direct VPC egress takes one network interface; the loader already checked that all the
    # service's subnets belong to one network.
    subnet = svc.subnets[0]
    network = bp.subnet_network(subnet)
    if network is None:
        raise ValueError(f"subnet {subnet!r} is in no network")
    egress = bp.networks[network].subnet_egress(subnet)
    # "internet": only private ranges go through the VPC, the rest leaves Cloud Run directly.
    # "nat" and "none": everything goes through the VPC, so its Cloud NAT (or the absence of
    # one) decides whether the internet is reachable.
    return VpcEgress(
        network=network,
        subnet=subnet,
        egress="private-ranges-only" if egress == "internet" else "all-traffic",
    )


def _run_service(bp: Blueprint, name: str, svc: Service, project: str, region: str) -> RunService:
    if svc.image is None:
        raise ValueError(f"cloud-run service {name!r} needs an image")
    min_instances, max_instances = _instances(svc)
    # Cloud Run runs less than one vCPU only on the first generation execution environment,
    # with a maximum concurrency of 1.
    fractional = svc.cpu < 1
    return RunService(
        name=name,
        description=svc.description,
        image=naming.image_reference(svc.image, project, region),
        repository=None if svc.image.is_external else svc.image.registry,
        port=svc.port,
        cpu=naming.cpu_quantity(svc.cpu),
        memory=naming.memory_quantity(svc.memory),
        min_instances=min_instances,
        max_instances=max_instances,
        concurrency=1 if fractional else svc.concurrency,
        timeout_seconds=svc.timeout_seconds,
        execution_environment="gen1" if fractional else "gen2",
        service_account_id=naming.service_account_id(name),
        service_account_email=naming.service_account_email(name, project),
        ingress=_ingress(bp, name),
        env=tuple((k, kubelet_literal(v)) for k, v in sorted(svc.env.items())),
        secrets=tuple(
            SecretEnv(env=env, secret=naming.secret_id(ref.key))
            for env, ref in sorted(svc.secrets.items())
        ),
        probe=_probe(svc),
        vpc=_vpc(bp, svc),
    )


def _repositories(bp: Blueprint, services: dict[str, Service]) -> tuple[Repository, ...]:
    names = {
        n
        for n, r in bp.resources.items()
        if r.kind is ResourceKind.REGISTRY and bp.resource_cloud(n) is Cloud.GCP
    }
    names |= {s.image.registry for s in services.values() if s.image and not s.image.is_external}
    return tuple(Repository(n, bp.resources[n].description) for n in sorted(names))


def _secrets(services: dict[str, Service]) -> tuple[Secret, ...]:
    found: dict[str, Secret] = {}
    for svc in services.values():
        for ref in svc.secrets.values():
            secret = Secret(secret_id=naming.secret_id(ref.key), store=ref.store, key=ref.key)
            other = found.setdefault(secret.secret_id, secret)
            if other != secret:
                raise ValueError(
                    f"secret references {other.store}/{other.key} and {ref.store}/{ref.key} "
                    f"both map to the Secret Manager secret {secret.secret_id!r}; rename one key"
                )
    return tuple(found[k] for k in sorted(found))


def _networks(bp: Blueprint) -> tuple[VpcNetwork, ...]:
    return tuple(
        VpcNetwork(
            name=name,
            subnets=tuple(
                Subnetwork(sub, s.cidr, net.subnet_egress(sub) == "nat")
                for sub, s in sorted(net.subnets.items())
            ),
        )
        for name, net in sorted(bp.networks.items())
        if bp.network_cloud(name) is Cloud.GCP
    )


def _bindings(
    bp: Blueprint, services: dict[str, Service], secrets: tuple[Secret, ...]
) -> tuple[Binding, ...]:
    found: set[Binding] = set()
    for target in services:
        # A caller's identity may invoke exactly the Cloud Run services it calls.
        for caller in bp.callers_of(target):
            if caller in services:
                found.add(Binding("run-service", target, RUN_INVOKER, caller))
        if bp.is_public(target):
            found.add(Binding("run-service", target, RUN_INVOKER, PUBLIC_MEMBER))
    for name, svc in services.items():
        if svc.image is not None and not svc.image.is_external:
            found.add(Binding("repository", svc.image.registry, ARTIFACT_READER, name))
        for ref in svc.secrets.values():
            found.add(Binding("secret", naming.secret_id(ref.key), SECRET_ACCESSOR, name))
        found |= _granted(bp, name, services, secrets)
    return tuple(sorted(found, key=lambda b: (b.target_kind, b.target, b.role, b.member)))


def _granted(
    bp: Blueprint, name: str, services: dict[str, Service], secrets: tuple[Secret, ...]
) -> set[Binding]:
    """The workload's declared grants that map to what this generator renders."""
    found: set[Binding] = set()
    for grant in bp.workload_grants(name):
        if grant.is_wildcard:
            continue  # never rendered; the policy engine reports wildcards
        if grant.resource in services:
            if grant.access is Access.INVOKE:
                found.add(Binding("run-service", grant.resource, RUN_INVOKER, name))
            continue
        resource = bp.resources.get(grant.resource)
        if resource is None:
            continue
        role = ROLES.get((resource.kind, grant.access))
        if role is None:
            continue
        if resource.kind is ResourceKind.REGISTRY:
            found.add(Binding("repository", grant.resource, role, name))
        else:
            # Secret Manager has no store: a grant on the store covers its referenced secrets.
            found |= {
                Binding("secret", s.secret_id, role, name)
                for s in secrets
                if s.store == grant.resource
            }
    return found


def probe_spec(probe: Probe, *, startup: bool) -> dict[str, Any]:
    """The HTTP probe as Cloud Run's service YAML and Config Connector both spell it."""
    return {
        "httpGet": {"path": probe.path, "port": probe.port},
        "periodSeconds": probe.startup_period if startup else probe.liveness_period,
        "timeoutSeconds": probe.startup_timeout if startup else probe.liveness_timeout,
        "failureThreshold": probe.failure_threshold,
    }


def container_spec(
    svc: RunService, secret_entry: Callable[[SecretEnv], dict[str, Any]]
) -> dict[str, Any]:
    """The one container of a Cloud Run service; the formats differ only in how a secret
    reference is spelled (`secret_entry`)."""
    container: dict[str, Any] = {
        "image": svc.image,
        "ports": [{"name": "http1", "containerPort": svc.port}],
        "resources": {"limits": {"cpu": svc.cpu, "memory": svc.memory}},
    }
    env: list[dict[str, Any]] = [{"name": name, "value": value} for name, value in svc.env]
    env += [secret_entry(s) for s in svc.secrets]
    if env:
        container["env"] = sorted(env, key=lambda e: str(e["name"]))
    if svc.probe is not None:
        container["startupProbe"] = probe_spec(svc.probe, startup=True)
        container["livenessProbe"] = probe_spec(svc.probe, startup=False)
    return container
