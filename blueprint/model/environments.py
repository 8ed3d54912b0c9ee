"""Environments: named overlays (dev, prod, ...) on replicas, sizes, image tags and severities."""

from typing import Annotated

from pydantic import Field

from blueprint.model.base import Model, Name
from blueprint.model.policy import RuleId, Severity
from blueprint.model.resources import InstanceClass, Size
from blueprint.model.validators import Cpu
from blueprint.model.workloads import Digest, ImageTag, Scaling


class WorkloadOverride(Model):
    replicas: int | None = Field(default=None, ge=0, le=1000)
    """Replicas in this environment."""
    cpu: Cpu | None = None
    """vCPU in this environment. Example: `0.5`."""
    memory: Annotated[int, Field(ge=64, le=131072)] | None = None
    """Memory in MiB in this environment. Example: `1024`."""
    tag: ImageTag | None = None
    """The image tag in this environment. Example: `1.4.2`."""
    digest: Digest | None = None
    """The image digest in this environment. Example: `sha256:` followed by 64 hex digits."""
    scaling: Scaling | None = None
    """Autoscaling bounds in this environment."""


class ResourceOverride(Model):
    """A database's settings in this environment (the others keep their declared values)."""

    size: Size | None = None
    """The size in this environment: `small`, `medium`, `large` or `xlarge`."""
    instance_class: InstanceClass | None = None
    """The explicit instance class in this environment. Example: `db.r6g.xlarge`."""
    storage_gb: int | None = Field(default=None, ge=10, le=65536)
    """Allocated storage in this environment, in GiB."""
    high_availability: bool | None = None
    """Whether it has a standby in another zone in this environment."""
    backup_retention_days: int | None = Field(default=None, ge=1, le=35)
    """Days of automated backups kept in this environment."""
    deletion_protection: bool | None = None
    """Whether it refuses deletion in this environment."""


class Environment(Model):
    services: dict[Name, WorkloadOverride] = Field(default_factory=dict)
    """Overrides per service, by service name."""
    jobs: dict[Name, WorkloadOverride] = Field(default_factory=dict)
    """Overrides per job, by job name."""
    resources: dict[Name, ResourceOverride] = Field(default_factory=dict)
    """Database settings per resource, by resource name. Example: `{db: {size: large,
    high_availability: true}}`."""
    severity: dict[RuleId, Severity] = Field(default_factory=dict)
    """Severity overrides of policy rules in this environment, by rule id. Example: `{BP3002: off}`.
    """
