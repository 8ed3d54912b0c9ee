"""`can_assume` as role trust: the assumed principal's role (a workload's task role, or a role
carrying a person's or automation's grants) trusts exactly the principals that may assume it,
and each of them may call sts:AssumeRole on that role only.

The trust side names the assumers by reference (IAM checks a trusted principal exists when the
role is created, so the assumer is created first); the assumer's own policy names the role by
its ARN, built from its name, so a role that can assume another never depends on it.
"""

from __future__ import annotations

from dataclasses import replace

from blueprint.model import Platform
from generators.aws import actions
from generators.aws.errors import UnsupportedBlueprintError
from generators.aws.naming import cfn_id, physical, tf_label
from generators.aws.plan.identity import grants_policy
from generators.aws.plan.records import Group, Named, PolicyDoc, Role, Statement
from generators.aws.plan.references import attr, get_att
from generators.aws.plan.state import PlanState
from generators.aws.values import Value, arn, value


def _role_of(st: PlanState, principal: str, assumer: str) -> Role:
    """The role `principal` is on AWS (made for a person or automation the first time)."""
    p = st.bp.identity.principals[principal]
    where = f"identity.principals.{assumer}.can_assume"
    if p.kind == "root":
        raise UnsupportedBlueprintError(
            f"{where}: found {principal}, the root account, expected a principal with a role "
            "(nobody assumes the root account)"
        )
    if p.kind == "service":
        workload = str(p.workload)
        if workload not in st.view.workloads_on(Platform.AWS_FARGATE):
            raise UnsupportedBlueprintError(
                f"{where}: found {principal}, whose workload {workload} is not on aws-fargate, "
                "expected a principal with an AWS role"
            )
        return next(r for r in st.system.roles if r.id.tf == tf_label(workload, "task"))
    label = tf_label(principal, "assumable")
    for r in st.system.roles:
        if r.id.tf == label:
            return r
    role = Role(
        id=Named(
            label,
            cfn_id(principal, "assumable", "role"),
            physical(st.bp.name, principal, "assumable", limit=64),
        ),
        purpose="assumable",
        trust_service="",
        policy=grants_policy(st, st.view.granted(principal), f"identity.principals.{principal}"),
    )
    st.system.roles.append(role)
    return role


def _assumer_arn(st: PlanState, principal: str, assumed: str) -> Value:
    p = st.bp.identity.principals[principal]
    where = f"identity.principals.{principal}.can_assume"
    if p.kind == "root":
        raise UnsupportedBlueprintError(
            f"{where}: found the root account assuming {assumed}, expected a user or a role "
            "(AWS does not let the root user assume roles)"
        )
    if p.kind == "service":
        role = _role_of(st, principal, principal)
        return _role_arn(role)
    user = next(u.id for u in st.system.users if u.id.name == principal)
    return value(
        attr(
            "aws_iam_user",
            user,
            "arn",
            get_att(user, "Arn"),
            arn("iam", f"user/{user.name}", regional=False).example(),
        )
    )


def _role_arn(role: Role) -> Value:
    return value(
        attr(
            "aws_iam_role",
            role.id,
            "arn",
            get_att(role.id, "Arn"),
            arn("iam", f"role/{role.id.name}", regional=False).example(),
        )
    )


def plan_trust(st: PlanState) -> None:
    ident = st.bp.identity
    pairs = sorted(
        (name, other)
        for name, p in ident.principals.items()
        for other in p.can_assume
        if other != name and other in ident.principals
    )
    if not pairs:
        return
    assumers: dict[str, list[Value]] = {}
    assumable: dict[str, list[str]] = {}
    for name, other in pairs:
        if (other, name) in pairs:
            raise UnsupportedBlueprintError(
                f"identity.principals.{name}.can_assume: found {other}, which can assume "
                f"{name} too, expected one direction (two roles trusting each other cannot be "
                "created one before the other)"
            )
        role = _role_of(st, other, name)
        assumers.setdefault(role.id.tf, []).append(_assumer_arn(st, name, other))
        assumable.setdefault(name, []).append(role.id.name)
    st.system.roles = [
        replace(r, assumed_by=tuple(assumers[r.id.tf])) if r.id.tf in assumers else r
        for r in st.system.roles
    ]
    for name, roles in sorted(assumable.items()):
        statement = Statement(
            "AssumeRoles",
            actions.ASSUME_ROLE.actions,
            tuple(arn("iam", f"role/{r}", regional=False) for r in sorted(roles)),
        )
        _grant_assume(st, name, statement)


def _grant_assume(st: PlanState, principal: str, statement: Statement) -> None:
    """The assumer may call sts:AssumeRole on exactly its roles: a statement in its task role,
    or (a person, automation) a group of its own, since checkov wants no policy on a user."""
    p = st.bp.identity.principals[principal]
    if p.kind == "service":
        task = tf_label(str(p.workload), "task")
        st.system.roles = [
            replace(r, policy=PolicyDoc((*(r.policy.statements if r.policy else ()), statement)))
            if r.id.tf == task
            else r
            for r in st.system.roles
        ]
        return
    group = Group(
        Named(
            tf_label(principal, "assume"),
            cfn_id(principal, "assume", "group"),
            physical(st.bp.name, principal, "assume", limit=128),
        ),
        f"roles {principal} may assume",
        PolicyDoc((statement,)),
    )
    st.system.groups = [*st.system.groups, group]
    st.system.users = [
        replace(u, groups=(*u.groups, group.id)) if u.id.name == principal else u
        for u in st.system.users
    ]
