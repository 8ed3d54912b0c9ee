"""BP3004: a job writing to a database with neither retry nor buffer."""

from __future__ import annotations

from collections.abc import Iterator

from blueprint.model import ResourceKind
from policies.context import Context
from policies.rules.base import Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    bp = ctx.bp
    for name, job in sorted(bp.jobs.items()):
        if job.retry is not None or job.buffer is not None:
            continue
        for i, write in enumerate(job.writes):
            res = bp.resources.get(write.resource)
            if res is None or res.kind is not ResourceKind.DATABASE:
                continue
            table = f" (table {write.table})" if write.table else ""
            yield Hit(
                f"jobs.{name}",
                f"job {name} writes database {write.resource}{table} with no retry and no "
                "buffer: while the database is down its writes are lost",
                (f"jobs.{name}", f"resources.{write.resource}"),
                ("jobs", name, "writes", i),
            )


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  kubernetes: {namespace: demo}
jobs:
  loader:
    platform: kubernetes
    trigger: {schedule: "0 * * * *"}
    uses: [{resource: db, access: write}]
    writes: [{resource: db}]
resources:
  db: {kind: database}
""",
    good="""\
name: demo
platforms:
  kubernetes: {namespace: demo}
jobs:
  loader:
    platform: kubernetes
    trigger: {schedule: "0 * * * *"}
    uses: [{resource: db, access: write}]
    writes: [{resource: db}]
    retry: {attempts: 5, backoff_seconds: 2}
resources:
  db: {kind: database}
""",
)


RULE = Rule(
    id="BP3004",
    name="unbuffered-write",
    title="Job writes to a database without retry or buffer",
    severity="warning",
    rationale=(
        "When the database crashes, a worker without retry disconnects and drops what it was "
        "writing (the seed's worker2, which cannot write table2 after the crash)."
    ),
    fix="Declare retry: {attempts: ..., backoff_seconds: ...} or a buffer queue/topic.",
    check=check,
    example=EXAMPLE,
    reads_graph=False,
)
