"""BP1004: a principal that can reach privileges beyond its own."""

from __future__ import annotations

from collections.abc import Iterator

from policies.access import Privilege
from policies.context import Context
from policies.graph import short
from policies.rules._identity import describe_target, principal_label
from policies.rules.base import Hit, Rule

SHOWN = 3


def gained_text(ctx: Context, gained: tuple[Privilege, ...]) -> str:
    items = [f"{a.value} on {describe_target(ctx, t)}" for t, a in gained]
    text = ", ".join(items[:SHOWN])
    if len(items) > SHOWN:
        text += f" and {len(items) - SHOWN} more"
    return text


def check(ctx: Context) -> Iterator[Hit]:
    for esc in ctx.escalations:
        p = short(esc.principal)
        route = " -> ".join(short(n) for n in esc.path)
        if esc.reaches == "*":
            message = f"{p} can create and attach policies ({route}) and so grant itself any access"
        else:
            target = principal_label(ctx, esc.reaches)
            how = {
                "assume": f"{p} can assume {target}",
                "pass-role": f"{p} can pass {target} to a workload it starts",
                "deploy": f"{p} can deploy code that runs as {target}",
            }[esc.how]
            message = f"{how} ({route}), reaching {gained_text(ctx, esc.gained)}"
        yield Hit(
            esc.principal,
            message,
            (*esc.path, *(f"{t} ({a.value})" for t, a in esc.gained)),
        )


RULE = Rule(
    id="BP1004",
    name="escalation-path",
    title="Privilege escalation path",
    severity="error",
    rationale=(
        "A principal that can create or attach policies, pass roles, assume a more privileged "
        "identity, or deploy code that runs under one, effectively holds that identity's "
        "privileges: reviews of its own grants understate what it can do (the seed's developer "
        "policy that could create and attach IAM policies)."
    ),
    fix=(
        "Remove the control grant (manage/admin on the identity service, pass-role, deploy, "
        "can_assume), or give the principal the privileges openly and review them as such."
    ),
    check=check,
)
