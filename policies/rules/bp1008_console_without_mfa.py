"""BP1008: console access without MFA."""

from __future__ import annotations

from collections.abc import Iterator

from policies.context import Context
from policies.rules.base import Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    for name, p in sorted(ctx.bp.identity.principals.items()):
        if p.kind in ("human", "root") and p.console and not p.mfa:
            subject = f"identity.principals.{name}"
            yield Hit(
                subject,
                f"{p.kind} {name} has console access without MFA; set mfa: true",
                (subject,),
                (*subject.split("."), "console"),
            )


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  aws: {region: eu-west-2}
identity:
  principals:
    leo: {kind: human, console: true, mfa: false}
""",
    good="""\
name: demo
platforms:
  aws: {region: eu-west-2}
identity:
  principals:
    leo: {kind: human, console: true, mfa: true}
""",
)


RULE = Rule(
    id="BP1008",
    name="console-without-mfa",
    title="Console access without MFA",
    severity="error",
    rationale=(
        "A console password alone falls to phishing and reuse; MFA is the control that keeps "
        "a leaked password from becoming a session."
    ),
    fix="Set mfa: true for the principal (and enforce it in the identity provider).",
    check=check,
    example=EXAMPLE,
    controls=("cis-aws:1.10", "nist-800-53:IA-2(1)"),
    reads_graph=False,
)
