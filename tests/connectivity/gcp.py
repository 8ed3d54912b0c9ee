"""Reading the GCP render back: each Cloud Run service's ingress setting, VPC egress, port and
probes (Terraform, python-hcl2; the Knative YAML must say the same), and its `run.invoker`
bindings, into the connections they allow.

A request reaches a Cloud Run service when its network path is admitted by the ingress
setting and its identity holds `roles/run.invoker`:

- `allUsers` on a service whose ingress is `all`: the internet;
- a caller's service account: that caller, when the ingress is `all` or the caller's requests
  enter the VPC: Direct VPC egress routing all traffic, or private ranges only on a network
  whose private `run.app` zone resolves to the Private Google Access addresses (and Private
  Google Access on the caller's subnet); otherwise its request arrives from the internet and
  an internal service refuses it;
- `allUsers` on a service with ingress `internal-and-cloud-load-balancing` that is the
  serverless NEG of a global external Application Load Balancer (a forwarding rule, a proxy, a
  URL map, a backend service): the internet, through the load balancer;
- Pub/Sub's push identity on a service a push subscription delivers to: the subscription's
  topic (`resources.<topic>`);
- ingress `all` or `internal-and-cloud-load-balancing`: the load balancers in front, written
  `LOAD_BALANCER`, carrying their clients' identities;
- the startup and liveness probes: the platform, on the probe port.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from blueprint.subjects import INTERNET, PLATFORM, resource_id, service_id
from tests.connectivity.model import Readback
from tests.generators.gcp.terraform_support import of_type, resources

LOAD_BALANCER = "load-balancer"
_INGRESS = {
    "INGRESS_TRAFFIC_ALL": "all",
    "INGRESS_TRAFFIC_INTERNAL_ONLY": "internal",
    "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER": "internal-and-cloud-load-balancing",
}
_REF = re.compile(r"^\$\{google_[a-z0-9_]+\.([a-z0-9_]+)\.[a-z_]+\}$")
# private.googleapis.com: the Private Google Access addresses Direct VPC egress routes.
_PRIVATE_GOOGLE_ACCESS = {"199.36.153.8", "199.36.153.9", "199.36.153.10", "199.36.153.11"}
PUSH_LABEL = "pubsub__push"


@dataclass
class RunService:
    name: str
    ingress: str
    port: int
    vpc_all_traffic: bool
    enters_vpc: bool = False  # its requests to *.run.app leave through the VPC
    behind_external_lb: bool = False  # a serverless NEG of a global external load balancer
    probe_ports: set[int] = field(default_factory=set)
    invokers: set[str] = field(default_factory=set)  # service names, or "allUsers"
    pushed_from: set[str] = field(default_factory=set)  # topics pushed to it by Pub/Sub


def _label(expression: str) -> str:
    match = _REF.match(expression)
    assert match is not None, f"not a reference: {expression}"
    return match.group(1)


def read(files: dict[str, str]) -> dict[str, RunService]:
    found = resources({p: t for p, t in files.items() if p.startswith("gcp/terraform/")})
    services: dict[str, RunService] = {}
    labels: dict[str, str] = {}
    private_run = _networks_with_private_run_app(found)
    pga = {
        label
        for label, body in of_type(found, "google_compute_subnetwork").items()
        if body.get("private_ip_google_access") is True
    }
    for label, body in of_type(found, "google_cloud_run_v2_service").items():
        (template,) = body["template"]
        (container,) = template["containers"]
        vpc = template.get("vpc_access", [{}])[0]
        all_traffic = vpc.get("egress") == "ALL_TRAFFIC"
        private_dns = False
        if vpc.get("egress") == "PRIVATE_RANGES_ONLY":
            (interface,) = vpc["network_interfaces"]
            private_dns = (
                _label(interface["network"]) in private_run
                and _label(interface["subnetwork"]) in pga
            )
        svc = RunService(
            name=body["name"],
            ingress=_INGRESS[body["ingress"]],
            port=int(container["ports"][0]["container_port"]),
            vpc_all_traffic=all_traffic,
            enters_vpc=all_traffic or private_dns,
        )
        for probe in ("startup_probe", "liveness_probe"):
            for p in container.get(probe, []):
                svc.probe_ports.add(int(p["http_get"][0]["port"]))
        services[svc.name] = svc
        labels[label] = svc.name
        _agrees_with_knative(files, svc)
    for label in _external_lb_backends(found):
        services[labels[label]].behind_external_lb = True
    pushes = _push_subscriptions(found)
    for body in of_type(found, "google_cloud_run_v2_service_iam_member").values():
        if body["role"] != "roles/run.invoker":
            continue
        target = services[labels[_label(body["name"])]]
        member = body["member"]
        if member != "allUsers" and _label(member) == PUSH_LABEL:
            target.pushed_from |= pushes.get(_label(body["name"]), set())
            continue
        # A workload's account has the label of its Cloud Run service.
        target.invokers.add(member if member == "allUsers" else labels[_label(member)])
    return services


def _networks_with_private_run_app(found: dict[tuple[str, str], dict[str, Any]]) -> set[str]:
    """Network labels whose private run.app zone answers every name with Private Google
    Access addresses."""
    zones: dict[str, set[str]] = {}
    for label, body in of_type(found, "google_dns_managed_zone").items():
        if body["dns_name"] == "run.app." and body["visibility"] == "private":
            (config,) = body["private_visibility_config"]
            zones[label] = {_label(n["network_url"]) for n in config["networks"]}
    networks: set[str] = set()
    for body in of_type(found, "google_dns_record_set").values():
        match = _REF.match(body["managed_zone"])  # a host's record finds its zone by name
        zone = match.group(1) if match else None
        if (
            zone in zones
            and body["name"] == "*.run.app."
            and body["type"] == "A"
            and set(body["rrdatas"]) <= _PRIVATE_GOOGLE_ACCESS
        ):
            networks |= zones[zone]
    return networks


def _external_lb_backends(found: dict[tuple[str, str], dict[str, Any]]) -> set[str]:
    """Labels of the Cloud Run services a global external Application Load Balancer forwards
    to: forwarding rule -> HTTPS proxy -> URL map -> backend service -> serverless NEG."""
    negs = {
        label: _label(body["cloud_run"][0]["service"])
        for label, body in of_type(found, "google_compute_region_network_endpoint_group").items()
        if body["network_endpoint_type"] == "SERVERLESS"
    }
    backends = {
        label: {_label(b["group"]) for b in body["backend"]}
        for label, body in of_type(found, "google_compute_backend_service").items()
        if body["load_balancing_scheme"] == "EXTERNAL_MANAGED"
    }
    maps: dict[str, set[str]] = {}
    for label, body in of_type(found, "google_compute_url_map").items():
        used = {body["default_service"]} if "default_service" in body else set()
        for matcher in body.get("path_matcher", []):
            used.add(matcher["default_service"])
            used |= {rule["service"] for rule in matcher.get("path_rule", [])}
        maps[label] = {_label(u) for u in used}
    proxies = {
        label: _label(body["url_map"])
        for label, body in of_type(found, "google_compute_target_https_proxy").items()
    }
    reached: set[str] = set()
    for body in of_type(found, "google_compute_global_forwarding_rule").values():
        target = _label(body["target"])
        if body["load_balancing_scheme"] != "EXTERNAL_MANAGED" or target not in proxies:
            continue
        for backend in maps[proxies[target]]:
            reached |= {negs[g] for g in backends[backend] if g in negs}
    return reached


def _push_subscriptions(found: dict[tuple[str, str], dict[str, Any]]) -> dict[str, set[str]]:
    """Cloud Run service label -> the topics whose subscriptions push to it as PUSH_LABEL."""
    topics = {label: body["name"] for label, body in of_type(found, "google_pubsub_topic").items()}
    pushed: dict[str, set[str]] = {}
    for body in of_type(found, "google_pubsub_subscription").values():
        for push in body.get("push_config", []):
            (token,) = push["oidc_token"]
            if _label(token["service_account_email"]) != PUSH_LABEL:
                continue
            service = _label(push["push_endpoint"])
            pushed.setdefault(service, set()).add(topics[_label(body["topic"])])
    return pushed


def _agrees_with_knative(files: dict[str, str], svc: RunService) -> None:
    """The gcloud YAML deploys the same ingress, port and egress as the Terraform."""
    doc = yaml.safe_load(files[f"gcp/cloudrun/{svc.name}.yaml"])
    assert doc["metadata"]["annotations"]["run.googleapis.com/ingress"] == svc.ingress
    template = doc["spec"]["template"]
    egress = template["metadata"].get("annotations", {}).get("run.googleapis.com/vpc-access-egress")
    assert (egress == "all-traffic") == svc.vpc_all_traffic, (svc.name, egress)
    if not svc.vpc_all_traffic:
        assert egress in (None, "private-ranges-only"), (svc.name, egress)
    (container,) = template["spec"]["containers"]
    assert container["ports"][0]["containerPort"] == svc.port


def connections(services: dict[str, RunService]) -> Readback:
    out = Readback()
    for svc in services.values():
        sid = service_id(svc.name)
        for member in svc.invokers:
            if member == "allUsers":
                if svc.ingress == "all" or (
                    svc.ingress == "internal-and-cloud-load-balancing" and svc.behind_external_lb
                ):
                    out.connections.add((INTERNET, sid, svc.port, "tcp"))
                continue
            caller = services.get(member)
            if caller is None:
                out.connections.add((member, sid, svc.port, "tcp"))
            elif svc.ingress == "all" or caller.enters_vpc:
                out.connections.add((service_id(caller.name), sid, svc.port, "tcp"))
        # Pub/Sub pushes from Google's network, which every ingress setting admits.
        for topic in svc.pushed_from:
            out.connections.add((resource_id(topic), sid, svc.port, "tcp"))
        if svc.ingress in ("all", "internal-and-cloud-load-balancing"):
            out.connections.add((LOAD_BALANCER, sid, svc.port, "tcp"))
        for port in svc.probe_ports:
            out.connections.add((PLATFORM, sid, port, "tcp"))
    return out
