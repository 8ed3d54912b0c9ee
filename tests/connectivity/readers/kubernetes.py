"""The Kubernetes reader: NetworkPolicies, Services and Ingresses back into connections.

It reads the plain manifests (`kubernetes/manifests/*.yaml`, the same objects the chart
renders: a test keeps the two equal) and knows only Kubernetes semantics:

- a pod is named by its `app.kubernetes.io/name` label; it is `services.<name>` when its
  workload object's `app.kubernetes.io/component` label says service (with or without a
  Service selecting it: a service may serve no port), else `jobs.<name>`;
- a connection from pod A to pod B on port P is allowed when B's policy admits A on P (a
  podSelector peer) AND A's policy lets it out to B on P (a podSelector peer, or an egress
  rule without `to` and `ports`, which admits everything);
- an ingress rule without `from` admits anyone (`internet`); an ipBlock admits its CIDR
  (`internet` when it is a public range, else `private-network`);
- a peer of any namespace with the label app.kubernetes.io/name=prometheus is `monitoring`;
- a peer of every namespace except the system's is the ingress controller (or the Gateway's
  data plane): it carries, for each Ingress or HTTPRoute whose backend is the pod's Service,
  the connection
  `ingress.<ingress name>` -> the pod on the backend Service port;
- a Service of type NodePort or LoadBalancer is a way in from outside the cluster, which is a
  connection only where the pod's policy admits an outside source.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from ipaddress import ip_network
from typing import Any

import yaml

from blueprint.model import Platform
from blueprint.subjects import INTERNET, MONITORING, PRIVATE_NETWORK
from blueprint.view import Connection, Reason, SystemView
from tests.connectivity.compare import Key

NAME = "app.kubernetes.io/name"
NAMESPACE = "kubernetes.io/metadata.name"
COMPONENT = "app.kubernetes.io/component"
_WORKLOAD_KINDS = frozenset({"Deployment", "StatefulSet", "CronJob"})
Obj = dict[str, Any]
ANY_PORT = -1  # a rule without `ports`


@dataclass
class _Cluster:
    namespace: str = ""
    services: dict[str, Obj] = field(default_factory=dict)  # pod name -> Service
    policies: dict[str, Obj] = field(default_factory=dict)  # pod name -> NetworkPolicy spec
    ingresses: list[Obj] = field(default_factory=list)
    components: dict[str, str] = field(default_factory=dict)  # pod name -> its component

    def subject(self, pod: str) -> str:
        return f"services.{pod}" if self.components.get(pod) == "service" else f"jobs.{pod}"


def _objects(files: Mapping[str, str]) -> Iterator[Obj]:
    for path, text in sorted(files.items()):
        if path.startswith("kubernetes/manifests/") and path != (
            "kubernetes/manifests/kustomization.yaml"
        ):
            yield from (o for o in yaml.safe_load_all(text) if o)


def _cluster(files: Mapping[str, str]) -> _Cluster:
    cluster = _Cluster()
    for obj in _objects(files):
        kind, meta = obj["kind"], obj["metadata"]
        if kind in _WORKLOAD_KINDS:
            cluster.components[meta["labels"][NAME]] = meta["labels"][COMPONENT]
        elif kind == "Service" and meta["labels"].get(COMPONENT) != "headless":
            cluster.services[obj["spec"]["selector"][NAME]] = obj
        elif kind == "NetworkPolicy":
            pod = obj["spec"]["podSelector"]["matchLabels"][NAME]
            cluster.policies[pod] = obj["spec"]
            cluster.namespace = meta["namespace"]
        elif kind in ("Ingress", "HTTPRoute"):
            cluster.ingresses.append(obj)
    return cluster


def _ports(rule: Obj) -> list[tuple[int, str]]:
    if "ports" not in rule:
        return [(ANY_PORT, "tcp")]
    return [(int(p["port"]), str(p["protocol"]).lower()) for p in rule["ports"]]


def _pod_peer(peer: Obj) -> str | None:
    """The pod name a same-namespace podSelector peer names."""
    if "namespaceSelector" in peer or "ipBlock" in peer:
        return None
    return str(peer["podSelector"]["matchLabels"][NAME])


def _is_prometheus(peer: Obj) -> bool:
    return peer.get("namespaceSelector") == {} and peer.get("podSelector") == {
        "matchLabels": {NAME: "prometheus"}
    }


def _is_other_namespaces(peer: Obj, namespace: str) -> bool:
    expected = [{"key": NAMESPACE, "operator": "NotIn", "values": [namespace]}]
    return peer == {"namespaceSelector": {"matchExpressions": expected}}


def _egress_allows(cluster: _Cluster, source: str, destination: str, port: int) -> bool:
    for rule in cluster.policies.get(source, {}).get("egress", []):
        ports = {p for p, _ in _ports(rule)}
        if "to" not in rule:
            if ANY_PORT in ports or port in ports:
                return True
            continue
        if any(_pod_peer(peer) == destination for peer in rule["to"]) and (
            ANY_PORT in ports or port in ports
        ):
            return True
    return False


def _ingress_sources(cluster: _Cluster, pod: str, peer: Obj, port: int) -> set[str]:
    """The sources one ingress peer of `pod`'s policy admits on `port`."""
    if "ipBlock" in peer:
        cidr = peer["ipBlock"]["cidr"]
        return {PRIVATE_NETWORK if ip_network(cidr).is_private else INTERNET}
    if _is_prometheus(peer):
        return {MONITORING}
    if _is_other_namespaces(peer, cluster.namespace):
        return {f"ingress.{i}" for i in _ingress_names(cluster, pod)}
    source = _pod_peer(peer)
    if source is None:
        raise AssertionError(f"a peer the reader cannot name: {peer}")
    if not _egress_allows(cluster, source, pod, port):
        return set()
    return {cluster.subject(source)}


