"""The security surface of a blueprint: the facts a security reviewer compares between versions.

Read from the system view (`blueprint.view`) and the policy engine's system graph built from it
(`policies.graph.build_graph`) with its queries
(`policies.queries`): internet-reachable paths, the grants each principal or workload identity
holds, principals and scopes, escalation paths, latency budgets with their critical paths; and
waivers from the policy settings. Subjects are the graph's node ids, which are the blueprint's
dotted paths (`services.web`, `identity.principals.leo`, `services.web.identity`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from ipaddress import ip_network

from blueprint.model import Blueprint
from blueprint.subjects import INTERNET
from blueprint.view import ExposureKind
from policies.kinds import EdgeKind, NodeKind
from policies.system_graph import SystemGraph

ANY_IDENTITY = "* (any privilege)"
# The nodes whose exposure matters: what runs and what holds data.
_EXPOSED_KINDS = frozenset({NodeKind.SERVICE, NodeKind.JOB, NodeKind.RESOURCE})

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
    # (subject, what) -> the override's content as canonical JSON: what no rule verifies.
    overrides: Mapping[tuple[str, str], str] = field(default_factory=dict)


def surface(bp: Blueprint) -> Surface:
    from policies.graph import build_graph

    g = build_graph(bp)
    return Surface(
        exposure=_exposure(g),
        grants=_grants(g),
        principals=_principals(g),
        scopes=frozenset(n for n, k in g.nodes(data="kind") if k == "scope"),
        escalations=_escalations(g),
        waivers={
            (w.rule, w.subject): WaiverFacts(w.owner, w.expires, w.evidence)
            for w in bp.policy.waivers
        },
        budgets=_budgets(g),
        overrides=override_facts(bp),
    )


def override_facts(bp: Blueprint) -> dict[tuple[str, str], str]:
    """Every override (the escape hatch), by where it applies and what it is."""

    def canonical(data: object) -> str:
        return json.dumps(data, sort_keys=True, default=str)

    facts: dict[tuple[str, str], str] = {}
    o = bp.overrides
    for name, w in o.kubernetes.workloads.items() if o.kubernetes else ():
        subject = f"{'jobs' if name in bp.jobs else 'services'}.{name}"
        for key, value in w.labels.items():
            facts[(subject, f"Kubernetes label {key}")] = canonical(value)
        for key, value in w.annotations.items():
            facts[(subject, f"Kubernetes annotation {key}")] = canonical(value)
        for i, patch in enumerate(w.patches, start=1):
            target = f"{patch.target.kind}/{patch.target.name or name}"
            facts[(subject, f"Kubernetes patch {i} on {target}")] = canonical(patch.model_dump())
    for cloud in ("aws", "gcp"):
        files = getattr(o.terraform, cloud) if o.terraform else None
        for file_name, f in files.files.items() if files else ():
            facts[(f"overrides.terraform.{cloud}", f"Terraform file {file_name}")] = canonical(
                f.model_dump()
            )
    for logical_id, merge in o.cloudformation.resources.items() if o.cloudformation else ():
        facts[("overrides.cloudformation", f"CloudFormation merge onto {logical_id}")] = canonical(
            merge.model_dump()
        )
    for file_name, module in o.bicep.modules.items() if o.bicep else ():
        facts[("overrides.bicep", f"Bicep module {file_name}")] = canonical(module.model_dump())
    return facts


def _exposure(g: SystemGraph) -> dict[tuple[str, str], tuple[str, ...]]:
    """Each way the internet reaches a workload or resource, from the system view's exposures
    (the one definition the checks and generators share): through each listener of a public
    entry point (following forwards-to), through a way in of its own (a node-port or
    load-balancer service, firewall rules open to internet addresses, a public endpoint), and
    around every entry point through a public subnet."""
    from policies.queries import internet_exposure

    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for e in g.view.exposures:
        public = tuple(s for s in e.sources if not ip_network(s).is_private)
        if not public or e.kind is ExposureKind.PUBLIC_SUBNET:
            continue
        port = "*" if e.port is None else str(e.port)
        way = f"{', '.join(public)} {e.protocol}/{port}"
        if e.kind is not ExposureKind.PUBLIC_INGRESS:
            found[(e.target, f"{e.kind} {e.protocol}/{port}")] = (f"{INTERNET} ({way})", e.target)
            continue
        stack: list[tuple[str, ...]] = [(f"{INTERNET} ({way})", e.target)]
        while stack:
            path = stack.pop()
            for nxt, _ in sorted(g.out_edges(path[-1], EdgeKind.FORWARDS_TO)):
                if nxt in path:
                    continue
                if g.kind(nxt) in _EXPOSED_KINDS:
                    found.setdefault((nxt, f"{e.target} {e.protocol}/{port}"), (*path, nxt))
                else:
                    stack.append((*path, nxt))
    for node, exposure in internet_exposure(g).items():
        direct = exposure.direct_path
        if direct is not None and len(direct) > 2 and g.kind(node) in _EXPOSED_KINDS:
            found[(node, "direct")] = direct  # through an internet gateway and a public subnet
    return found


def _grants(g: SystemGraph) -> dict[str, frozenset[Privilege]]:
    from policies.queries import effective_grants

    holders = sorted(n for n, k in g.nodes(data="kind") if k in ("principal", "identity"))
    return {
        holder: frozenset((e.target, e.access.value) for e in effective_grants(g, holder))
        for holder in holders
    }


def _principals(g: SystemGraph) -> dict[str, PrincipalFacts]:
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


def _escalations(g: SystemGraph) -> dict[tuple[str, str], tuple[str, ...]]:
    from policies.queries import escalation_paths

    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for e in escalation_paths(g):
        reaches = ANY_IDENTITY if e.reaches == "*" else e.reaches
        path = tuple(ANY_IDENTITY if hop == "*" else hop for hop in e.path)
        found.setdefault((e.principal, reaches), (*path[:-1], f"{path[-1]} ({e.how})"))
    return found


def _budgets(g: SystemGraph) -> dict[str, tuple[float, float | None]]:
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
