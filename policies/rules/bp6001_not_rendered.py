"""BP6001: a part of the blueprint that is accepted but not (entirely) rendered."""

from __future__ import annotations

from collections.abc import Iterator

from blueprint.support.refusals import notes
from policies.context import Context
from policies.rules.base import Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    # The support matrix decides what is noted (docs/support.md); this rule only reports it,
    # so that a render never leaves part of the input out without a word.
    for note in notes(ctx.bp):
        yield Hit(note.subject, note.message, (), note.path)


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  gcp: {project: demo-project, region: europe-west1}
networks:
  main: {cidr: 10.0.0.0/16, subnets: {a: {cidr: 10.0.0.0/24}}}
ingress:
  lb: {kind: load-balancer, subnets: [a], forwards: {8080: web}}
services:
  web:
    platform: cloud-run
    image: {registry: ghcr.io, repository: acme/web, tag: "1.8.2"}
""",
    good="""\
name: demo
platforms:
  gcp: {project: demo-project, region: europe-west1}
ingress:
  web-in: {kind: http, public: false, routes: {/: web}}
services:
  web:
    platform: cloud-run
    image: {registry: ghcr.io, repository: acme/web, tag: "1.8.2"}
""",
)


RULE = Rule(
    id="BP6001",
    name="not-rendered",
    title="Accepted but not entirely rendered",
    severity="note",
    rationale=(
        "What the blueprint declares and no generator turns into configuration is a promise "
        "nobody keeps: the system deployed differs from the system reviewed."
    ),
    fix=(
        "Read the note and docs/support.md: configure the missing part outside blueprint, or "
        "remove it from the blueprint."
    ),
    check=check,
    example=EXAMPLE,
    reads_graph=False,
)
