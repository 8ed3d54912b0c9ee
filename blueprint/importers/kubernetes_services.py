"""Kubernetes manifests -> blueprint, what reaches and scales the imported workloads: Services
(port, exposure), Ingresses (HTTP entry points), NetworkPolicies (calls), HPAs (scaling)."""

from __future__ import annotations

from typing import Any

from blueprint.importers import common
from blueprint.importers.common import Draft
from blueprint.model.base import NAME_RE

Manifest = dict[str, Any]


def name_of(obj: Manifest) -> str:
    return str((obj.get("metadata") or {}).get("name", "unnamed"))


def ref_of(obj: Manifest) -> str:
    return f"{obj.get('kind')}/{name_of(obj)}"


def _selects(selector: dict[str, str], pod_labels: dict[str, str]) -> bool:
    return bool(selector) and all(pod_labels.get(k) == v for k, v in selector.items())


def service(
    draft: Draft, obj: Manifest, labels: dict[str, dict[str, str]], by_service: dict[str, str]
) -> None:
    spec = obj.get("spec") or {}
    selector = dict(spec.get("selector") or {})
    targets = [w for w, pod in labels.items() if _selects(selector, pod)]
    if len(targets) != 1 or targets[0] not in draft.services:
        draft.note(ref_of(obj), "selects no single Deployment or StatefulSet; not carried over")
        return
    workload = targets[0]
    by_service[name_of(obj)] = workload
    service = draft.services[workload]
    ports = list(spec.get("ports") or [])
    if ports:
        target = ports[0].get("targetPort", ports[0].get("port"))
        if isinstance(target, int):
            service.setdefault("port", target)
            if service["port"] != target:
                draft.note(
                    ref_of(obj),
                    f"targetPort {target} differs from the container port {service['port']}; kept "
                    f"{service['port']}",
                )
        if ports[0].get("port") != target:
            draft.note(
                ref_of(obj),
                f"port {ports[0].get('port')} not carried over: the blueprint's Service listens "
                "on the container port",
            )
        for extra in ports[1:]:
            draft.note(
                ref_of(obj), f"port {extra.get('port')} not carried over: a service has one port"
            )
    kind = spec.get("type", "ClusterIP")
    if kind == "NodePort":
        expose: dict[str, Any] = {"type": "node-port"}
        node_port = ports[0].get("nodePort") if ports else None
        if isinstance(node_port, int) and 30000 <= node_port <= 32767:
            expose["node_port"] = node_port
        # The internet reaches a NodePort on the node port, not the container port.
        service["expose"] = _entry_point(draft, obj, expose, expose.get("node_port"))
    elif kind == "LoadBalancer":
        expose = {"type": "load-balancer"}
        service["expose"] = _entry_point(draft, obj, expose, service.get("port"))
    elif kind != "ClusterIP":
        draft.note(ref_of(obj), f"type {kind} not carried over")


def _entry_point(
    draft: Draft, obj: Manifest, expose: dict[str, Any], port: object
) -> dict[str, Any]:
    """A NodePort or LoadBalancer Service is its author's decision to expose the workload: it is
    carried over as a declared entry point (so the rules report only other paths), and the report
    asks for the review that the declaration stands for."""
    if not isinstance(port, int):
        return expose
    kind = obj.get("spec", {}).get("type")
    expose["entry_point"] = {
        "ports": [port],
        "reason": f"imported from a type {kind} Service; review before relying on it",
    }
    draft.note(
        ref_of(obj),
        f"type {kind} declared as an entry point on port {port}: review expose.entry_point",
    )
    return expose


