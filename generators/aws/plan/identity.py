"""Identity: IAM policies from grants, groups per scope, users per principal."""

from __future__ import annotations

from collections.abc import Collection

from blueprint.model import Access, Grant, Platform, ResourceKind
from generators.aws import actions
from generators.aws.errors import UnsupportedBlueprintError
from generators.aws.naming import cfn_id, physical, tf_label
from generators.aws.plan.databases import db_user
from generators.aws.plan.documents import mfa_policy
from generators.aws.plan.kafka import is_kafka, kafka_arns
from generators.aws.plan.records import Group, Named, PolicyDoc, Statement, User
from generators.aws.plan.state import PlanState
from generators.aws.values import Value, arn, value


def arns_on(
    st: PlanState, target: str, kind: ResourceKind | None, on: actions.On, holder: str = "*"
) -> tuple[str | Value, ...]:
    if on.startswith("kafka-"):
        return kafka_arns(st, target, on, holder)
    if on == "account":
        return ("*",)
    if on == "roles":
        if kind is None:  # a workload: its own two roles
            return tuple(
                arn("iam", f"role/{physical(st.bp.name, target, r, limit=64)}", regional=False)
                for r in ("execution", "task")
            )
        return (arn("iam", f"role/{st.bp.name}-*", regional=False),)
    if on == "services":
        if kind is None:
            return (arn("ecs", f"service/{st.cluster_name()}/{target}"),)
        named = next(r.id for r in st.system.resources if r.key == target)
        return (arn("ecs", f"service/{named.name}/*"),)
    if on == "task-definitions":
        family = physical(st.bp.name, target, limit=255) if kind is None else f"{st.bp.name}-*"
        return (arn("ecs", f"task-definition/{family}:*"),)
    base = st.resource_arns[target]
    if on == "objects":
        return tuple(value(b, "/*") for b in base)
    if on == "streams":
        return tuple(value(b, ":log-stream:*") for b in base)
    if on == "dbuser":
        return tuple(value(b, "/", db_user(holder)) for b in base)
    return tuple(base)


def grants_policy(
    st: PlanState, grants: tuple[Grant, ...], owner: str, holder: str = "*"
) -> PolicyDoc | None:
    """The IAM policy of `grants`; `holder` names the Kafka consumer group a workload uses
    (its own name), "*" for people."""
    statements: list[Statement] = []
    kms_actions: set[str] = set()
    resources = st.aws_resources()
    services = st.aws_services()
    for grant in grants:
        if grant.resource == "*":
            statements.append(
                Statement(
                    cfn_id(grant.access.value.replace("*", "any"), "everything"),
                    wildcard_actions(grant.access),
                    ("*",),
                )
            )
            continue
        target = grant.resource
        kafka = is_kafka(st, target)
        if (
            target in resources
            and resources[target] in actions.KMS_ENCRYPTED_KINDS
            and not kafka  # MSK Serverless encrypts with a key AWS owns
        ):
            kms_actions.update(actions.KMS_FOR_ACCESS.get(grant.access, ()))
        if target in st.bp.jobs and target in st.view.workloads_on(Platform.AWS_FARGATE):
            if grant.access is Access.INVOKE:
                continue  # a network permission: the security groups carry it
            raise UnsupportedBlueprintError(
                f"{owner}: {grant.access.value} on job {target} is not rendered on AWS yet "
                "(IAM on a job's schedule, rule or service)"
            )
        mapped = _permissions(grant, resources, services, owner, kafka=kafka)
        if mapped is None:
            continue
        kind, perms = mapped
        for perm in perms:
            # Kafka names the holder's consumer group; RDS its database user (`db_user` of the
            # owner path: services.web -> web).
            res = arns_on(
                st, target, kind, perm.on, holder if perm.on.startswith("kafka-") else owner
            )
            if res:
                sid = cfn_id(grant.access.value.replace("*", "any"), target, perm.on)
                statements.append(Statement(sid, perm.actions, res))
    if kms_actions:
        statements.append(
            Statement("UseEncryptionKey", tuple(sorted(kms_actions)), (st.key_arn(),))
        )
    if not statements:
        return None
    return PolicyDoc(_merge(statements))


