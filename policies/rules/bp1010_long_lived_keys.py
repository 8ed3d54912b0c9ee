"""BP1010: long-lived access keys on a human, automation or service principal."""

from __future__ import annotations

from collections.abc import Iterator

from policies.context import Context
from policies.rules.base import Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    for name, p in sorted(ctx.bp.identity.principals.items()):
        if p.kind != "root" and p.access_keys:
            subject = f"identity.principals.{name}"
            yield Hit(
                subject,
                f"{p.kind} {name} uses long-lived access keys; prefer short-lived "
                "credentials (OIDC federation for CI, workload identity for services, SSO "
                "for people)",
                (subject,),
                (*subject.split("."), "access_keys"),
            )


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  aws: {region: eu-west-2}
identity:
  principals:
    ci: {kind: automation, access_keys: true}
""",
    good="""\
name: demo
platforms:
  aws: {region: eu-west-2}
identity:
  principals:
    ci: {kind: automation}
""",
)


RULE = Rule(
    id="BP1010",
    name="long-lived-access-keys",
    title="Long-lived access keys",
    severity="warning",
    rationale=(
        "Static keys live in CI settings, laptops and logs until someone rotates them; "
        "short-lived federated credentials expire on their own. (Root keys are BP1007.)"
    ),
    fix=(
        "Federate CI through OIDC, run services under their workload identity, sign people "
        "in through SSO; then set access_keys: false."
    ),
    check=check,
    example=EXAMPLE,
    controls=("cis-aws:1.14", "nist-800-53:IA-5"),
    reads_graph=False,
)
