"""BP1011: a workload's runtime identity holding its execution identity's image pull."""

from __future__ import annotations

from collections.abc import Iterator

from blueprint.model import Access
from policies.context import Context
from policies.graph import out_edges, short
from policies.queries import effective_grants
from policies.rules._identity import describe_grant, grant_location
from policies.rules.base import Example, Hit, Rule

PULLING = frozenset({Access.PULL, Access.READ, Access.ANY})


def check(ctx: Context) -> Iterator[Hit]:
    g = ctx.graph
    for workload in ctx.nodes("service", "job"):
        identity = ctx.first_out(workload, "runs-as")
        if identity is None or g.nodes[identity].get("kind") != "principal":
            continue  # a derived identity holds only its uses (most workloads)
        registry = ctx.first_out(workload, "pulls")
        if registry is None:
            continue
        needs_registry = any(v == registry for v, _ in out_edges(g, workload, "uses"))
        if needs_registry:
            continue  # the workload itself reads the registry (declared), not only its image
        for grant in effective_grants(g, identity):
            # A pull on "*" reaches the workload's registry as surely as one that names it.
            if grant.target in (registry, "*") and grant.access in PULLING:
                yield Hit(
                    identity,
                    f"{short(identity)}, the runtime identity of {short(workload)}, is granted "
                    f"{describe_grant(ctx, grant)}: pulling the image belongs to the "
                    "execution identity, so one role serves as both task and execution role",
                    (workload, identity, registry),
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
    image: {registry: images, repository: web, tag: "1.4.2"}
resources:
  images: {kind: registry}
identity:
  principals:
    web-role: {kind: service, workload: web, grants: [{resource: images, access: pull}]}
""",
    good="""\
name: demo
platforms:
  aws: {region: eu-west-2}
services:
  web:
    platform: aws-fargate
    image: {registry: images, repository: web, tag: "1.4.2"}
resources:
  images: {kind: registry}
identity:
  principals:
    web-role: {kind: service, workload: web}
""",
)


RULE = Rule(
    id="BP1011",
    name="task-role-is-execution-role",
    title="Runtime identity doubles as the execution identity",
    severity="error",
    rationale=(
        "The platform pulls the image and writes logs with the execution identity; the code "
        "runs with the runtime (task) identity. One role for both gives the application "
        "registry access it never needs (the seed's role used as both task and execution "
        "role). Generators create the execution identity from image.registry on their own."
    ),
    fix="Remove the pull grant on the workload's image registry from its service principal.",
    check=check,
    example=EXAMPLE,
    controls=("nist-800-53:AC-6",),
)
