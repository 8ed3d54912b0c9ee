"""BP1009: a service or automation identity with console access."""

from __future__ import annotations

from collections.abc import Iterator

from policies.context import Context
from policies.rules.base import Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    for name, p in sorted(ctx.bp.identity.principals.items()):
        if p.kind in ("service", "automation") and p.console:
            subject = f"identity.principals.{name}"
            yield Hit(
                subject,
                f"{p.kind} identity {name} has console access; machines do not sign in to "
                "the console, set console: false",
                (subject,),
                (*subject.split("."), "console"),
            )


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  aws: {region: eu-west-2}
services:
  web: {platform: aws-fargate}
identity:
  principals:
    web-role: {kind: service, workload: web, console: true}
""",
    good="""\
name: demo
platforms:
  aws: {region: eu-west-2}
services:
  web: {platform: aws-fargate}
identity:
  principals:
    web-role: {kind: service, workload: web}
""",
)


RULE = Rule(
    id="BP1009",
    name="service-identity-console",
    title="Service or automation identity with console access",
    severity="error",
    rationale=(
        "A machine identity never needs the web console; a console password on it is a "
        "credential nobody rotates, usable interactively by whoever finds it."
    ),
    fix="Set console: false on service and automation principals.",
    check=check,
    example=EXAMPLE,
    controls=("nist-800-53:AC-2", "nist-800-53:AC-6"),
    reads_graph=False,
)
