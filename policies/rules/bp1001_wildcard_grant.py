"""BP1001: a grant of any access or on any resource."""

from __future__ import annotations

from collections.abc import Iterator

from blueprint.model import Access
from policies.context import Context
from policies.graph import resource_id, short
from policies.rules._identity import describe_target
from policies.rules.base import Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    bp = ctx.bp
    holders = [(f"identity.scopes.{n}", s.grants) for n, s in bp.identity.scopes.items()] + [
        (f"identity.principals.{n}", p.grants) for n, p in bp.identity.principals.items()
    ]
    for holder, grants in holders:
        for i, grant in enumerate(grants):
            if not grant.is_wildcard:
                continue
            what = 'every access ("*")' if grant.access is Access.ANY else f"{grant.access.value}"
            where = describe_target(
                ctx, "*" if grant.resource == "*" else _node(ctx, grant.resource)
            )
            yield Hit(
                holder,
                f"{short(holder)} is granted {what} on {where}; grant the access levels it "
                "needs on the resources it needs",
                (holder, "*" if grant.resource == "*" else grant.resource),
                (*holder.split("."), "grants", i),
            )
    for section, workloads in (("services", bp.services), ("jobs", bp.jobs)):
        for name, w in workloads.items():
            for i, use in enumerate(w.uses):
                if use.access is Access.ANY:
                    yield Hit(
                        f"{section}.{name}",
                        f'{name} uses {use.resource!r} with every access ("*"); declare the '
                        "access level it needs",
                        (f"{section}.{name}", f"resources.{use.resource}"),
                        (section, name, "uses", i, "access"),
                    )


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  aws: {region: eu-west-2}
resources:
  ecr: {kind: registry}
identity:
  scopes:
    developer:
      grants:
        - {resource: "*", access: read}
""",
    good="""\
name: demo
platforms:
  aws: {region: eu-west-2}
resources:
  ecr: {kind: registry}
identity:
  scopes:
    developer:
      grants:
        - {resource: ecr, access: read}
""",
)


RULE = Rule(
    id="BP1001",
    name="wildcard-grant",
    title="Wildcard grant (any access or any resource)",
    severity="error",
    rationale=(
        'A grant on "*" or of access "*" gives whoever holds it everything that exists now and '
        "everything added later, including the identity service: it cannot be reviewed, and "
        "it turns any leaked credential into full control (the seed's IAM policies on "
        'Resource: "*").'
    ),
    fix="Replace the wildcard with one grant per resource and the access level it needs.",
    check=check,
    example=EXAMPLE,
    controls=("cis-aws:1.16", "cis-kubernetes:5.1.3", "nist-800-53:AC-6"),
    reads_graph=False,
)


def _node(ctx: Context, name: str) -> str:
    if name in ctx.bp.resources:
        return resource_id(name)
    return f"services.{name}" if name in ctx.bp.services else f"jobs.{name}"
