"""Applying a named environment overlay to a blueprint."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import ValidationError

from blueprint.errors import Problem, did_you_mean, one_of
from blueprint.model import Blueprint, Image
from blueprint.model.environments import ResourceOverride, WorkloadOverride
from blueprint.model.resources import Resource
from blueprint.model.workloads import Job, Service

W = TypeVar("W", Service, Job)


class UnknownEnvironmentError(ValueError):
    pass


class EnvironmentProblemsError(ValueError):
    """The overlay makes a workload or database that its model refuses (a Fargate task size
    that does not exist, say): the base blueprint was valid, the blueprint as deployed is not."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message)
        self.problems = problems


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
    overlay = _Overlay(name)
    services = {
        n: overlay.apply(s, _override(s, env.services.get(n)), ("services", n))
        for n, s in bp.services.items()
    }
    jobs = {
        n: overlay.apply(j, _override(j, env.jobs.get(n)), ("jobs", n)) for n, j in bp.jobs.items()
    }
    resources = {
        n: overlay.apply(r, _resource_override(r, env.resources.get(n)), ("resources", n))
        for n, r in bp.resources.items()
    }
    if overlay.problems:
        raise EnvironmentProblemsError(overlay.problems)
    policy = bp.policy.model_copy(update={"severity": {**bp.policy.severity, **env.severity}})
    return bp.model_copy(
        update={"services": services, "jobs": jobs, "resources": resources, "policy": policy}
    )


def _resource_override(resource: Resource, override: ResourceOverride | None) -> Resource:
    if override is None:
        return resource
    return resource.model_copy(update=override.model_dump(exclude_none=True))


M = TypeVar("M", Service, Job, Resource)


class _Overlay:
    """Re-validates what an overlay changed: `model_copy` skips the model's own checks, which
    read several fields together (Fargate's CPU and memory pairs)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []

    def apply(self, base: M, changed: M, where: tuple[str, str]) -> M:
        if changed is base:
            return base
        try:
            return type(changed).model_validate(dict(changed))
        except ValidationError as exc:
            for err in exc.errors():
                message = str(err["msg"]).removeprefix("Value error, ")
                self.problems.append(
                    Problem(
                        ("environments", self.name, *where),
                        f"{message} (in environment {self.name!r}, with its overrides applied)",
                        at_key=True,
                    )
                )
            return base


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
