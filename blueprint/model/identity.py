"""Identity: principals, scopes (groups or roles) and grants of an access level on a target."""

from typing import Literal

from pydantic import Field, model_validator

from blueprint.model.base import FreeText, Model, Name
from blueprint.model.vocabulary import Access

WILDCARD = "*"


class Grant(Model):
    # A resource, a service or job, or "*" for any (always reported).
    resource: Name | Literal["*"]
    """The target: a resource, a service or job, or `*` for everything (always reported)."""
    access: Access
    """The access level granted: `read`, `write`, `pull`, `push`, `publish`, `subscribe`, `invoke`,
    `deploy`, `manage`, `pass-role`, `admin` or `*`.
    """

    @property
    def is_wildcard(self) -> bool:
        return self.resource == WILDCARD or self.access is Access.ANY


class Scope(Model):
    description: FreeText | None = None
    """Free text about the scope."""
    grants: tuple[Grant, ...] = ()
    """What members of the scope may do. Example: `[{resource: images, access: push}]`."""


class Principal(Model):
    kind: Literal["root", "human", "service", "automation"]
    """`root` (the account root), `human` (a person), `service` (a workload's runtime identity) or
    `automation` (a CI identity).
    """
    scopes: tuple[Name, ...] = ()
    """The scopes this principal holds, by name."""
    grants: tuple[Grant, ...] = ()
    """Grants held directly, besides those of its scopes."""
    console: bool = False
    """Whether the principal may sign in to the cloud console."""
    mfa: bool = False
    """Whether multi-factor authentication is enforced for it."""
    access_keys: bool = False
    """Whether it has long-lived access keys."""
    # For kind service: the service or job whose runtime identity this principal is.
    workload: Name | None = None
    """For `kind: service`: the service or job whose runtime identity this principal is."""
    # Other principals this one may assume (sts:AssumeRole, workload identity impersonation).
    can_assume: tuple[Name, ...] = ()
    """Other principals this one may assume (role assumption, impersonation)."""

    @model_validator(mode="after")
    def _workload_only_for_services(self) -> "Principal":
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
    """Groups or roles by name, each with its grants."""
    principals: dict[Name, Principal] = Field(default_factory=dict)
    """Who acts, by name: people, workload identities, CI identities, the root account."""
