"""Environments: named overlays (dev, prod, ...) on replicas, sizes, image tags and severities."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from blueprint.model.base import Model, Name
from blueprint.model.policy import RuleId, Severity
from blueprint.model.workloads import Digest, ImageTag, Scaling


class WorkloadOverride(Model):
    replicas: int | None = Field(default=None, ge=0, le=1000)
    """Replicas in this environment."""
    cpu: Annotated[float, Field(gt=0, le=64)] | None = None
    """vCPU in this environment. Example: `0.5`."""
    memory: Annotated[int, Field(ge=64, le=131072)] | None = None
    """Memory in MiB in this environment. Example: `1024`."""
    tag: ImageTag | None = None
    """The image tag in this environment. Example: `1.4.2`."""
    digest: Digest | None = None
    """The image digest in this environment. Example: `sha256:` followed by 64 hex digits."""
    scaling: Scaling | None = None
    """Autoscaling bounds in this environment."""


class Environment(Model):
    services: dict[Name, WorkloadOverride] = Field(default_factory=dict)
    """Overrides per service, by service name."""
    jobs: dict[Name, WorkloadOverride] = Field(default_factory=dict)
    """Overrides per job, by job name."""
    severity: dict[RuleId, Severity] = Field(default_factory=dict)
    """Severity overrides of policy rules in this environment, by rule id. Example: `{BP3002: off}`.
    """
