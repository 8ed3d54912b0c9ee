"""Privilege: effective grants, escalation paths, and what a workload needs."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from blueprint.model import Access, Job, ResourceKind
from policies.access import (
    CODE_RUNNING,
    POLICY_WRITING,
    WILDCARD_TARGET,
    Privilege,
    covers,
    expand_privileges,
)
from policies.graph import edges_of_kind, out_edges
from policies.queries.calls import call_edges
from policies.system_graph import SystemGraph

Path = tuple[str, ...]


# -- identity -------------------------------------------------------------------------------


ACCESS: dict[str, Access] = {a.value: a for a in Access}  # faster than Access(value)


@dataclass(frozen=True)
class EffectiveGrant:
    target: str  # a node id, or "*"
    access: Access
    via: Path  # holder [-> scope] -> target


def runtime_identity(g: SystemGraph, workload: str) -> str | None:
    """The identity node a workload runs as (a service principal or its derived identity)."""
    found = out_edges(g, workload, "runs-as")
    return found[0][0] if found else None


def effective_grants(g: SystemGraph, holder: str) -> list[EffectiveGrant]:
    """Everything a principal or identity is granted: its own grants, then its scopes' grants,
    in declaration order (assumable principals are not included: see `escalation_paths`). A
    derived identity is granted exactly its workload's uses."""
    data = g.nodes[holder]
    if data.get("kind") == "identity":
        return [
            EffectiveGrant(t, ACCESS[d["access"]], (holder, t))
            for t, d in out_edges(g, str(data["workload_node"]), "uses")
        ]
    out = [EffectiveGrant(t, ACCESS[d["access"]], (holder, t)) for t, d in granted(g, holder)]
    for scope, _ in out_edges(g, holder, "member-of"):
        out.extend(
            EffectiveGrant(t, ACCESS[d["access"]], (holder, scope, t)) for t, d in granted(g, scope)
        )
    return out


def granted(g: SystemGraph, holder: str) -> list[tuple[str, dict[str, Any]]]:
    return out_edges(g, holder, "granted")


def privileges(g: SystemGraph, holder: str) -> frozenset[Privilege]:
    """A holder's effective grants expanded through the access table."""
    return expand_privileges((e.target, e.access) for e in effective_grants(g, holder))


@dataclass(frozen=True)
class Escalation:
    """`principal` can act as `reaches` (an identity node, or "*" for any privilege through
    policy writing) along `path`, and so gains `gained`, which it does not hold itself."""

    principal: str
    reaches: str
    path: Path
    gained: tuple[Privilege, ...]
    how: str  # assume | pass-role | deploy | policy-writing


def _control_edges(
    g: SystemGraph, holder: str, iam_nodes: frozenset[str]
) -> list[tuple[str, Path, str]]:
    """(reached node, intermediate hops, how) for each way `holder` controls another identity."""
    out: list[tuple[str, Path, str]] = []
    for other, _ in out_edges(g, holder, "can-assume"):
        out.append((other, (), "assume"))
    for ident, _ in out_edges(g, holder, "can-pass"):
        out.append((ident, (), "pass-role"))
    for grant in effective_grants(g, holder):
        hops = grant.via[1:-1]
        if grant.access not in CODE_RUNNING and grant.access not in POLICY_WRITING:
            continue
        target = grant.target
        kind = g.nodes[target].get("kind")
        if grant.access in POLICY_WRITING and (target in iam_nodes or target == WILDCARD_TARGET):
            out.append((WILDCARD_TARGET, (*hops, target), "policy-writing"))
            continue
        if grant.access not in CODE_RUNNING:
            continue
        if kind in ("service", "job"):
            for ident, _ in out_edges(g, target, "runs-as"):
                out.append((ident, (*hops, target), "deploy"))
        elif kind == "resource" and g.nodes[target].get("resource_kind") == "cluster":
            for workload, _ in out_edges(g, target, "hosts"):
                for ident, _ in out_edges(g, workload, "runs-as"):
                    out.append((ident, (*hops, target, workload), "deploy"))
    return out


