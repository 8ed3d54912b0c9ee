"""BP1002: a service identity granted more than its declared uses and calls need."""

from __future__ import annotations

from collections.abc import Iterator

from blueprint.model import Access
from policies.access import IMPLIES, WILDCARD_TARGET, expand
from policies.context import Context
from policies.graph import in_edges, short
from policies.queries import effective_grants, justified_access
from policies.rules._identity import describe_grant, grant_location
from policies.rules.base import Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    g = ctx.graph
    for principal in ctx.nodes("principal"):
        data = g.nodes[principal]
        if data.get("principal_kind") != "service":
            continue
        workload = next((u for u, _ in in_edges(g, principal, "runs-as")), None)
        if workload is None:
            continue
        needed: dict[str, set[Access]] = {}
        for req in justified_access(g, workload):
            needed.setdefault(req.target, set()).add(req.access)
        registry = ctx.first_out(workload, "pulls")
        for grant in effective_grants(g, principal):
            if grant.target == WILDCARD_TARGET:
                continue  # BP1001 reports wildcards
            if grant.target == registry and grant.access in (Access.PULL, Access.READ):
                continue  # BP1011 reports execution permissions on the runtime identity
            extra = IMPLIES[grant.access] - expand(needed.get(grant.target, ()))
            if not extra:
                continue
            declared = needed.get(grant.target)
            need = (
                f"only {', '.join(sorted(a.value for a in declared))}"
                if declared
                else "no access to it"
            )
            yield Hit(
                principal,
                f"{short(principal)} (the identity of {short(workload)}) is granted "
                f"{describe_grant(ctx, grant)}, but {short(workload)}'s declared uses and "
                f"calls need {need}",
                (*grant.via, f"{grant.target} ({grant.access.value})"),
                grant_location(ctx, grant),
            )


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  aws: {region: eu-west-2}
services:
  web:
    platform: aws-fargate
    uses: [{resource: files, access: read}]
resources:
  files: {kind: bucket}
identity:
  principals:
    web-role: {kind: service, workload: web, grants: [{resource: files, access: write}]}
""",
    good="""\
name: demo
platforms:
  aws: {region: eu-west-2}
services:
  web:
    platform: aws-fargate
    uses: [{resource: files, access: read}]
resources:
  files: {kind: bucket}
identity:
  principals:
    web-role: {kind: service, workload: web, grants: [{resource: files, access: read}]}
""",
)


RULE = Rule(
    id="BP1002",
    name="excess-grant",
    title="Service identity granted more than its uses and calls need",
    severity="error",
    rationale=(
        "Least privilege: a workload's identity should hold exactly what its declared uses, "
        "writes, trigger, buffer and calls need. Every extra grant is access an attacker "
        "inherits when the workload is compromised, and it hides what the service really "
        "depends on."
    ),
    fix=(
        "Remove the grant, lower it to the access the workload uses, or declare the use that "
        "needs it (uses: [{resource: ..., access: ...}])."
    ),
    check=check,
    example=EXAMPLE,
    controls=("nist-800-53:AC-6",),
)
