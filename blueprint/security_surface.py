"""The security surface of a blueprint: the facts a security reviewer compares between versions.

Read from the policy engine's system graph (`policies.graph.build_graph`) with its queries
(`policies.queries`): internet-reachable paths, the grants each principal or workload identity
holds, principals and scopes, escalation paths, latency budgets with their critical paths; and
waivers from the policy settings. Subjects are the graph's node ids, which are the blueprint's
dotted paths (`services.web`, `identity.principals.leo`, `services.web.identity`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from ipaddress import ip_network
from typing import Any

from blueprint.model import Blueprint

INTERNET = "internet"
ANY_IDENTITY = "* (any privilege)"
# The nodes whose exposure matters: what runs and what holds data.
_EXPOSED_KINDS = frozenset({"service", "job", "resource"})

Privilege = tuple[str, str]  # (target node id or "*", access level)


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
    # (exposed node, way in: a public entry point, "direct" or an open firewall rule) -> path
    exposure: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    grants: Mapping[str, frozenset[Privilege]] = field(default_factory=dict)
    principals: Mapping[str, PrincipalFacts] = field(default_factory=dict)
    scopes: frozenset[str] = frozenset()
    # (principal, reached identity) -> the path, ending in how it gets there
    escalations: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    waivers: Mapping[tuple[str, str], WaiverFacts] = field(default_factory=dict)
    # node -> (budget in seconds, critical path in seconds or None on a call cycle)
    budgets: Mapping[str, tuple[float, float | None]] = field(default_factory=dict)


def surface(bp: Blueprint) -> Surface:
    from policies.graph import build_graph

    g = build_graph(bp)
    return Surface(
        exposure=_exposure(g, bp),
        grants=_grants(g),
        principals=_principals(g),
        scopes=frozenset(n for n, k in g.nodes(data="kind") if k == "scope"),
        escalations=_escalations(g),
        waivers={
            (w.rule, w.subject): WaiverFacts(w.owner, w.expires, w.evidence)
            for w in bp.policy.waivers
        },
        budgets=_budgets(g),
    )


def _exposure(g: Any, bp: Blueprint) -> dict[tuple[str, str], tuple[str, ...]]:
    """Each way the internet reaches a workload or resource: through each public entry point
    (following forwards-to), around every entry point (the graph's direct exposure), and through
    firewall rules open to internet addresses."""
    from policies.queries import internet_exposure

    found: dict[tuple[str, str], tuple[str, ...]] = {}
    entries = sorted(v for _, v, k in g.out_edges(INTERNET, data="kind") if k == "routes-to")
    for entry in entries:
        if g.nodes[entry].get("kind") != "ingress":
            continue
        stack: list[tuple[str, ...]] = [(INTERNET, entry)]
        while stack:
            path = stack.pop()
            for _, nxt, kind in sorted(g.out_edges(path[-1], data="kind")):
                if kind != "forwards-to" or nxt in path:
                    continue
                if g.nodes[nxt].get("kind") in _EXPOSED_KINDS:
                    found.setdefault((nxt, entry), (*path, nxt))
                else:
                    stack.append((*path, nxt))
    for node, exposure in internet_exposure(g).items():
        if exposure.direct_path is not None and g.nodes[node].get("kind") in _EXPOSED_KINDS:
            found[(node, "direct")] = exposure.direct_path
    for name, service in bp.services.items():
        for rule in service.allow_from:
            if not ip_network(rule.cidr).is_private:
                ports = ",".join(str(p) for p in rule.ports)
                way = f"{rule.cidr} {rule.protocol}/{ports}"
                found[(f"services.{name}", way)] = (f"{INTERNET} ({way})", f"services.{name}")
    return found


def _grants(g: Any) -> dict[str, frozenset[Privilege]]:
    from policies.queries import effective_grants

    holders = sorted(n for n, k in g.nodes(data="kind") if k in ("principal", "identity"))
    return {
        holder: frozenset((e.target, e.access.value) for e in effective_grants(g, holder))
        for holder in holders
    }


def _principals(g: Any) -> dict[str, PrincipalFacts]:
    from policies.graph import out_edges

    return {
        node: PrincipalFacts(
            str(data["principal_kind"]),
            bool(data["console"]),
            bool(data["mfa"]),
            bool(data["access_keys"]),
            tuple(sorted(scope for scope, _ in out_edges(g, node, "member-of"))),
        )
        for node, data in sorted(g.nodes(data=True))
        if data.get("kind") == "principal"
    }


def _escalations(g: Any) -> dict[tuple[str, str], tuple[str, ...]]:
    from policies.queries import escalation_paths

    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for e in escalation_paths(g):
        reaches = ANY_IDENTITY if e.reaches == "*" else e.reaches
        path = tuple(ANY_IDENTITY if hop == "*" else hop for hop in e.path)
        found.setdefault((e.principal, reaches), (*path[:-1], f"{path[-1]} ({e.how})"))
    return found


def _budgets(g: Any) -> dict[str, tuple[float, float | None]]:
    from policies.queries import critical_paths

    latency = critical_paths(g)
    budgets: dict[str, tuple[float, float | None]] = {}
    for node, data in sorted(g.nodes(data=True)):
        budget = data.get("budget")
        if budget is None and data.get("kind") == "service":
            budget = data["spec"].latency_budget
        if budget is not None:
            total = latency[node].total if node in latency else None
            budgets[node] = (float(budget), total)
    return budgets
