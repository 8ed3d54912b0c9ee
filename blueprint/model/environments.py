"""Environments: named overlays (dev, prod, ...) on replicas, sizes, image tags and severities."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from blueprint.model.base import Model, Name
from blueprint.model.policy import RuleId, Severity
from blueprint.model.validators import Cpu
from blueprint.model.workloads import Digest, ImageTag, Scaling


class WorkloadOverride(Model):
    replicas: int | None = Field(default=None, ge=0, le=1000)
    cpu: Cpu | None = None
    memory: Annotated[int, Field(ge=64, le=131072)] | None = None
    tag: ImageTag | None = None
    digest: Digest | None = None
    scaling: Scaling | None = None


class Environment(Model):
    services: dict[Name, WorkloadOverride] = Field(default_factory=dict)
    jobs: dict[Name, WorkloadOverride] = Field(default_factory=dict)
    severity: dict[RuleId, Severity] = Field(default_factory=dict)