def _ingress_names(cluster: _Cluster, pod: str) -> list[str]:
    """The blueprint ingress names of the Ingress objects routing to `pod`'s Service; an
    Ingress object is named `<ingress>-<service>`."""
    names = []
    for obj in cluster.ingresses:
        backends = (
            {ref["name"] for rule in obj["spec"]["rules"] for ref in rule["backendRefs"]}
            if obj["kind"] == "HTTPRoute"
            else {
                path["backend"]["service"]["name"]
                for rule in obj["spec"]["rules"]
                for path in rule["http"]["paths"]
            }
        )
        if pod in backends:
            names.append(obj["metadata"]["name"].removesuffix(f"-{pod}"))
    return names


def allowed(files: Mapping[str, str]) -> set[Key]:
    cluster = _cluster(files)
    found: set[Key] = set()
    for pod, spec in cluster.policies.items():
        destination = cluster.subject(pod)
        for rule in spec.get("ingress", []):
            for port, protocol in _ports(rule):
                assert port != ANY_PORT, f"{pod}: an ingress rule without ports admits any port"
                peers = rule.get("from")
                sources = (
                    {INTERNET}
                    if peers is None
                    else set().union(*(_ingress_sources(cluster, pod, p, port) for p in peers))
                )
                found.update((s, destination, port, protocol) for s in sources)
    return found


class KubernetesReader:
    target = "kubernetes"

    def read(self, files: Mapping[str, str]) -> set[Key]:
        return allowed(files)

    def in_scope(self, view: SystemView, connection: Connection) -> bool:
        """Connections into Kubernetes pods from what a NetworkPolicy can name: other pods of
        the system, the outside (internet or private ranges), Prometheus, and HTTP ingress
        (the cluster's ingress controller). Health checks come from the kubelet, which
        NetworkPolicies do not govern; a caller on another platform is not a pod (the check
        BP2008 reports such calls)."""
        on_kubernetes = set(view.workloads_on(Platform.KUBERNETES))
        destination = connection.destination.split(".", 1)[-1]
        if destination not in on_kubernetes or connection.reason is Reason.HEALTH_CHECK:
            return False
        if connection.source == connection.destination:
            return False  # a pod reaching itself is never policed
        source_kind, _, source = connection.source.partition(".")
        if source_kind in ("services", "jobs"):
            return source in on_kubernetes
        if source_kind == "ingress":
            return view.blueprint.ingress[source].kind == "http"
        return connection.source in (INTERNET, PRIVATE_NETWORK, MONITORING)


_SERVICE_TYPES = {"NodePort": "node-port", "LoadBalancer": "load-balancer-service"}


def service_ways_in(files: Mapping[str, str]) -> set[tuple[str, str, int]]:
    """(service, way in, port) of every Service of type NodePort or LoadBalancer: the port its
    pods receive the traffic on (the target port of the Service's `http` port)."""
    cluster = _cluster(files)
    found: set[tuple[str, str, int]] = set()
    for pod, svc in cluster.services.items():
        kind = _SERVICE_TYPES.get(svc["spec"]["type"])
        if kind is not None:
            for port in svc["spec"]["ports"]:
                if port["name"] == "http":
                    found.add((cluster.subject(pod), kind, int(port["port"])))
    return found
