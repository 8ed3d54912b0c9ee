"""Reading the GCP render back: each Cloud Run service's ingress setting, VPC egress, port and
probes (Terraform, python-hcl2; the Knative YAML must say the same), and its `run.invoker`
bindings, into the connections they allow.

A request reaches a Cloud Run service when its network path is admitted by the ingress
setting and its identity holds `roles/run.invoker`:

- `allUsers` on a service whose ingress is `all`: the internet;
- a caller's service account: that caller, when the ingress is `all` or the caller's traffic
  enters the VPC (direct VPC egress routing all traffic); with private ranges only, or no VPC
  egress, its request arrives from the internet and an internal service refuses it;
- ingress `all` or `internal-and-cloud-load-balancing`: the load balancers in front (GCP
  renders none; the blueprint's ingress are Cloud Run's own front door), written
  `LOAD_BALANCER`, carrying their clients' identities;
- the startup and liveness probes: the platform, on the probe port.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from blueprint.subjects import INTERNET, PLATFORM, service_id
from tests.connectivity.model import Readback
from tests.generators.gcp.terraform_support import of_type, resources

LOAD_BALANCER = "load-balancer"
_INGRESS = {
    "INGRESS_TRAFFIC_ALL": "all",
    "INGRESS_TRAFFIC_INTERNAL_ONLY": "internal",
    "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER": "internal-and-cloud-load-balancing",
}
_REF = re.compile(r"^\$\{google_[a-z0-9_]+\.([a-z0-9_]+)\.[a-z_]+\}$")


@dataclass
class RunService:
    name: str
    ingress: str
    port: int
    vpc_all_traffic: bool
    probe_ports: set[int] = field(default_factory=set)
    invokers: set[str] = field(default_factory=set)  # service names, or "allUsers"


def _label(expression: str) -> str:
    match = _REF.match(expression)
    assert match is not None, f"not a reference: {expression}"
    return match.group(1)


def read(files: dict[str, str]) -> dict[str, RunService]:
    found = resources({p: t for p, t in files.items() if p.startswith("gcp/terraform/")})
    services: dict[str, RunService] = {}
    labels: dict[str, str] = {}
    for label, body in of_type(found, "google_cloud_run_v2_service").items():
        (template,) = body["template"]
        (container,) = template["containers"]
        vpc = template.get("vpc_access", [{}])[0]
        svc = RunService(
            name=body["name"],
            ingress=_INGRESS[body["ingress"]],
            port=int(container["ports"][0]["container_port"]),
            vpc_all_traffic=vpc.get("egress") == "ALL_TRAFFIC",
        )
        for probe in ("startup_probe", "liveness_probe"):
            for p in container.get(probe, []):
                svc.probe_ports.add(int(p["http_get"][0]["port"]))
        services[svc.name] = svc
        labels[label] = svc.name
        _agrees_with_knative(files, svc)
    for body in of_type(found, "google_cloud_run_v2_service_iam_member").values():
        if body["role"] != "roles/run.invoker":
            continue
        target = services[labels[_label(body["name"])]]
        member = body["member"]
        # A workload's account has the label of its Cloud Run service.
        target.invokers.add(member if member == "allUsers" else labels[_label(member)])
    return services


def _agrees_with_knative(files: dict[str, str], svc: RunService) -> None:
    """The gcloud YAML deploys the same ingress, port and egress as the Terraform."""
    doc = yaml.safe_load(files[f"gcp/cloudrun/{svc.name}.yaml"])
    assert doc["metadata"]["annotations"]["run.googleapis.com/ingress"] == svc.ingress
    template = doc["spec"]["template"]
    egress = template["metadata"].get("annotations", {}).get("run.googleapis.com/vpc-access-egress")
    assert (egress == "all-traffic") == svc.vpc_all_traffic, (svc.name, egress)
    (container,) = template["spec"]["containers"]
    assert container["ports"][0]["containerPort"] == svc.port


def connections(services: dict[str, RunService]) -> Readback:
    out = Readback()
    for svc in services.values():
        sid = service_id(svc.name)
        for member in svc.invokers:
            if member == "allUsers":
                if svc.ingress == "all":
                    out.connections.add((INTERNET, sid, svc.port, "tcp"))
                continue
            caller = services.get(member)
            if caller is None:
                out.connections.add((member, sid, svc.port, "tcp"))
            elif svc.ingress == "all" or caller.vpc_all_traffic:
                out.connections.add((service_id(caller.name), sid, svc.port, "tcp"))
        if svc.ingress in ("all", "internal-and-cloud-load-balancing"):
            out.connections.add((LOAD_BALANCER, sid, svc.port, "tcp"))
        for port in svc.probe_ports:
            out.connections.add((PLATFORM, sid, port, "tcp"))
    return out
