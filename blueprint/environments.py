"""Applying a named environment overlay to a blueprint."""

from __future__ import annotations

from typing import Any, TypeVar

from blueprint.errors import did_you_mean, one_of
from blueprint.model import Blueprint, Image
from blueprint.model.environments import ResourceOverride, WorkloadOverride
from blueprint.model.resources import Resource
from blueprint.model.workloads import Job, Service

W = TypeVar("W", Service, Job)


class UnknownEnvironmentError(ValueError):
    pass


def apply_environment(bp: Blueprint, name: str | None) -> Blueprint:
    """The blueprint as deployed in environment `name` (unchanged when `name` is None)."""
    if name is None:
        return bp
    if name not in bp.environments:
        declared = one_of(bp.environments, 40) if bp.environments else "(none declared)"
        raise UnknownEnvironmentError(
            f"unknown environment {name!r}; expected one of the declared environments: {declared}"
            f"{did_you_mean(name, bp.environments)}"
        )
    env = bp.environments[name]
    services = {n: _override(s, env.services.get(n)) for n, s in bp.services.items()}
    jobs = {n: _override(j, env.jobs.get(n)) for n, j in bp.jobs.items()}
    resources = {n: _resource_override(r, env.resources.get(n)) for n, r in bp.resources.items()}
    policy = bp.policy.model_copy(update={"severity": {**bp.policy.severity, **env.severity}})
    return bp.model_copy(
        update={"services": services, "jobs": jobs, "resources": resources, "policy": policy}
    )


def _resource_override(resource: Resource, override: ResourceOverride | None) -> Resource:
    if override is None:
        return resource
    return resource.model_copy(update=override.model_dump(exclude_none=True))


def _override(workload: W, override: WorkloadOverride | None) -> W:
    if override is None:
        return workload
    update: dict[str, Any] = {
        k: v
        for k, v in override.model_dump(exclude_none=True).items()
        if k in {"replicas", "cpu", "memory"}
    }
    if override.scaling is not None:
        update["scaling"] = override.scaling
    if (override.tag or override.digest) and workload.image is not None:
        base = workload.image
        # A base digest pins the base tag: an overlay that names another tag without a digest
        # must not keep deploying the base digest (which wins over the tag everywhere).
        image: Image = base.model_copy(
            update={
                "tag": override.tag or base.tag,
                "digest": override.digest or (None if override.tag else base.digest),
            }
        )
        update["image"] = image
    return workload.model_copy(update=update)