def _permissions(
    grant: Grant,
    resources: dict[str, ResourceKind],
    services: Collection[str],
    owner: str,
    *,
    kafka: bool = False,
) -> tuple[ResourceKind | None, tuple[actions.Permission, ...]] | None:
    """The target's kind (None for a workload) and the IAM permissions the grant maps to;
    None when IAM has nothing to render here (an invoke, or a target on another cloud)."""
    target = grant.resource
    kind: ResourceKind | None
    if target in resources:
        kind = resources[target]
        if kafka:
            perms = actions.KAFKA_ACTIONS.get(grant.access)
        elif grant.access is Access.ANY:
            perms = actions.ANY_ACTION.get(kind)
        else:
            perms = actions.ACTIONS.get((kind, grant.access))
    elif target in services:
        kind = None
        if grant.access is Access.INVOKE:
            return None  # a network permission: the security groups carry it
        perms = actions.WORKLOAD_ACTIONS.get(grant.access)
    else:
        return None  # on another cloud: that generator renders it
    if perms is None:
        raise UnsupportedBlueprintError(
            f"{owner}: no IAM mapping for {grant.access.value} on "
            f"{kind.value if kind else 'a service'} {target}"
        )
    return kind, tuple(perms)


def plan_identity(st: PlanState) -> None:
    s = st.system
    ident = st.bp.identity
    principals = {
        n: p for n, p in sorted(ident.principals.items()) if p.kind in {"human", "automation"}
    }
    used_scopes = sorted({sc for p in principals.values() for sc in p.scopes})
    groups: dict[str, Group] = {}
    for scope in used_scopes:
        sc = ident.scopes[scope]
        groups[scope] = Group(
            Named(
                tf_label(scope),
                cfn_id(scope, "group"),
                physical(st.bp.name, scope, limit=128),
            ),
            sc.description,
            grants_policy(st, sc.grants, f"identity.scopes.{scope}"),
        )
    for name, p in principals.items():
        if p.grants:
            groups[f"principal:{name}"] = Group(
                Named(
                    tf_label(name, "own"),
                    cfn_id(name, "own", "group"),
                    physical(st.bp.name, name, limit=128),
                ),
                f"grants of {name}",
                grants_policy(st, p.grants, f"identity.principals.{name}"),
            )
    if any(p.console for p in principals.values()):
        groups["console-mfa"] = Group(
            Named(
                "console_mfa",
                "ConsoleMfaGroup",
                physical(st.bp.name, "console-mfa", limit=128),
            ),
            "console users: everything but managing their own MFA is denied without MFA",
            mfa_policy(),
        )
    s.groups = [groups[k] for k in sorted(groups)]
    for name, p in principals.items():
        member_of = [groups[sc].id for sc in p.scopes]
        if p.grants:
            member_of.append(groups[f"principal:{name}"].id)
        if p.console:
            member_of.append(groups["console-mfa"].id)
        s.users.append(
            User(
                Named(tf_label(name, "user"), cfn_id(name, "user"), name),
                tuple(member_of),
                p.console,
            )
        )


def wildcard_actions(access: Access) -> tuple[str, ...]:
    """A grant on every resource: the access level's actions on every kind (always reported)."""
    if access is Access.ANY:
        return ("*",)
    rows = [p for (_, a), perms in actions.ACTIONS.items() if a is access for p in perms]
    rows += list(actions.WORKLOAD_ACTIONS.get(access, ()))
    return tuple(sorted({act for p in rows for act in p.actions})) or ("*",)


def _merge(statements: list[Statement]) -> tuple[Statement, ...]:
    """Statements with the same sid (the same grant twice) kept once; order kept."""
    seen: dict[str, Statement] = {}
    for st in statements:
        if st.sid in seen:
            prev = seen[st.sid]
            seen[st.sid] = Statement(
                st.sid,
                tuple(sorted(set(prev.actions) | set(st.actions))),
                prev.resources + tuple(r for r in st.resources if r not in prev.resources),
            )
        else:
            seen[st.sid] = st
    return tuple(seen.values())