def escalation_paths(g: SystemGraph) -> list[Escalation]:
    """Every principal that can reach privileges beyond its own, with the path.

    For each principal holding any control access (assume, pass-role, deploy on a workload or
    its cluster, policy writing on the identity service), a breadth-first search over control
    edges; every identity reached whose privileges exceed the principal's is an escalation.
    """
    iam_nodes = frozenset(
        n
        for n, d in g.nodes(data=True)
        if d.get("kind") == "resource" and d.get("resource_kind") == ResourceKind.IAM.value
    )
    control: dict[str, list[tuple[str, Path, str]]] = {}
    found: list[Escalation] = []
    cache: dict[str, frozenset[Privilege]] = {}

    def privs(node: str) -> frozenset[Privilege]:
        if node not in cache:
            cache[node] = privileges(g, node)
        return cache[node]

    def held(node: str) -> list[Privilege]:
        """A node's grants as declared (admin stays admin), for reporting what is gained."""
        return [(e.target, e.access) for e in effective_grants(g, node)]

    def edges(node: str) -> list[tuple[str, Path, str]]:
        if node not in control:
            control[node] = _control_edges(g, node, iam_nodes)
        return control[node]

    principals = sorted(n for n, k in g.nodes(data="kind") if k == "principal")
    for start in principals:
        if not edges(start):
            continue
        own = privs(start)
        seen = {start}
        queue: deque[tuple[str, Path, str]] = deque([(start, (start,), "")])
        while queue:
            node, path, how = queue.popleft()
            for nxt, hops, step in edges(node):
                if nxt in seen:
                    continue
                seen.add(nxt)
                new_path = (*path, *hops, nxt)
                first = how or step
                if nxt == WILDCARD_TARGET:
                    gained_any: tuple[Privilege, ...] = ((WILDCARD_TARGET, Access.ADMIN),)
                    if not covers(own, gained_any[0]):
                        found.append(Escalation(start, nxt, new_path, gained_any, first))
                    continue
                gained = tuple(
                    sorted({p for p in held(nxt) if not covers(own, p)}, key=_privilege_key)
                )
                if gained:
                    found.append(Escalation(start, nxt, new_path, gained, first))
                queue.append((nxt, new_path, first))
    return found


def _privilege_key(p: Privilege) -> tuple[str, str]:
    return (p[0], p[1].value)


# -- what a workload needs -------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    target: str
    access: Access
    because: str  # "uses", "writes", "trigger", "buffer", "calls"


REQUIRING_EDGES: dict[str, Access | None] = {
    "uses": None,  # the access declared on the edge
    "writes": Access.WRITE,
    "subscribes": Access.SUBSCRIBE,
    "triggered-by": Access.READ,
    "buffers-to": Access.PUBLISH,
}


def required_access(g: SystemGraph, workload: str) -> list[Requirement]:
    """What a workload's runtime identity must be granted for its declared uses, writes,
    trigger and buffer, in declaration order."""
    return list(g.derived(_requirements).get(workload, ()))


def _requirements(g: SystemGraph) -> dict[str, list[Requirement]]:
    """`required_access` of every workload, from one pass over each requiring edge kind (it
    was five lookups per workload per rule that asks). Kinds in REQUIRING_EDGES order, then
    edges in insertion order: the order of the lookups."""
    table: dict[str, list[Requirement]] = {}
    # One (frozen) Requirement per distinct target, access and edge kind, shared by every
    # workload that needs it: a few hundred at 5,000 services where 17,000 were built.
    made: dict[tuple[str, Access, str], Requirement] = {}
    for kind, fixed in REQUIRING_EDGES.items():
        for u, v, d in edges_of_kind(g, kind):
            key = (v, fixed or ACCESS[d["access"]], kind)
            requirement = made.get(key)
            if requirement is None:
                requirement = made[key] = Requirement(*key)
            table.setdefault(u, []).append(requirement)
    return table


def justified_access(g: SystemGraph, workload: str) -> list[Requirement]:
    """Everything a declared use or call justifies: the requirements plus invoke on each
    called service."""
    out = required_access(g, workload)
    out.extend(Requirement(v, Access.INVOKE, "calls") for v, _, _ in call_edges(g, workload))
    return out


def is_job(g: SystemGraph, node: str) -> bool:
    return isinstance(g.nodes[node].get("spec"), Job)