def hpa(draft: Draft, obj: Manifest, names: dict[str, str]) -> None:
    spec = obj.get("spec") or {}
    ref = spec.get("scaleTargetRef") or {}
    target = names.get(f"{ref.get('kind')}/{ref.get('name')}")
    low, high = spec.get("minReplicas", 1), spec.get("maxReplicas")
    if (
        target not in draft.services
        or not isinstance(high, int)
        or not isinstance(low, int)
        or not 0 <= low <= high <= 1000
        or high < 1
    ):
        draft.note(
            ref_of(obj),
            "scales no imported Deployment or StatefulSet within 0..1000; not carried over",
        )
        return
    scaling: dict[str, Any] = {"min": low, "max": high}
    for metric in spec.get("metrics") or ():
        resource = metric.get("resource") or {}
        utilisation = (resource.get("target") or {}).get("averageUtilization")
        if (
            resource.get("name") == "cpu"
            and isinstance(utilisation, int)
            and 1 <= utilisation <= 100
        ):
            scaling["cpu_target_percent"] = utilisation
        else:
            draft.note(
                ref_of(obj),
                f"metric {metric.get('type')} {resource.get('name')} not carried over: scaling "
                "follows CPU",
            )
    draft.services[target]["scaling"] = scaling


def ingress(draft: Draft, obj: Manifest, by_service: dict[str, str]) -> None:
    spec = obj.get("spec") or {}
    rules = list(spec.get("rules") or [])
    tls = list(spec.get("tls") or [])
    for index, rule in enumerate(rules):
        routes: dict[str, str] = {}
        for path in ((rule.get("http") or {}).get("paths")) or ():
            backend = ((path.get("backend") or {}).get("service")) or {}
            workload = by_service.get(str(backend.get("name")))
            route = str(path.get("path", "/")) or "/"
            if workload is None or not route.startswith("/") or " " in route:
                draft.note(
                    ref_of(obj),
                    f"path {route} to {backend.get('name')} not carried over: no imported service "
                    "behind it",
                )
                continue
            routes[route] = workload
        if not routes:
            continue
        name = draft.claim(
            name_of(obj) if index == 0 else f"{name_of(obj)}-{index + 1}", ref_of(obj)
        )
        entry: dict[str, Any] = {"kind": "http", "public": True, "routes": routes}
        host = rule.get("host")
        if isinstance(host, str) and common.HOST.match(host):
            entry["host"] = host
            secrets = [t.get("secretName") for t in tls if host in (t.get("hosts") or ())]
            if secrets and isinstance(secrets[0], str) and NAME_RE.match(secrets[0]):
                entry["tls_secret"] = secrets[0]
        elif host:
            draft.note(ref_of(obj), f"host {host!r} not carried over: not a plain host name")
        draft.ingress[name] = entry
    if spec.get("ingressClassName"):
        draft.note(ref_of(obj), f"ingressClassName {spec['ingressClassName']} not carried over")


def network_policy(draft: Draft, obj: Manifest, labels: dict[str, dict[str, str]]) -> None:
    """A policy admitting pods of workload A into workload B says A calls B."""
    spec = obj.get("spec") or {}
    selector = dict((spec.get("podSelector") or {}).get("matchLabels") or {})
    targets = [w for w, pod in labels.items() if _selects(selector, pod)]
    carried = False
    for rule in spec.get("ingress") or ():
        for peer in rule.get("from") or ():
            match = dict((peer.get("podSelector") or {}).get("matchLabels") or {})
            sources = [w for w, pod in labels.items() if _selects(match, pod)]
            if not sources or "namespaceSelector" in peer or "ipBlock" in peer:
                draft.note(
                    ref_of(obj),
                    f"peer {peer} not carried over: only pods of imported workloads become calls",
                )
                continue
            for source in sources:
                for target in targets:
                    if target not in draft.services or source == target:
                        continue
                    section = draft.services if source in draft.services else draft.jobs
                    calls = section[source].setdefault("calls", [])
                    if {"service": target} not in calls:
                        calls.append({"service": target})
                    carried = True
    if spec.get("egress"):
        draft.note(
            ref_of(obj), "egress rules not carried over: the blueprint derives egress from calls"
        )
    if not carried:
        draft.note(ref_of(obj), "admits no imported workload from another; not carried over")
