"""BP1005: one principal that both publishes images and changes infrastructure."""

from __future__ import annotations

from collections.abc import Iterator

from policies.access import INFRASTRUCTURE_CHANGING, PUBLISHING
from policies.context import Context
from policies.graph import short
from policies.queries import effective_grants
from policies.rules._identity import describe_grant
from policies.rules.base import Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    g = ctx.graph
    for principal in ctx.nodes("principal"):
        grants = effective_grants(g, principal)
        publishing = [
            e
            for e in grants
            if e.access in PUBLISHING
            and g.nodes[e.target].get("resource_kind") in ("registry", None)
        ]
        changing = [e for e in grants if e.access in INFRASTRUCTURE_CHANGING]
        if not publishing or not changing:
            continue
        yield Hit(
            principal,
            f"{short(principal)} can both publish images ({describe_grant(ctx, publishing[0])}) "
            f"and change infrastructure ({describe_grant(ctx, changing[0])}); split publishing "
            "and infrastructure changes between two principals",
            tuple(
                dict.fromkeys(
                    [*publishing[0].via, *changing[0].via]
                    + [f"{e.target} ({e.access.value})" for e in (*publishing, *changing)]
                )
            ),
        )


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  aws: {region: eu-west-2}
resources:
  ecr: {kind: registry}
  ecs: {kind: cluster}
identity:
  principals:
    ci:
      kind: automation
      grants: [{resource: ecr, access: push}, {resource: ecs, access: deploy}]
""",
    good="""\
name: demo
platforms:
  aws: {region: eu-west-2}
resources:
  ecr: {kind: registry}
  ecs: {kind: cluster}
identity:
  principals:
    publisher: {kind: automation, grants: [{resource: ecr, access: push}]}
    deployer: {kind: automation, grants: [{resource: ecs, access: deploy}]}
""",
)


RULE = Rule(
    id="BP1005",
    name="separation-of-duties",
    title="Publishing and infrastructure changes held by one principal",
    severity="error",
    rationale=(
        "Whoever can both push an image and change what runs (deploy, manage, admin, "
        "pass-role) can ship and run unreviewed code alone; separating the two means two "
        "credentials must leak (the seed's publisher that could also update ECS services)."
    ),
    fix=(
        "Give publishing (push) and infrastructure changes to different principals or scopes, "
        "and do not put one principal in both."
    ),
    check=check,
    example=EXAMPLE,
    controls=("nist-800-53:AC-5",),
)
