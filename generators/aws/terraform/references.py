"""How plan data is spelled in HCL: resource references, checkov skips, the filters."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from generators.aws import hcl
from generators.aws.plan.checkov import Skip, for_framework
from generators.aws.plan.records import Named, PolicyDoc, Role, Subnet
from generators.aws.values import Attr


def ref(tf_type: str, thing: Named | str, attribute: str = "id") -> Attr:
    return _reference(tf_type, thing if isinstance(thing, str) else thing.tf, attribute)


def addr(tf_type: str, thing: Named | str) -> Attr:
    """A resource's address, for depends_on."""
    return _reference(tf_type, thing if isinstance(thing, str) else thing.tf, None)


# The templates ask for the same references many times (each role's ARN, the cluster's id);
# an Attr is frozen, so one per distinct reference is built and checked.
@lru_cache(maxsize=65_536)
def _reference(tf_type: str, label: str, attribute: str | None) -> Attr:
    if attribute is None:
        return Attr(f"{tf_type}.{label}", None, "")
    return Attr(f"{tf_type}.{label}.{attribute}", None, "")


def subnet_ids(subnets: tuple[Subnet, ...]) -> list[Attr]:
    return [ref("aws_subnet", s.id) for s in subnets]


def policy_json(doc: PolicyDoc) -> dict[str, Any]:
    return doc.as_json()


def trust_policy(role: Role) -> str:
    """The HCL of a role's trust policy (inside `jsonencode(...)`, one level in)."""
    if role.assumed_by:
        return hcl.hcl(policy_json(role.trust), 1)
    # Without principals, the trust policy is a function of the trusted service alone: every
    # task role and execution role has the same one, written once.
    written = _SERVICE_TRUST.get(role.trust_service)
    if written is None:
        written = _SERVICE_TRUST[role.trust_service] = hcl.hcl(policy_json(role.trust), 1)
    return written


_SERVICE_TRUST: dict[str, str] = {}


def hcl_filter(value: Any, indent: int = 0) -> str:
    return hcl.hcl(value, indent)


def attributes(obj: Mapping[str, Any], indent: int = 1) -> str:
    return hcl.attributes(obj, indent)


def checkov_skips(skips: tuple[Skip, ...]) -> list[str]:
    """checkov's inline suppressions that apply to Terraform; the reasons are ours."""
    return [f"#checkov:skip={s.check}:{s.reason}" for s in for_framework(skips, "terraform")]
