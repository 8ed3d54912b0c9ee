"""NetworkPolicy rules of one workload, derived from the blueprint's call graph.

Each workload's policy selects its own pods and lists both policy types, so everything not
allowed here is denied: ingress from the pods of its callers (bp.callers_of) on its port, from
outside where it is exposed, and from Prometheus on its metrics port; egress to its callees'
pods on their ports and to the cluster DNS.
"""

from __future__ import annotations

from typing import Any

from blueprint.model import (
    Blueprint,
    FirewallRule,
    HttpIngress,
    Platform,
    ResourceKind,
    Service,
)

NAME_LABEL = "app.kubernetes.io/name"
# Resources a pod never connects to itself: the kubelet pulls images and Secrets are mounted.
_NOT_CONNECTED = frozenset({ResourceKind.REGISTRY, ResourceKind.SECRET_STORE})

Rule = dict[str, Any]


def _pods(name: str) -> dict[str, Any]:
    return {"podSelector": {"matchLabels": {NAME_LABEL: name}}}


def _tcp(port: int) -> dict[str, Any]:
    return {"port": port, "protocol": "TCP"}


def _on_kubernetes(bp: Blueprint, name: str) -> bool:
    return bp.workloads()[name].platform is Platform.KUBERNETES


DNS_EGRESS: Rule = {
    "to": [
        {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
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


def _firewall_rule(rule: FirewallRule) -> Rule:
    protocol = rule.protocol.upper()
    return {
        "from": [{"ipBlock": {"cidr": rule.cidr}}],
        "ports": [{"port": p, "protocol": protocol} for p in rule.ports],
    }


def ingress_rules(bp: Blueprint, name: str) -> list[Rule]:
    workload = bp.workloads()[name]
    if not isinstance(workload, Service):
        return []  # workers and cron jobs serve no port
    rules: list[Rule] = []
    callers = [c for c in bp.callers_of(name) if _on_kubernetes(bp, c) and c != name]
    if callers:
        rules.append({"from": [_pods(c) for c in callers], "ports": [_tcp(workload.port)]})
    routed_by = [bp.ingress[i] for i in bp.ingress_to(name)]
    if any(isinstance(i, HttpIngress) for i in routed_by):
        # The ingress controller's namespace is not in the blueprint: any pod in the cluster.
        rules.append({"from": [{"namespaceSelector": {}}], "ports": [_tcp(workload.port)]})
    external = workload.expose.type != "cluster-ip" or any(
        not isinstance(i, HttpIngress) for i in routed_by
    )
    if workload.allow_from:
        rules.extend(_firewall_rule(r) for r in workload.allow_from)
    elif external:
        # Exposed on the nodes or a cloud load balancer without declared sources: anyone.
        rules.append({"ports": [_tcp(workload.port)]})
    if workload.metrics is not None:
        metrics_port = workload.metrics.port or workload.port
        rules.append({"from": [PROMETHEUS_PEER], "ports": [_tcp(metrics_port)]})
    return rules


def egress_rules(bp: Blueprint, name: str) -> list[Rule]:
    workload = bp.workloads()[name]
    rules: list[Rule] = [DNS_EGRESS]
    unaddressed = False
    for callee in sorted({c.service for c in workload.calls} - {name}):
        target = bp.services[callee]
        if target.platform is Platform.KUBERNETES:
            rules.append({"to": [_pods(callee)], "ports": [_tcp(target.port)]})
        else:
            unaddressed = True
    if any(bp.resources[u.resource].kind not in _NOT_CONNECTED for u in workload.uses):
        unaddressed = True
    if unaddressed:
        # Managed resources and services on other platforms have no address in the
        # blueprint, so a workload that reaches them may reach any destination.
        rules.append({})
    return rules
