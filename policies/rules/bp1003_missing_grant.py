"""BP1003: a declared use, write, trigger or buffer that the workload's identity cannot do."""

from __future__ import annotations

from collections.abc import Iterator

from policies.access import covers
from policies.context import Context
from policies.graph import short
from policies.queries import required_access
from policies.rules._identity import describe_target
from policies.rules.base import Example, Hit, Rule

BECAUSE = {
    "uses": "uses",
    "writes": "writes",
    "subscribes": "is triggered by",
    "triggered-by": "is triggered by events of",
    "buffers-to": "buffers writes into",
}


def check(ctx: Context) -> Iterator[Hit]:
    g = ctx.graph
    for workload in ctx.nodes("service", "job"):
        identity = ctx.first_out(workload, "runs-as")
        if identity is None:
            continue
        derived = g.nodes[identity].get("kind") == "identity"
        # A derived identity is granted exactly its uses: only the other requirements can miss.
        needs = [r for r in required_access(g, workload) if not (derived and r.because == "uses")]
        if not needs:
            continue
        held = ctx.privileges(identity)
        reported: set[tuple[str, str]] = set()
        for req in needs:
            key = (req.target, req.access.value)
            if key in reported or covers(held, (req.target, req.access)):
                continue
            reported.add(key)
            who = (
                "its identity (derived from its uses)"
                if derived
                else f"its service principal {short(identity)}"
            )
            fix = (
                f"add uses: {{resource: {short(req.target)}, access: {req.access.value}}}"
                if derived
                else f"grant {short(identity)} {req.access.value} on {short(req.target)}"
            )
            yield Hit(
                workload,
                f"{short(workload)} {BECAUSE[req.because]} {describe_target(ctx, req.target)}, "
                f"but {who} is not granted {req.access.value} on it; {fix}",
                (workload, identity, f"{req.target} ({req.access.value})"),
            )


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  aws: {region: eu-west-2}
jobs:
  loader:
    platform: aws-fargate
    trigger: {schedule: "0 * * * *"}
    uses: [{resource: db, access: read}]
    writes: [{resource: db}]
resources:
  db: {kind: database}
""",
    good="""\
name: demo
platforms:
  aws: {region: eu-west-2}
jobs:
  loader:
    platform: aws-fargate
    trigger: {schedule: "0 * * * *"}
    uses: [{resource: db, access: write}]
    writes: [{resource: db}]
resources:
  db: {kind: database}
""",
)


RULE = Rule(
    id="BP1003",
    name="missing-grant",
    title="Declared use not granted to the workload's identity",
    severity="error",
    rationale=(
        "Generators render a workload's identity from its service principal or, without one, "
        "from its uses. A write, trigger or use that the identity does not cover fails at run "
        "time (an AccessDenied in production), usually long after review."
    ),
    fix="Grant the access to the workload's service principal, or declare it under uses.",
    check=check,
    example=EXAMPLE,
)
