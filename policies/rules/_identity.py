"""Shared helpers of the identity rules: where a grant is declared, how to name things."""

from __future__ import annotations

from blueprint.model import Access
from policies.context import Context
from policies.graph import short
from policies.queries import EffectiveGrant
from policies.rules.base import YamlPath


def grant_location(ctx: Context, grant: EffectiveGrant) -> YamlPath:
    """The YAML path of the grant behind an effective grant (the principal's or its scope's)."""
    holder = grant.via[-2]
    index = _grant_index(ctx, holder, grant.target, grant.access)
    base = tuple(holder.split("."))
    return (*base, "grants", index) if index is not None else base


def _grant_index(ctx: Context, holder: str, target: str, access: Access) -> int | None:
    for _, v, d in ctx.graph.out_edges(holder, data=True):
        if d.get("kind") == "granted" and v == target and d.get("access") == access.value:
            index = d.get("index")
            return int(index) if index is not None else None
    return None


def describe_target(ctx: Context, node: str) -> str:
    """`bucket uploads`, `service web`, `every resource`."""
    if node == "*":
        return 'every resource ("*")'
    data = ctx.graph.nodes[node]
    kind = data.get("resource_kind") or data.get("kind")
    return f"{kind} {short(node)}"


def describe_grant(ctx: Context, grant: EffectiveGrant) -> str:
    """`push on registry ecr (through scope service-publisher)`."""
    text = f"{grant.access.value} on {describe_target(ctx, grant.target)}"
    if len(grant.via) == 3:
        text += f" (through scope {short(grant.via[1])})"
    return text


def principal_label(ctx: Context, node: str) -> str:
    data = ctx.graph.nodes[node]
    if data.get("kind") == "identity":
        return f"the identity of {data.get('workload')}"
    return f"{data.get('principal_kind')} {short(node)}"
