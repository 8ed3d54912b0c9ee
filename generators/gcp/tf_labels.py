"""Terraform block labels for blueprint names, and the view of one IAM binding as the templates
render it."""

from __future__ import annotations

from dataclasses import dataclass

from generators.gcp.naming import tf_identifier
from generators.gcp.plan.records import PUBLIC_MEMBER, Binding


def label(*names: str) -> str:
    ident = tf_identifier(*names)
    return f"s{ident}" if ident[0].isdigit() else ident


def member_label(member: str) -> str:
    """The label of the service account behind a binding's member: a workload's own account,
    or (names with a "/") the push or trigger identity, whose labels hold a `__` no workload's
    label has."""
    return label(*member.split("/"))


@dataclass(frozen=True)
class BindingView:
    ident: str
    role: str
    member_ident: str | None
    public: bool


def binding_of(target_ident: str, member: str, role: str | None = None) -> str:
    parts = [target_ident, "public" if member == PUBLIC_MEMBER else member_label(member)]
    if role is not None:
        # Several roles for one member on one target (Cloud SQL): the role's last word.
        parts.append(role.rsplit(".", 1)[-1].lower())
    return tf_identifier(*parts)


def binding_view(b: Binding, target_ident: str, with_role: bool = False) -> BindingView:
    public = b.member == PUBLIC_MEMBER
    return BindingView(
        ident=binding_of(target_ident, b.member, b.role if with_role else None),
        role=b.role,
        member_ident=None if public else member_label(b.member),
        public=public,
    )
