"""Reading the Azure render back (Bicep, parsed by pycep): Container Apps ingress (external or
not, target port, IP restrictions, probes), the environments they run in (VNet-internal or
not), the NSG rules in front of public environments, function apps' network placement and the
resources' private endpoints, into the connections they allow.

Container Apps' own rules, which the read applies:

- an app with `external: true` in an environment that is not internal is reachable from the
  internet, narrowed to `ipSecurityRestrictions` when it has any; in an internal environment,
  from the VNet;
- every app with ingress is reachable from every other app of its environment (Container Apps
  has no per-caller rule inside an environment);
- a workload outside the environment (a function app joined to the VNet) reaches an app only
  when its ingress is external;
- the probes are the platform's, on their ports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from ipaddress import ip_network
from typing import Any

from pycep import BicepParser

from blueprint.model import Blueprint, Platform
from blueprint.subjects import INTERNET, PLATFORM, PRIVATE_NETWORK
from generators.azure.naming import symbol
from tests.connectivity.model import Readback

MAIN = "azure/bicep/main.bicep"
ANYWHERE = "0.0.0.0/0"


@dataclass
class App:
    subject: str
    environment: str
    external: bool
    port: int
    allow: set[str] = field(default_factory=set)
    probe_ports: set[int] = field(default_factory=set)


@dataclass
class Network:
    apps: dict[str, App] = field(default_factory=dict)  # Bicep symbol -> app
    internal_envs: set[str] = field(default_factory=set)
    env_subnet: dict[str, str] = field(default_factory=dict)  # environment -> subnet symbol
    functions: dict[str, str] = field(default_factory=dict)  # subject -> subnet (None: public)
    nsg_https: dict[str, set[str]] = field(default_factory=dict)  # subnet -> sources on 443
    private_endpoints: dict[str, str] = field(default_factory=dict)  # resource -> subnet
    public_access: dict[str, bool] = field(default_factory=dict)  # resource -> public endpoint


def _operand(expression: Any) -> str:
    """`x.id` as pycep gives it: the symbol x."""
    return str(expression["operator"]["operands"]["operand_1"])


def _function_subject(sym: str, props: dict[str, Any]) -> str:
    """A Function App's workload: a job when a trigger queue feeds it, else a service (names
    are DNS labels, so the symbol's underscores were hyphens)."""
    name = sym.removeprefix("func_").replace("_", "-")
    settings = {s["name"] for s in props.get("siteConfig", {}).get("appSettings", [])}
    triggered = bool(
        settings
        & {
            "EVENTS_QUEUE_NAME",
            "TRIGGER_QUEUE_NAME",
            "TRIGGER_TOPIC_NAME",
            "TRIGGER_EVENT_HUB_NAME",
        }
    )
    return f"{'jobs' if triggered else 'services'}.{name}"


def read(files: Mapping[str, str]) -> Network:
    parsed: dict[str, Any] = dict(BicepParser().parse(text=files[MAIN]))
    n = Network()
    for sym, res in parsed["resources"].items():
        config = res["config"]
        props = config.get("properties", {})
        kind = res["type"]
        if kind == "Microsoft.App/containerApps":
            n.apps[sym] = _app(f"services.{config['name']}", props)
        elif kind == "Microsoft.App/managedEnvironments":
            vnet = props.get("vnetConfiguration")
            if vnet is not None:
                n.env_subnet[sym] = _operand(vnet["infrastructureSubnetId"])
                if vnet["internal"]:
                    n.internal_envs.add(sym)
        elif kind == "Microsoft.Web/sites":
            subnet = props.get("virtualNetworkSubnetId")
            n.functions[_function_subject(sym, props)] = _operand(subnet) if subnet else ""
        elif kind == "Microsoft.Network/networkSecurityGroups":
            n.nsg_https[sym] = {
                r["properties"]["sourceAddressPrefix"]
                for r in props["securityRules"]
                if r["properties"]["access"] == "Allow"
                and r["properties"]["direction"] == "Inbound"
                and r["properties"]["destinationPortRange"] == "443"
            }
        elif kind == "Microsoft.Network/privateEndpoints":
            (link,) = props["privateLinkServiceConnections"]
            target = _operand(link["properties"]["privateLinkServiceId"])
            n.private_endpoints[target] = _operand(props["subnet"]["id"])
        elif kind.endswith("/flexibleServers"):
            # A flexible server is injected into its delegated subnet: its address is there.
            network = props["network"]
            subnet = network.get("delegatedSubnetResourceId")
            if subnet is not None:
                n.private_endpoints[sym] = _operand(subnet)
            n.public_access[sym] = network["publicNetworkAccess"] == "Enabled"
        if "publicNetworkAccess" in props and kind != "Microsoft.Web/sites":
            n.public_access[sym] = props["publicNetworkAccess"] == "Enabled"
    return n


