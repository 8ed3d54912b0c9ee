"""BP1004: a principal that can reach privileges beyond its own."""

from __future__ import annotations

from collections.abc import Iterator

from policies.access import Privilege
from policies.context import Context
from policies.graph import short
from policies.queries import Escalation
from policies.rules._identity import describe_target, principal_label
from policies.rules.base import Example, Hit, Rule

SHOWN = 3


def gained_text(ctx: Context, gained: tuple[Privilege, ...]) -> str:
    items = [f"{a.value} on {describe_target(ctx, t)}" for t, a in gained]
    text = ", ".join(items[:SHOWN])
    if len(items) > SHOWN:
        text += f" and {len(items) - SHOWN} more"
    return text


def check(ctx: Context) -> Iterator[Hit]:
    for esc, gained in chains(ctx.escalations):
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
            message = f"{how} ({route}), reaching {gained_text(ctx, gained)}"
        yield Hit(
            esc.principal,
            message,
            (*esc.path, *(f"{t} ({a.value})" for t, a in gained)),
        )


def chains(found: list[Escalation]) -> list[tuple[Escalation, tuple[Privilege, ...]]]:
    """One escalation per chain: A -> B -> C is reported once, from A with the whole path and
    everything gained along it, not again as A -> B and B -> C."""
    paths = [e.path for e in found]
    out: list[tuple[Escalation, tuple[Privilege, ...]]] = []
    for esc in found:
        if any(len(q) > len(esc.path) and _contains(q, esc.path) for q in paths):
            continue
        gained: dict[Privilege, None] = {}
        for other in found:
            if other.principal == esc.principal and esc.path[: len(other.path)] == other.path:
                gained.update(dict.fromkeys(other.gained))
        out.append((esc, tuple(sorted(gained, key=lambda g: (g[0], g[1].value)))))
    return out


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """Whether `shorter` runs contiguously inside `longer`."""
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  aws: {region: eu-west-2}
resources:
  db: {kind: database}
identity:
  principals:
    leo: {kind: human, can_assume: [admin]}
    admin: {kind: human, grants: [{resource: db, access: admin}]}
""",
    good="""\
name: demo
platforms:
  aws: {region: eu-west-2}
resources:
  db: {kind: database}
identity:
  principals:
    leo: {kind: human, grants: [{resource: db, access: read}]}
    admin: {kind: human, grants: [{resource: db, access: admin}]}
""",
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
    example=EXAMPLE,
    controls=("cis-aws:1.16", "cis-kubernetes:5.1.8", "nist-800-53:AC-6"),
)
