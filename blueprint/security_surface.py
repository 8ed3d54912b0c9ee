"""The security surface of a blueprint: the facts a security reviewer compares between versions.

Internet-reachable paths, the grants each identity holds, principals and scopes, escalation
paths between identities, waivers and latency budgets. Subjects use the policy engine's dotted
paths (`services.web`, `identity.principals.leo`) so a diff line points at the blueprint.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from ipaddress import ip_network

from blueprint.model import Access, Blueprint, FirewallRule, ResourceKind, ingress_targets
from blueprint.model.network import ApiGateway

INTERNET = "internet"
ANY_IDENTITY = "* (any identity)"
# Access on a workload (or on anything) that runs code under its identity.
_CODE_RUNNING = frozenset({Access.DEPLOY, Access.MANAGE, Access.ADMIN, Access.ANY})
# Access on the identity service that hands out or rewrites any identity.
_IDENTITY_WRITING = frozenset({Access.PASS_ROLE, Access.MANAGE, Access.ADMIN, Access.ANY})

Privilege = tuple[str, str]  # (target: a resource or workload name, or "*"; access level)


@dataclass(frozen=True)
class PrincipalFacts:
    kind: str
    console: bool
    mfa: bool
    access_keys: bool
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class WaiverFacts:
    owner: str
    expires: dt.date
    evidence: tuple[str, ...] | None


@dataclass(frozen=True)
class Surface:
    public_paths: frozenset[tuple[str, ...]] = frozenset()
    grants: Mapping[str, frozenset[Privilege]] = field(default_factory=dict)
    principals: Mapping[str, PrincipalFacts] = field(default_factory=dict)
    scopes: frozenset[str] = frozenset()
    escalations: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    waivers: Mapping[tuple[str, str], WaiverFacts] = field(default_factory=dict)
    budgets: Mapping[str, float] = field(default_factory=dict)


def surface(bp: Blueprint) -> Surface:
    grants = _grants(bp)
    return Surface(
        public_paths=frozenset(_public_paths(bp)),
        grants=grants,
        principals={
            f"identity.principals.{name}": PrincipalFacts(
                p.kind, p.console, p.mfa, p.access_keys, tuple(sorted(p.scopes))
            )
            for name, p in bp.identity.principals.items()
        },
        scopes=frozenset(f"identity.scopes.{name}" for name in bp.identity.scopes),
        escalations=_escalations(bp, grants),
        waivers={
            (w.rule, w.subject): WaiverFacts(w.owner, w.expires, w.evidence)
            for w in bp.policy.waivers
        },
        budgets=_budgets(bp),
    )


def workload_subject(bp: Blueprint, name: str) -> str:
    return f"services.{name}" if name in bp.services else f"jobs.{name}"


def _subject(bp: Blueprint, name: str) -> str:
    """The dotted subject of a name an ingress forwards to: an ingress, a service or a job."""
    if name in bp.ingress:
        return f"ingress.{name}"
    return workload_subject(bp, name)


def _is_internet(rule: FirewallRule) -> bool:
    return not ip_network(rule.cidr).is_private


def _entry_label(bp: Blueprint, name: str) -> str:
    ingress = bp.ingress[name]
    if isinstance(ingress, ApiGateway) and ingress.auth is not None:
        return f"ingress.{name} [jwt {ingress.auth.issuer}]"
    return f"ingress.{name}"


def _public_paths(bp: Blueprint) -> set[tuple[str, ...]]:
    """Every path from the internet: through public ingress chains, firewall rules open to
    internet addresses on workloads, and resources that are public themselves."""
    paths: set[tuple[str, ...]] = set()

    def walk(name: str, path: tuple[str, ...]) -> None:
        ingress = bp.ingress.get(name)
        if ingress is None:
            paths.add(path)
            return
        for target in dict.fromkeys(ingress_targets(ingress)):
            hop = _entry_label(bp, target) if target in bp.ingress else _subject(bp, target)
            if hop in path:
                continue  # a cycle of ingress points; the policy engine reports it
            walk(target, (*path, hop))

    for name, ingress in bp.ingress.items():
        if ingress.public:
            walk(name, (INTERNET, _entry_label(bp, name)))
    for name, service in bp.services.items():
        for rule in service.allow_from:
            if _is_internet(rule):
                ports = ",".join(str(p) for p in rule.ports)
                paths.add((f"{INTERNET} ({rule.cidr} {rule.protocol}/{ports})", f"services.{name}"))
    for name, resource in bp.resources.items():
        if resource.public:
            paths.add((INTERNET, f"resources.{name}"))
    return paths


def _grants(bp: Blueprint) -> dict[str, frozenset[Privilege]]:
    """What each identity holds: every principal, and every workload without a service
    principal (its runtime identity is derived from its uses)."""
    held: dict[str, frozenset[Privilege]] = {}
    for name in bp.identity.principals:
        held[f"identity.principals.{name}"] = frozenset(
            (g.resource, g.access.value) for g in bp.granted(name)
        )
    for name in bp.workloads():
        if bp.service_principal(name) is None:
            held[workload_subject(bp, name)] = frozenset(
                (g.resource, g.access.value) for g in bp.workload_grants(name)
            )
    return held


def _identity_of(bp: Blueprint, workload: str) -> str:
    principal = bp.service_principal(workload)
    if principal is not None:
        return f"identity.principals.{principal}"
    return workload_subject(bp, workload)


def _escalation_edges(
    bp: Blueprint, grants: Mapping[str, frozenset[Privilege]]
) -> dict[str, set[str]]:
    """identity -> identities whose privileges it can obtain (assume, deploy code under, or
    hand out through the identity service)."""
    workloads = bp.workloads()
    edges: dict[str, set[str]] = {holder: set() for holder in grants}
    for name, p in bp.identity.principals.items():
        source = f"identity.principals.{name}"
        edges[source].update(f"identity.principals.{q}" for q in p.can_assume)
    for holder, privileges in grants.items():
        for target, access in privileges:
            level = Access(access)
            if target == "*" and level in _CODE_RUNNING | _IDENTITY_WRITING:
                edges[holder].add(ANY_IDENTITY)
            elif target in workloads and level in _CODE_RUNNING:
                edges[holder].add(_identity_of(bp, target))
            elif (
                target in bp.resources
                and bp.resources[target].kind is ResourceKind.IAM
                and level in _IDENTITY_WRITING
            ):
                edges[holder].add(ANY_IDENTITY)
    return edges


def _escalations(
    bp: Blueprint, grants: Mapping[str, frozenset[Privilege]]
) -> dict[tuple[str, str], tuple[str, ...]]:
    """(source, target) -> the shortest path, for every identity that reaches another one
    holding something it does not hold itself."""
    edges = _escalation_edges(bp, grants)
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for source in sorted(edges):
        parents: dict[str, str | None] = {source: None}
        queue = deque([source])
        while queue:
            node = queue.popleft()
            for nxt in sorted(edges.get(node, ())):
                if nxt not in parents:
                    parents[nxt] = node
                    queue.append(nxt)
        for target in parents:
            if target == source:
                continue
            gains = target == ANY_IDENTITY or not grants.get(target, frozenset()) <= grants.get(
                source, frozenset()
            )
            if gains:
                path: list[str] = [target]
                step = parents[target]
                while step is not None:
                    path.append(step)
                    step = parents[step]
                found[(source, target)] = tuple(reversed(path))
    return found


def _budgets(bp: Blueprint) -> dict[str, float]:
    budgets: dict[str, float] = {}
    for name, ingress in bp.ingress.items():
        if ingress.latency_budget is not None:
            budgets[f"ingress.{name}"] = ingress.latency_budget
    for name, service in bp.services.items():
        if service.latency_budget is not None:
            budgets[f"services.{name}"] = service.latency_budget
    return budgets