def _app(subject: str, props: dict[str, Any]) -> App:
    ingress = props["configuration"]["ingress"]
    (container,) = props["template"]["containers"]
    return App(
        subject=subject,
        environment=_operand(props["environmentId"]),
        external=bool(ingress["external"]),
        port=int(ingress["targetPort"]),
        allow={r["ipAddressRange"] for r in ingress.get("ipSecurityRestrictions", [])},
        probe_ports={int(p["httpGet"]["port"]) for p in container.get("probes", [])},
    )


def connections(n: Network) -> Readback:
    out = Readback()
    for app in n.apps.values():
        internal_env = app.environment in n.internal_envs
        if app.external and not internal_env:
            cidrs = app.allow or {ANYWHERE}
            for cidr in cidrs:
                out.open(app.subject, app.port, "tcp", cidr)
            public = any(not ip_network(c).is_private for c in cidrs)
            source = INTERNET if public else PRIVATE_NETWORK
            out.connections.add((source, app.subject, app.port, "tcp"))
        for subject, in_vnet in _sources_outside(n, app.environment):
            if app.external and (in_vnet if internal_env else not app.allow):
                out.connections.add((subject, app.subject, app.port, "tcp"))
        for mate in n.apps.values():
            if mate is not app and mate.environment == app.environment:
                out.connections.add((mate.subject, app.subject, app.port, "tcp"))
        for port in app.probe_ports:
            out.connections.add((PLATFORM, app.subject, port, "tcp"))
    return out


def _sources_outside(n: Network, environment: str) -> list[tuple[str, bool]]:
    """The workloads outside an environment, and whether each sends from inside the VNet."""
    found = [(f, bool(subnet)) for f, subnet in n.functions.items()]
    found += [
        (a.subject, a.environment in n.env_subnet)
        for a in n.apps.values()
        if a.environment != environment
    ]
    return found


def nsg_disagreements(n: Network) -> list[str]:
    """The NSG of a public environment's subnet admits HTTPS from exactly its apps' sources."""
    lines: list[str] = []
    for env, subnet in sorted(n.env_subnet.items()):
        if env in n.internal_envs:
            continue
        want: set[str] = set()
        for app in n.apps.values():
            if app.environment == env and app.external:
                want |= {"Internet" if c == ANYWHERE else c for c in (app.allow or {ANYWHERE})}
        got = n.nsg_https.get(subnet.replace("snet_", "nsg_", 1), set())
        if want != got:
            lines.append(f"{subnet}: NSG admits HTTPS from {sorted(got)}, apps from {sorted(want)}")
    return lines


def endpoint_disagreements(bp: Blueprint, n: Network, symbols: dict[str, str]) -> list[str]:
    """A resource placed in a subnet is reached through a private endpoint there and keeps no
    public endpoint beyond what the platform needs (`symbols`: resource -> Bicep symbol)."""
    lines: list[str] = []
    for name, sym in sorted(symbols.items()):
        res = bp.resources[name]
        if res.subnets and sym not in n.private_endpoints:
            lines.append(
                f"resources.{name}: placed in {res.subnets[0]} but has no private endpoint"
            )
        if res.subnets and sym in n.private_endpoints:
            subnet = n.private_endpoints[sym]
            if subnet != symbol("snet", res.subnets[0]):
                lines.append(f"resources.{name}: private endpoint in {subnet}")
        if not res.subnets and not n.public_access.get(sym, True):
            lines.append(f"resources.{name}: no subnet and no public endpoint: unreachable")
    return lines


def workloads_on_azure(bp: Blueprint) -> set[str]:
    return {
        f"services.{n}" if n in bp.services else f"jobs.{n}"
        for n, w in bp.workloads().items()
        if w.platform in (Platform.AZURE_CONTAINER_APPS, Platform.AZURE_FUNCTIONS)
    }
