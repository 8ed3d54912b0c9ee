"""Identity: principals, scopes (groups or roles) and grants of an access level on a target."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from blueprint.model.base import FreeText, Model, Name
from blueprint.model.vocabulary import Access

WILDCARD = "*"


class Grant(Model):
    # A resource, a service or job, or "*" for any (always reported).
    resource: Name | Literal["*"]
    access: Access

    @property
    def is_wildcard(self) -> bool:
        return self.resource == WILDCARD or self.access is Access.ANY


class Scope(Model):
    description: FreeText | None = None
    grants: tuple[Grant, ...] = ()


class Principal(Model):
    kind: Literal["root", "human", "service", "automation"]
    scopes: tuple[Name, ...] = ()
    grants: tuple[Grant, ...] = ()
    console: bool = False
    mfa: bool = False
    access_keys: bool = False
    # For kind service: the service or job whose runtime identity this principal is.
    workload: Name | None = None
    # Other principals this one may assume (sts:AssumeRole, workload identity impersonation).
    can_assume: tuple[Name, ...] = ()

    @model_validator(mode="after")
    def _workload_only_for_services(self) -> Principal:
        if self.kind == "service" and self.workload is None:
            raise ValueError(
                "missing required key 'workload' for a principal of kind 'service'; expected "
                "workload: the service or job whose runtime identity it is"
            )
        if self.kind != "service" and self.workload is not None:
            raise ValueError(
                f"found workload: on a principal of kind {self.kind!r}, expected it only on "
                "kind 'service'"
            )
        return self


class Identity(Model):
    scopes: dict[Name, Scope] = Field(default_factory=dict)
    principals: dict[Name, Principal] = Field(default_factory=dict)
