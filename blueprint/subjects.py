"""Subject ids: the stable dotted paths that name a thing of the system everywhere (graph nodes,
view connections, findings, waivers). `services.web` is the `web` entry of `services:`."""

from __future__ import annotations

INTERNET = "internet"  # the one outside world
# Addresses outside the system in private ranges only (allow_from naming 10.0.0.0/8, say).
PRIVATE_NETWORK = "private-network"
# Sources that are part of the platform rather than of the blueprint.
MONITORING = "monitoring"  # Prometheus (or the platform's metrics agent) scraping /metrics
PLATFORM = "platform"  # the platform's health checker (kubelet, load balancer target checks)
ANY = "*"  # the target of wildcard grants


def network_id(name: str) -> str:
    return f"networks.{name}"


def subnet_id(network: str, name: str) -> str:
    return f"networks.{network}.subnets.{name}"


def igw_id(network: str) -> str:
    return f"networks.{network}.internet_gateway"


def nat_id(network: str) -> str:
    return f"networks.{network}.nat"


def ingress_id(name: str) -> str:
    return f"ingress.{name}"


def service_id(name: str) -> str:
    return f"services.{name}"


def job_id(name: str) -> str:
    return f"jobs.{name}"


def resource_id(name: str) -> str:
    return f"resources.{name}"


def principal_id(name: str) -> str:
    return f"identity.principals.{name}"


def scope_id(name: str) -> str:
    return f"identity.scopes.{name}"


def derived_identity_id(workload_node: str) -> str:
    return f"{workload_node}.identity"


def short(node: str) -> str:
    """The last name of a subject id, for messages: `services.web` -> `web`."""
    if node.endswith(".identity") and node.count(".") == 2:
        return node.split(".")[1] + " (identity)"
    return node.rsplit(".", 1)[-1]
