"""BP1012: an inventory note of who can change infrastructure."""

from __future__ import annotations

from collections.abc import Iterator

from policies.access import INFRASTRUCTURE_CHANGING
from policies.context import Context
from policies.graph import short
from policies.queries import effective_grants
from policies.rules._identity import describe_grant
from policies.rules.base import Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    g = ctx.graph
    for principal in ctx.nodes("principal"):
        changing = [
            e for e in effective_grants(g, principal) if e.access in INFRASTRUCTURE_CHANGING
        ]
        if not changing:
            continue
        yield Hit(
            principal,
            f"{short(principal)} can change infrastructure: "
            + "; ".join(describe_grant(ctx, e) for e in changing),
            tuple(dict.fromkeys(n for e in changing for n in e.via)),
        )


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  aws: {region: eu-west-2}
resources:
  ecs: {kind: cluster}
identity:
  principals:
    ci: {kind: automation, grants: [{resource: ecs, access: deploy}]}
""",
    good="""\
name: demo
platforms:
  aws: {region: eu-west-2}
resources:
  ecr: {kind: registry}
identity:
  principals:
    ci: {kind: automation, grants: [{resource: ecr, access: push}]}
""",
)


RULE = Rule(
    id="BP1012",
    name="infrastructure-access",
    title="Who can change infrastructure (audit note)",
    severity="note",
    rationale=(
        "Not a defect: the list of principals that can deploy, manage, administer or pass "
        "roles is what an access review starts from, so every check prints it."
    ),
    fix="Nothing to fix; review the list. Set the rule to off to hide it.",
    check=check,
    example=EXAMPLE,
    controls=("nist-800-53:AC-2", "nist-800-53:AC-6"),
)
