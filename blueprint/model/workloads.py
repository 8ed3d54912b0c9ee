"""Services and jobs: what runs, where, and what it calls, uses and writes."""

from typing import Annotated, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from blueprint.model.base import EnvName, FreeText, Model, Name, Port, Seconds, empty_default
from blueprint.model.health import HealthCheck
from blueprint.model.network import EntryPoint, FirewallRule
from blueprint.model.serving import (
    AppProtocol,
    Limits,
    NamedPort,
    PortName,
    Storage,
    WritablePath,
)
from blueprint.model.validators import (
    FARGATE_SIZES,
    Cpu,
    CronSchedule,
    EnvValue,
    HttpPath,
    fargate_size_problem,
)
from blueprint.model.vocabulary import Access, Output, Platform

Digest = Annotated[str, Field(pattern=r"^sha256:[a-f0-9]{64}$")]
ImageTag = Annotated[str, Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
RepositoryName = Annotated[str, Field(pattern=r"^[a-z0-9]+([._/-][a-z0-9]+)*$", max_length=200)]
RegistryRef = Annotated[
    str,
    Field(pattern=r"^([a-z]([-a-z0-9]*[a-z0-9])?|[a-z0-9.-]+\.[a-z]{2,}(:\d+)?)$", max_length=253),
]


class Image(Model):
    # A resource of kind registry, or an external registry host such as docker.io.
    registry: RegistryRef
    """A `registry` resource, or an external registry host. Example: `images` or `ghcr.io`."""
    repository: RepositoryName
    """The image repository. Example: `shop/web`."""
    tag: ImageTag | None = None
    """The image tag; a tag or a digest is required. Example: `1.4.2`."""
    digest: Digest | None = None
    """The image digest, which pins the exact image (safest). Example: `sha256:` followed by 64 hex
    digits.
    """

    @model_validator(mode="after")
    def _tag_or_digest(self) -> "Image":
        if self.tag is None and self.digest is None:
            raise ValueError(
                "found an image without tag or digest, expected tag: or digest: "
                "(a digest pins the exact image)"
            )
        return self

    @property
    def is_external(self) -> bool:
        return "." in self.registry


class Metrics(Model):
    path: HttpPath = "/metrics"
    """The HTTP path of the Prometheus metrics endpoint."""
    port: Port | None = None  # default: the service port
    """The metrics port. Default: the service port."""


class SecretRef(Model):
    """A reference to a secret in a secret store: never a value."""

    store: Name  # a resource of kind secret-store
    """The `secret-store` resource holding the secret."""
    key: Annotated[str, Field(pattern=r"^[A-Za-z0-9][-A-Za-z0-9_.]{0,126}$")]
    """The secret's name in the store. Example: `database-password`."""


class ResourceOutput(Model):
    """An env value taken from a resource: its address, name or a credential, spelled in each
    target as the native reference (never copied as a value)."""

    resource: Name
    """The resource, which the workload must also `use`."""
    output: Output
    """What is taken: `host`, `port`, `name`, `user`, `password` (rendered as a secret
    reference), `url` or `bootstrap`; which ones a resource offers depends on its kind."""


_OUTPUT_TYPES = (dict, ResourceOutput)  # a tuple, not a union built on every call


def _env_value_tag(value: object) -> str:
    return "output" if isinstance(value, _OUTPUT_TYPES) else "text"


# A mapping is a resource output, anything else plain text: each error then speaks of one.
EnvEntry = Annotated[
    Annotated[EnvValue, Tag("text")] | Annotated[ResourceOutput, Tag("output")],
    Discriminator(_env_value_tag),
]


class Call(Model):
    service: Name
    """The service called."""
    latency: Seconds = 0.0  # expected latency of the call, in seconds
    """The expected latency of the call, in seconds. Example: `0.5`."""
    parallel: bool = False  # true when made concurrently with the caller's other calls
    """Whether the call is made concurrently with the caller's other calls."""
    port: PortName | None = None
    """The callee's named port (one of its `ports`) the call arrives on. Default: its `port`."""


class Use(Model):
    resource: Name
    """The resource used."""
    access: Access
    """The access level needed: `read`, `write`, `pull`, `push`, `publish`, `subscribe`, `invoke`,
    `deploy`, `manage`, `pass-role`, `admin` or `*`.
    """


class PodsMetric(Model):
    """A custom metric per pod, as the HorizontalPodAutoscaler reads it from a metrics adapter."""

    name: Annotated[str, Field(pattern=r"^[a-zA-Z_:][a-zA-Z0-9_:]{0,199}$")]
    """The metric's name. Example: `requests_per_second`."""
    average_value: Annotated[str, Field(pattern=r"^[0-9]+(\.[0-9]+)?[mkMG]?$", max_length=32)]
    """The average per pod it aims for, as a Kubernetes quantity. Example: `"100"` or `500m`."""


class Scaling(Model):
    min: int = Field(ge=0, le=1000)
    """The fewest replicas."""
    max: int = Field(ge=1, le=1000)
    """The most replicas."""
    cpu_target_percent: int = Field(default=70, ge=1, le=100)
    """The CPU utilisation autoscaling aims for, in percent."""
    memory_target_percent: int | None = Field(default=None, ge=1, le=100)
    """Kubernetes: the memory utilisation autoscaling also aims for, in percent."""
    metric: PodsMetric | None = None
    """Kubernetes: a custom per-pod metric autoscaling also aims for (served by a metrics
    adapter). Example: `{name: requests_per_second, average_value: "100"}`."""

    @model_validator(mode="after")
    def _ordered(self) -> "Scaling":
        if self.min > self.max:
            raise ValueError(
                f"found scaling min {self.min} above max {self.max}, expected min <= max"
            )
        return self


class Expose(Model):
    """How a Kubernetes service is reached inside its cluster (the seed's NodePort)."""

    type: Literal["cluster-ip", "node-port", "load-balancer"] = "cluster-ip"
    """The Kubernetes Service type: `cluster-ip`, `node-port` or `load-balancer`."""
    node_port: Annotated[int, Field(ge=30000, le=32767)] | None = None
    """The NodePort, 30000 to 32767, for `type: node-port`."""
    entry_point: EntryPoint | None = None
    """Declares this node-port or load-balancer exposure a reviewed entry point from the
    internet, with the ports it serves (read by the policy rules; nothing is rendered)."""

    @model_validator(mode="after")
    def _entry_point_needs_exposure(self) -> "Expose":
        if self.entry_point is not None and self.type == "cluster-ip":
            raise ValueError(
                "found entry_point on a cluster-ip service, expected type node-port or "
                "load-balancer (a cluster-ip service is not reachable from the internet)"
            )
        return self


_FARGATE = Platform.AWS_FARGATE  # read once: an enum's class attributes are slow to read


class Workload(Model):
    platform: Platform
    """Where it runs: `aws-fargate`, `azure-container-apps`, `azure-functions`, `kubernetes` or
    `cloud-run`.
    """
    image: Image | None = None
    """The container image. Example: `{registry: images, repository: web, tag: "1.4.2"}`."""
    description: FreeText | None = None
    """Free text about the workload."""
    cpu: Cpu = 0.25  # vCPU
    """vCPU, in steps of 0.001; on aws-fargate one of Fargate's task sizes. Example: `0.5`."""
    memory: Annotated[int, Field(ge=64, le=131072)] = 512  # MiB
    """Memory in MiB. Example: `1024`."""
    limits: Limits | None = None
    """Kubernetes: limits apart from the requests `cpu` and `memory`. Default: limits equal to
    the requests. Example: `{memory: 1024}` (no CPU limit)."""
    subnets: tuple[Name, ...] = ()
    """The subnets it sits in (all in one network)."""
    env: dict[EnvName, EnvEntry] = Field(default_factory=dict, json_schema_extra=empty_default)
    """Environment values by variable name: plain text, or an output of a resource it uses
    (`{resource: db, output: host}`). Secret-looking plain values are reported, use `secrets`.
    Example: `{LOG_LEVEL: info, DATABASE_HOST: {resource: db, output: host}}`.
    """
    secrets: dict[EnvName, SecretRef] = Field(default_factory=dict, json_schema_extra=empty_default)
    """Secrets by environment variable name, as references to a secret store, never values. Example:
    `{DB_PASSWORD: {store: vault, key: db-password}}`.
    """
    calls: tuple[Call, ...] = ()
    """The services it calls, with the expected latency of each call."""
    uses: tuple[Use, ...] = ()
    """The resources it uses, with an access level. Example: `[{resource: uploads, access: read}]`.
    """

    @property
    def plain_env(self) -> dict[str, str]:
        """The env values given as text."""
        return {k: v for k, v in self.env.items() if isinstance(v, str)}

    @property
    def env_outputs(self) -> dict[str, ResourceOutput]:
        """The env values taken from resources."""
        return {k: v for k, v in self.env.items() if isinstance(v, ResourceOutput)}

    @model_validator(mode="after")
    def _sizes(self) -> "Workload":
        """The task size, then the limits: one validator, one call per workload (5,500 at
        5,000 services). Each check runs only when it can find something: a Fargate size
        that is not one of Fargate's pairs, limits that are declared."""
        if self.platform is _FARGATE and self.memory not in FARGATE_SIZES.get(self.cpu, ()):
            self._fargate_task_size()
        if self.limits is not None:
            self._limits_above_requests()
        return self

    def _fargate_task_size(self) -> "None":
        """Fargate runs only its fixed CPU/memory pairs; any other renders a task ECS refuses."""
        if self.platform is Platform.AWS_FARGATE:
            problem = fargate_size_problem(self.cpu, self.memory)
            if problem is not None:
                raise ValueError(problem)

    def _limits_above_requests(self) -> "None":
        limits = self.limits
        if limits is not None and limits.cpu is not None and limits.cpu < self.cpu:
            raise ValueError(
                f"found limits.cpu {limits.cpu} below cpu {self.cpu}, expected a limit at or "
                "above the request"
            )
        if limits is not None and limits.memory is not None and limits.memory < self.memory:
            raise ValueError(
                f"found limits.memory {limits.memory} below memory {self.memory}, expected a "
                "limit at or above the request"
            )


class Service(Workload):
    # Absent means 8080 as before; null declares a service that serves no port at all.
    port: Port | None = 8080
    """The port the container listens on (default 8080); null for a service that serves no
    port, such as a load generator: it gets no Service and no probe on a port."""
    service_port: Port | None = None
    """Kubernetes: the port the Service exposes `port` on, which callers connect to. Default:
    `port`. Example: `80`."""
    app_protocol: AppProtocol | None = None
    """The application protocol of `port` (`http`, `https`, `grpc`, `h2c` or `tcp`): the
    Service's appProtocol, and the port's name (default: http)."""
    ports: tuple[NamedPort, ...] = ()
    """More ports it serves, each named. Example: `[{name: admin, port: 9000}]`."""
    writable: tuple[WritablePath, ...] = ()
    """Kubernetes: writable directories (emptyDir volumes with a size limit) under the read-only
    root filesystem. Example: `[{path: /var/cache/app, size: 512Mi}]`."""
    storage: Storage | None = None
    """Kubernetes: persistent storage, one volume per replica (a StatefulSet). Example: `{path:
    /data, size: 10Gi, class: fast-ssd}`."""
    replicas: int = Field(default=1, ge=0, le=1000)
    """How many instances run (without `scaling`)."""
    scaling: Scaling | None = None
    """Autoscaling bounds."""
    health: HealthCheck | None = None
    """The health check: an HTTP path, a gRPC health service, a TCP port or a command."""
    metrics: Metrics | None = None
    """The Prometheus metrics endpoint."""
    expose: Expose = Expose.model_construct()
    """How it is reached inside a Kubernetes cluster."""
    allow_from: tuple[FirewallRule, ...] = ()
    """Sources admitted besides its callers and load balancers."""
    latency_budget: Seconds | None = None
    """The latency requirement on its requests, in seconds. Example: `2`."""
    # Concurrency and timeout matter to request-driven platforms (Cloud Run, Container Apps).
    concurrency: int = Field(default=80, ge=1, le=1000)
    """Requests per instance (Cloud Run, Container Apps)."""
    timeout_seconds: int = Field(default=300, ge=1, le=3600)
    """The request timeout, in seconds."""

    @model_validator(mode="after")
    def _serving_consistent(self) -> "Service":
        problem = serving_problem(self)
        if problem is not None:
            raise ValueError(problem)
        return self

    def named_port(self, name: str | None) -> NamedPort | None:
        """One of `ports` by name; None for the primary port (or an unknown name)."""
        return next((p for p in self.ports if p.name == name), None) if name else None

    @property
    def required_port(self) -> int:
        """The port, for platforms that always route requests to one: validation refuses a
        service without a port there (the support matrix), so a validated blueprint never
        raises here."""
        if self.port is None:
            raise ValueError("this service serves no port")
        return self.port

    @property
    def primary_port_name(self) -> str:
        return self.app_protocol or "http"


def serving_problem(svc: Service) -> str | None:
    """Ports, probes and mounts that contradict each other, as one message."""
    if svc.port is not None and not svc.ports and not svc.writable and svc.storage is None:
        return None  # one port and no mount: nothing can contradict (most services)
    return serving_contradiction(svc)


def serving_contradiction(svc: Service) -> str | None:
    """`serving_problem`, every question asked."""
    names = [p.name for p in svc.ports]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate is not None:
        return f"found port name {duplicate!r} twice in ports, expected each name once"
    listened = [svc.port, *(p.port for p in svc.ports)] if svc.port else [p.port for p in svc.ports]
    clash = next((p for p in listened if listened.count(p) > 1), None)
    if clash is not None:
        return f"found port {clash} twice among port and ports, expected each port once"
    mounts = [w.path for w in svc.writable] + ([svc.storage.path] if svc.storage else [])
    twice = next((m for m in mounts if mounts.count(m) > 1 or m == "/tmp"), None)  # noqa: S108 - a mount path, not a file
    if twice is not None:
        return (
            f"found mount path {twice} twice among writable, storage and the /tmp every pod "
            "gets, expected each path once"
        )
    if svc.port is not None:
        return None
    declared = [
        key
        for key, present in (
            ("service_port", svc.service_port is not None),
            ("app_protocol", svc.app_protocol is not None),
            ("ports", bool(svc.ports)),
        )
        if present
    ]
    if declared:
        return f"found {declared[0]} on a service without a port, expected port: <number>"
    if svc.health is not None and svc.health.probes_a_port and svc.health.port is None:
        return (
            f"found a health check of kind {svc.health.kind} on a service without a port, "
            "expected kind exec (a command) or health.port"
        )
    if svc.metrics is not None and svc.metrics.port is None:
        return "found metrics on a service without a port, expected metrics.port"
    if svc.expose.type != "cluster-ip":
        return (
            f"found expose type {svc.expose.type} on a service without a port, expected "
            "type cluster-ip (there is nothing to expose)"
        )
    return None


class ScheduleTrigger(Model):
    schedule: CronSchedule  # five-field cron
    """A five-field cron schedule, each field within its range. Example: `*/15 * * * *`."""


class TopicTrigger(Model):
    topic: Name  # a resource of kind topic or queue
    """The `topic` or `queue` resource it consumes."""


class EventTrigger(Model):
    event: Literal["created", "deleted"]
    """The object event: `created` or `deleted`."""
    resource: Name  # the bucket whose objects raise the event
    """The bucket whose objects raise the event."""


def _trigger_tag(value: object) -> str | None:
    keys = (
        value.keys()
        if isinstance(value, dict)
        else vars(value)
        if hasattr(value, "__dict__")
        else ()
    )
    for tag in ("schedule", "topic", "event"):
        if tag in keys:
            return tag
    return None


Trigger = Annotated[
    Annotated[ScheduleTrigger, Tag("schedule")]
    | Annotated[TopicTrigger, Tag("topic")]
    | Annotated[EventTrigger, Tag("event")],
    Discriminator(
        _trigger_tag,
        custom_error_type="trigger_kind",
        custom_error_message="a trigger needs one of the keys schedule, topic or event",
    ),
]


class Write(Model):
    resource: Name  # a database (or bucket)
    """The database (or bucket) written."""
    table: Name | None = None
    """The database table written."""


class Retry(Model):
    attempts: int = Field(ge=1, le=100)
    """How many times a failed write is retried."""
    backoff_seconds: Seconds = 1.0
    """Seconds between attempts."""


class BacklogScaling(Model):
    """Autoscaling of a worker on the backlog of what it consumes."""

    min: int = Field(ge=0, le=1000)
    """The fewest tasks."""
    max: int = Field(ge=1, le=1000)
    """The most tasks."""
    backlog_target: int = Field(default=100, ge=1, le=1_000_000)
    """The backlog autoscaling aims to hold: waiting messages of a queue, consumer lag of a Kafka
    topic."""

    @model_validator(mode="after")
    def _ordered(self) -> "BacklogScaling":
        if self.min > self.max:
            raise ValueError(
                f"found scaling min {self.min} above max {self.max}, expected min <= max"
            )
        return self


class Job(Workload):
    trigger: Trigger
    """What starts it: `{schedule: CRON}`, `{topic: NAME}` or `{event: created|deleted, resource:
    BUCKET}`. Example: `{schedule: "0 3 * * *"}`.
    """
    writes: tuple[Write, ...] = ()
    """The tables it writes. Example: `[{resource: db, table: readings}]`."""
    retry: Retry | None = None
    """Retries of failed writes."""
    buffer: Name | None = None  # a queue or topic that absorbs writes while the target is down
    """A queue or topic that absorbs writes while the target is down."""
    runtime: Annotated[str, Field(pattern=r"^(python|node|dotnet|java)\|[0-9.]+$")] | None = None
    """The runtime of a function app, as `LANGUAGE|VERSION`. Example: `python|3.11`."""
    scaling: BacklogScaling | None = None
    """Autoscaling of a worker with a topic trigger on the backlog it consumes. Example: `{min: 1,
    max: 10, backlog_target: 100}`."""

    @model_validator(mode="after")
    def _scaling_only_for_workers(self) -> "Job":
        if self.scaling is not None and not isinstance(self.trigger, TopicTrigger):
            kind = "schedule" if isinstance(self.trigger, ScheduleTrigger) else "event"
            raise ValueError(
                f"found scaling on a job with a {kind} trigger, expected it only on a job with "
                "a topic trigger (a worker consuming a queue or topic)"
            )
        return self
