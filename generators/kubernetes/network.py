"""NetworkPolicy rules of one workload, read from the system view's connections and exposures.

Each workload's policy selects its own pods and lists both policy types, so everything not
allowed here is denied: ingress from the pods of its callers on its port, from the ingress
controller (any pod outside the system's namespace) where an HTTP ingress routes to it, from
the sources of each way in the view gives it (a NodePort, a LoadBalancer, a load balancer
outside the cluster, its own allow_from), and from Prometheus on its metrics port; egress to
its callees' pods on their ports, to the cluster DNS, and to the declared endpoint (CIDR and
port) of each external resource it uses.
"""

from __future__ import annotations

from typing import Any

from blueprint.model import HttpIngress, Platform, ResourceKind, Service
from blueprint.subjects import service_id
from blueprint.view import ANYWHERE, Exposure, ExposureKind, SystemView
from generators.kubernetes.connections import endpoint_of

NAME_LABEL = "app.kubernetes.io/name"
NAMESPACE_LABEL = "kubernetes.io/metadata.name"
# Resources a pod never connects to itself: the kubelet pulls images and Secrets are mounted.
_NOT_CONNECTED = frozenset({ResourceKind.REGISTRY, ResourceKind.SECRET_STORE})
# The ways in a service's own NetworkPolicy admits (public ingress and subnets are not its own).
_OWN_WAYS_IN = frozenset(
    {
        ExposureKind.NODE_PORT,
        ExposureKind.LOAD_BALANCER_SERVICE,
        ExposureKind.EXTERNAL_INGRESS,
        ExposureKind.ALLOW_FROM,
    }
)

Rule = dict[str, Any]


def _pods(name: str) -> dict[str, Any]:
    return {"podSelector": {"matchLabels": {NAME_LABEL: name}}}


def _tcp(port: int) -> dict[str, Any]:
    return _port(port, "tcp")


def _port(port: int, protocol: str) -> dict[str, Any]:
    return {"port": port, "protocol": protocol.upper()}


def other_namespaces(namespace: str) -> dict[str, Any]:
    """Every pod outside `namespace`: where the ingress controller runs, which the blueprint does
    not name; the system's own pods stay denied unless they call the service."""
    return {
        "namespaceSelector": {
            "matchExpressions": [
                {"key": NAMESPACE_LABEL, "operator": "NotIn", "values": [namespace]}
            ]
        }
    }


DNS_EGRESS: Rule = {
    "to": [
        {
            "namespaceSelector": {"matchLabels": {NAMESPACE_LABEL: "kube-system"}},
            "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
        }
    ],
    "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}],
}

# Prometheus (prometheus-operator labels its pods so) in any namespace may scrape metrics.
PROMETHEUS_PEER: dict[str, Any] = {
    "namespaceSelector": {},
    "podSelector": {"matchLabels": {NAME_LABEL: "prometheus"}},
}


def _way_in(exposure: Exposure) -> Rule:
    assert exposure.port is not None  # a service's own ways in are on its ports
    ports = [{"port": exposure.port, "protocol": exposure.protocol.upper()}]
    if exposure.sources == ANYWHERE:
        return {"ports": ports}  # no `from`: anyone
    return {"from": [{"ipBlock": {"cidr": cidr}} for cidr in exposure.sources], "ports": ports}


def namespace_of(view: SystemView) -> str:
    kubernetes = view.blueprint.platforms.kubernetes
    return kubernetes.namespace if kubernetes else "default"


def ingress_rules(view: SystemView, name: str) -> list[Rule]:
    bp = view.blueprint
    workload = view.workload(name)
    if not isinstance(workload, Service):
        return []  # workers and cron jobs serve no port
    rules: list[Rule] = []
    callers_by_port: dict[tuple[int, str], set[str]] = {}
    for caller in view.callers_of(name):
        if caller == name or view.workload(caller).platform is not Platform.KUBERNETES:
            continue
        for call in view.workload(caller).calls:
            arrival = view.call_port(call) if call.service == name else None
            if arrival is not None:
                callers_by_port.setdefault(arrival, set()).add(caller)
    for (port, protocol), callers in sorted(callers_by_port.items()):
        rules.append(
            {"from": [_pods(c) for c in sorted(callers)], "ports": [_port(port, protocol)]}
        )
    if workload.port is not None and any(
        isinstance(bp.ingress[i], HttpIngress) for i in view.ingress_to(name)
    ):
        rules.append(
            {"from": [other_namespaces(namespace_of(view))], "ports": [_tcp(workload.port)]}
        )
    for exposure in view.exposures_of(service_id(name)):
        if exposure.kind in _OWN_WAYS_IN:
            rules.append(_way_in(exposure))
    metrics_port = view.metrics_port(name)
    if metrics_port is not None:
        rules.append({"from": [PROMETHEUS_PEER], "ports": [_tcp(metrics_port)]})
    return rules


def egress_rules(view: SystemView, name: str) -> list[Rule]:
    bp = view.blueprint
    workload = view.workload(name)
    rules: list[Rule] = [DNS_EGRESS]
    unaddressed = False
    for callee in sorted({c.service for c in workload.calls} - {name}):
        target = bp.services[callee]
        if target.platform is Platform.KUBERNETES:
            arrivals = {view.call_port(c) for c in workload.calls if c.service == callee}
            ports = [_port(*a) for a in sorted(a for a in arrivals if a is not None)]
            rules.append({"to": [_pods(callee)], "ports": ports})
        else:
            unaddressed = True
    external: set[tuple[str | None, int]] = set()
    for use in workload.uses:
        if bp.resources[use.resource].kind in _NOT_CONNECTED:
            continue
        endpoint = endpoint_of(bp, use.resource)
        if endpoint is None:
            unaddressed = True
        else:
            external.add((endpoint.cidr, endpoint.port))
    if unaddressed:
        # Managed resources and services on other platforms have no address in the
        # blueprint, so a workload that reaches them may reach any destination.
        rules.append({})
        return rules
    # An external endpoint's port on its CIDR, or on any address: a NetworkPolicy cannot name
    # a host.
    for cidr, port in sorted(external, key=lambda e: (e[0] or "", e[1])):
        rule: Rule = {"ports": [_tcp(port)]}
        if cidr is not None:
            rule = {"to": [{"ipBlock": {"cidr": cidr}}], **rule}
        rules.append(rule)
    return rules
