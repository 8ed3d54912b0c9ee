"""Services and jobs: what runs, where, and what it calls, uses and writes."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from blueprint.model.base import EnvName, FreeText, Model, Name, Port, Seconds
from blueprint.model.network import FirewallRule
from blueprint.model.validators import (
    Cpu,
    CronSchedule,
    EnvValue,
    HttpPath,
    fargate_size_problem,
)
from blueprint.model.vocabulary import Access, Platform

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
    repository: RepositoryName
    tag: ImageTag | None = None
    digest: Digest | None = None

    @model_validator(mode="after")
    def _tag_or_digest(self) -> Image:
        if self.tag is None and self.digest is None:
            raise ValueError(
                "found an image without tag or digest, expected tag: or digest: "
                "(a digest pins the exact image)"
            )
        return self

    @property
    def is_external(self) -> bool:
        return "." in self.registry


class HealthCheck(Model):
    path: HttpPath = "/"
    port: Port | None = None  # default: the service port
    interval_seconds: int = Field(default=30, ge=5, le=300)
    timeout_seconds: int = Field(default=5, ge=1, le=60)


class Metrics(Model):
    path: HttpPath = "/metrics"
    port: Port | None = None  # default: the service port


class SecretRef(Model):
    """A reference to a secret in a secret store: never a value."""

    store: Name  # a resource of kind secret-store
    key: Annotated[str, Field(pattern=r"^[A-Za-z0-9][-A-Za-z0-9_.]{0,126}$")]


class Call(Model):
    service: Name
    latency: Seconds = 0.0  # expected latency of the call, in seconds
    parallel: bool = False  # true when made concurrently with the caller's other calls


class Use(Model):
    resource: Name
    access: Access


class Scaling(Model):
    min: int = Field(ge=0, le=1000)
    max: int = Field(ge=1, le=1000)
    cpu_target_percent: int = Field(default=70, ge=1, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> Scaling:
        if self.min > self.max:
            raise ValueError(
                f"found scaling min {self.min} above max {self.max}, expected min <= max"
            )
        return self


class Expose(Model):
    """How a Kubernetes service is reached inside its cluster (the seed's NodePort)."""

    type: Literal["cluster-ip", "node-port", "load-balancer"] = "cluster-ip"
    node_port: Annotated[int, Field(ge=30000, le=32767)] | None = None


class Workload(Model):
    platform: Platform
    image: Image | None = None
    description: FreeText | None = None
    cpu: Cpu = 0.25  # vCPU
    memory: Annotated[int, Field(ge=64, le=131072)] = 512  # MiB
    subnets: tuple[Name, ...] = ()
    env: dict[EnvName, EnvValue] = {}
    secrets: dict[EnvName, SecretRef] = {}
    calls: tuple[Call, ...] = ()
    uses: tuple[Use, ...] = ()

    @model_validator(mode="after")
    def _fargate_task_size(self) -> Workload:
        """Fargate runs only its fixed CPU/memory pairs; any other renders a task ECS refuses."""
        if self.platform is Platform.AWS_FARGATE:
            problem = fargate_size_problem(self.cpu, self.memory)
            if problem is not None:
                raise ValueError(problem)
        return self


class Service(Workload):
    port: Port = 8080
    replicas: int = Field(default=1, ge=0, le=1000)
    scaling: Scaling | None = None
    health: HealthCheck | None = None
    metrics: Metrics | None = None
    expose: Expose = Expose()
    allow_from: tuple[FirewallRule, ...] = ()
    latency_budget: Seconds | None = None
    # Concurrency and timeout matter to request-driven platforms (Cloud Run, Container Apps).
    concurrency: int = Field(default=80, ge=1, le=1000)
    timeout_seconds: int = Field(default=300, ge=1, le=3600)


class ScheduleTrigger(Model):
    schedule: CronSchedule  # five-field cron


class TopicTrigger(Model):
    topic: Name  # a resource of kind topic or queue


class EventTrigger(Model):
    event: Literal["created", "deleted"]
    resource: Name  # the bucket whose objects raise the event


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
    table: Name | None = None


class Retry(Model):
    attempts: int = Field(ge=1, le=100)
    backoff_seconds: Seconds = 1.0


class Job(Workload):
    trigger: Trigger
    writes: tuple[Write, ...] = ()
    retry: Retry | None = None
    buffer: Name | None = None  # a queue or topic that absorbs writes while the target is down
    runtime: Annotated[str, Field(pattern=r"^(python|node|dotnet|java)\|[0-9.]+$")] | None = None
