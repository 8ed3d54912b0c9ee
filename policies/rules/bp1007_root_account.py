"""BP1007: the root account with access keys or used beyond break-glass console access."""

from __future__ import annotations

from collections.abc import Iterator

from policies.context import Context
from policies.rules.base import Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    for name, p in sorted(ctx.bp.identity.principals.items()):
        if p.kind != "root":
            continue
        subject = f"identity.principals.{name}"
        if p.access_keys:
            yield Hit(
                subject,
                f"root account {name} has access keys; delete them and keep root for "
                "break-glass console sign-in",
                (subject,),
                (*subject.split("."), "access_keys"),
            )
        uses = [f"scopes {', '.join(p.scopes)}"] if p.scopes else []
        uses += [f"{len(p.grants)} grant(s)"] if p.grants else []
        uses += [f"can assume {', '.join(p.can_assume)}"] if p.can_assume else []
        if uses:
            yield Hit(
                subject,
                f"root account {name} is used beyond break-glass console access "
                f"({'; '.join(uses)}); give daily work to principals with scopes",
                (subject, *(f"identity.scopes.{s}" for s in p.scopes)),
            )


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  aws: {region: eu-west-2}
identity:
  principals:
    root: {kind: root, console: true, mfa: true, access_keys: true}
""",
    good="""\
name: demo
platforms:
  aws: {region: eu-west-2}
identity:
  principals:
    root: {kind: root, console: true, mfa: true}
""",
)


RULE = Rule(
    id="BP1007",
    name="root-account",
    title="Root account with access keys or used beyond break-glass",
    severity="error",
    rationale=(
        "The root account can do everything and cannot be restricted by policies. Access keys "
        "for it are the most valuable credential an attacker can steal, and any daily use "
        "exposes it; it should sign in to the console only in an emergency."
    ),
    fix=(
        "Set access_keys: false (delete the keys), remove scopes, grants and can_assume from "
        "root, and give daily work to human or automation principals."
    ),
    check=check,
    example=EXAMPLE,
    controls=("cis-aws:1.4", "cis-aws:1.7", "nist-800-53:AC-6"),
    reads_graph=False,
)
