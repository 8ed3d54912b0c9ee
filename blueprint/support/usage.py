"""Where a blueprint uses each concept of the support matrix, and on which target."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from blueprint.errors import Path
from blueprint.model import (
    Access,
    ApiGateway,
    Blueprint,
    Cloud,
    EventTrigger,
    Grant,
    HttpIngress,
    LoadBalancer,
    ScheduleTrigger,
)
from blueprint.model.workloads import Job, Service
from blueprint.support.matrix import BY_ID, Cell, grant_cell

HTTPS = 443


@dataclass(frozen=True)
class Usage:
    concept: str  # a concept id of the matrix, or "grant" with its own cell
    target: str
    subject: str  # dotted, as messages name it: resources.db
    path: Path  # where it is positioned
    at_key: bool = True
    # For grants, whose cell depends on the kind and the access: the cell and what it is.
    cell: Cell | None = None
    title: str = ""


def usages(bp: Blueprint) -> Iterator[Usage]:
    yield from _workloads(bp)
    yield from _resources(bp)
    yield from _networks(bp)
    yield from _ingress(bp)
    yield from _grants(bp)


def _workloads(bp: Blueprint) -> Iterator[Usage]:
    for section, entries in (("services", bp.services), ("jobs", bp.jobs)):
        for name, w in entries.items():
            base = (section, name)
            subject = f"{section}.{name}"
            target = w.platform.value
            if isinstance(w, Job):
                trigger = (
                    "job-schedule"
                    if isinstance(w.trigger, ScheduleTrigger)
                    else "job-event"
                    if isinstance(w.trigger, EventTrigger)
                    else "job-topic"
                )
                yield Usage(trigger, target, subject, (*base, "trigger"))
            if w.secrets:
                yield Usage("secrets", target, subject, (*base, "secrets"))
            if w.subnets:
                yield Usage("subnets", target, subject, (*base, "subnets"))
            if not isinstance(w, Service):
                continue
            yield Usage("service", target, subject, (*base, "platform"), at_key=False)
            for concept, key, used in (
                ("health", "health", w.health is not None),
                ("metrics", "metrics", w.metrics is not None),
                ("scaling", "scaling", w.scaling is not None),
                ("service-allow-from", "allow_from", bool(w.allow_from)),
            ):
                if used:
                    yield Usage(concept, target, subject, (*base, key))
            if w.expose.type != "cluster-ip":
                yield Usage("expose", target, subject, (*base, "expose"))


def _resources(bp: Blueprint) -> Iterator[Usage]:
    for name, res in bp.resources.items():
        cloud = bp.resource_cloud(name)
        if cloud is None:
            continue
        base = ("resources", name)
        subject = f"resources.{name}"
        kind = f"resource-{res.kind.value}"
        yield Usage(kind, cloud.value, subject, base)
        if BY_ID[kind].cells[cloud.value].status == "refused":
            continue  # the kind itself is refused, which says it all
        if res.broker is not None:
            yield Usage("resource-topic-on-broker", cloud.value, subject, (*base, "broker"))
        if res.public:
            yield Usage("resource-public", cloud.value, subject, (*base, "public"))
        if res.subnets:
            yield Usage("resource-subnets", cloud.value, subject, (*base, "subnets"))


def _networks(bp: Blueprint) -> Iterator[Usage]:
    for name, net in bp.networks.items():
        cloud = bp.network_cloud(name)
        if cloud is None:
            continue
        base = ("networks", name)
        subject = f"networks.{name}"
        yield Usage("network", cloud.value, subject, base)
        if net.nat is not None:
            yield Usage("nat", cloud.value, subject, (*base, "nat"))
        if net.peers:
            yield Usage("peering", cloud.value, subject, (*base, "peers"))


def ingress_clouds(bp: Blueprint, name: str) -> set[Cloud]:
    """The clouds an ingress point lives in: those of the services it reaches, directly or
    through other ingress, and of the network its subnets are in."""
    clouds: set[Cloud] = set()
    seen: set[str] = set()
    frontier = [name]
    while frontier:
        current = frontier.pop()
        if current in seen:
            continue
        seen.add(current)
        ing = bp.ingress.get(current)
        if ing is None:
            continue
        if isinstance(ing, LoadBalancer):
            for subnet in ing.subnets:
                network = bp.subnet_network(subnet)
                cloud = bp.network_cloud(network) if network else None
                if cloud is not None and cloud is not Cloud.KUBERNETES:
                    clouds.add(cloud)
        targets = ing.forwards.values() if isinstance(ing, LoadBalancer) else ing.routes.values()
        for target in targets:
            svc = bp.services.get(target)
            if svc is not None:
                clouds.add(svc.platform.cloud)
            else:
                frontier.append(target)
    return clouds


def _ingress(bp: Blueprint) -> Iterator[Usage]:
    for name, ing in bp.ingress.items():
        base = ("ingress", name)
        subject = f"ingress.{name}"
        for cloud in sorted(ingress_clouds(bp, name)):
            target = cloud.value
            yield Usage(f"ingress-{ing.kind}", target, subject, base)
            if isinstance(ing, HttpIngress):
                if ing.host is not None:
                    yield Usage("ingress-host", target, subject, (*base, "host"))
                if ing.tls_secret is not None:
                    yield Usage("ingress-tls-secret", target, subject, (*base, "tls_secret"))
            if isinstance(ing, LoadBalancer) and not ing.internal and HTTPS in ing.forwards:
                yield Usage("ingress-https", target, subject, (*base, "forwards", HTTPS))
            if not ing.public and not isinstance(ing, LoadBalancer):
                yield Usage("ingress-private", target, subject, (*base, "public"))
            if ing.allow_from:
                concept = "api-allow-from" if isinstance(ing, ApiGateway) else "ingress-allow-from"
                yield Usage(concept, target, subject, (*base, "allow_from"))
            if isinstance(ing, ApiGateway) and ing.auth is not None:
                yield Usage("api-auth", target, subject, (*base, "auth"))


def _grants(bp: Blueprint) -> Iterator[Usage]:
    workloads = bp.workloads()
    for name, w in workloads.items():
        section = "services" if name in bp.services else "jobs"
        principal = bp.service_principal(name)
        held: list[tuple[Path, Grant]]
        if principal is None:
            held = [
                ((section, name, "uses", i), Grant(resource=u.resource, access=u.access))
                for i, u in enumerate(w.uses)
            ]
        else:
            held = _principal_grants(bp, principal)
        for grant_path, grant in held:
            yield from _grant(bp, w.platform.cloud.value, grant_path, grant)
    declared = bp.declared_clouds()
    for pname, p in bp.identity.principals.items():
        if p.kind not in {"human", "automation"}:
            if p.can_assume:
                yield from _can_assume(pname, declared)
            continue
        if p.can_assume:
            yield from _can_assume(pname, declared)
        for path, grant in _principal_grants(bp, pname):
            cloud = _grant_cloud(bp, grant)
            if cloud is None:
                continue
            subject = _subject(path)
            if cloud != "aws":
                yield Usage("people", cloud, subject, path)
            else:
                yield from _grant(bp, "aws", path, grant)


def _can_assume(name: str, declared: tuple[Cloud, ...]) -> Iterator[Usage]:
    path = ("identity", "principals", name, "can_assume")
    for cloud in declared:
        yield Usage("can-assume", cloud.value, f"identity.principals.{name}", path)


def _principal_grants(bp: Blueprint, principal: str) -> list[tuple[Path, Grant]]:
    p = bp.identity.principals[principal]
    held: list[tuple[Path, Grant]] = [
        (("identity", "principals", principal, "grants", i), g) for i, g in enumerate(p.grants)
    ]
    for scope in p.scopes:
        if scope in bp.identity.scopes:
            held += [
                (("identity", "scopes", scope, "grants", i), g)
                for i, g in enumerate(bp.identity.scopes[scope].grants)
            ]
    return held


def _grant_cloud(bp: Blueprint, grant: Grant) -> str | None:
    if grant.resource in bp.resources:
        cloud = bp.resource_cloud(grant.resource)
        return cloud.value if cloud else None
    workload = bp.workloads().get(grant.resource)
    if workload is not None:
        return workload.platform.cloud.value
    return None  # "*": wherever the holder is


def _subject(path: Path) -> str:
    return ".".join(str(p) for p in path[:-2]) + f".grants[{path[-1]}]"


def _grant(bp: Blueprint, target: str, path: Path, grant: Grant) -> Iterator[Usage]:
    subject = (
        ".".join(str(p) for p in path[:2]) + f".{path[2]}[{path[3]}]"
        if path[0] in {"services", "jobs"}
        else _subject(path)
    )
    where = _grant_cloud(bp, grant)
    if grant.resource == "*" or (grant.access is Access.ANY and target != "aws"):
        yield Usage("wildcard-grant", target, subject, path, at_key=False)
        return
    if where is None:
        return
    if where != target:
        yield Usage("cross-cloud-grant", target, subject, path, at_key=False)
        return
    res = bp.resources.get(grant.resource)
    kind = res.kind if res is not None else None
    if kind is not None and BY_ID[f"resource-{kind.value}"].cells[target].status == "refused":
        return  # the resource itself is refused, which says it all
    what = f"kind {kind.value}" if kind is not None else "a workload"
    yield Usage(
        "grant",
        target,
        subject,
        path,
        at_key=False,
        cell=grant_cell(target, kind, grant.access),
        title=f"access {grant.access.value!r} on {what}",
    )
