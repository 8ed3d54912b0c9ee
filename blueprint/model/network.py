"""Networks, subnets, gateways and peering; ingress points (API gateways, load balancers)."""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator

from blueprint.model.base import Model, Name, Port, Seconds
from blueprint.model.validators import HttpPath, canonical_cidr, visible_route
from blueprint.model.vocabulary import Cloud

Cidr = str  # validated below: a strict network address such as 10.0.0.0/16


def parse_cidr(value: str) -> IPv4Network | IPv6Network:
    from ipaddress import ip_network

    return ip_network(value, strict=True)


def _check_cidr(value: str) -> str:
    from ipaddress import ip_network

    try:
        canonical = str(parse_cidr(value))
    except ValueError:
        try:
            network = ip_network(value, strict=False)
        except ValueError:
            raise ValueError(
                f"found {value!r}, expected a network in CIDR form such as 10.0.0.0/16"
            ) from None
        raise ValueError(
            f"found {value!r}, which has host bits set; expected the network address "
            f"(did you mean '{network}'?)"
        ) from None
    return canonical_cidr(value, canonical)


class Subnet(Model):
    cidr: str
    zone: Annotated[str, Field(pattern=r"^[a-z0-9-]{1,16}$")] = "a"
    public: bool = False
    # How the subnet reaches the internet; by default public subnets go through the internet
    # gateway and private ones through the network's NAT (or nowhere when it has none).
    egress: Literal["internet", "nat", "none"] | None = None

    _cidr = field_validator("cidr")(_check_cidr)


class Network(Model):
    cidr: str
    cloud: Cloud | None = None
    subnets: dict[Name, Subnet] = Field(min_length=1)
    internet_gateway: bool | None = None  # default: true when any subnet is public
    nat: Name | None = None  # the public subnet that holds the NAT gateway
    peers: tuple[Name, ...] = ()

    _cidr = field_validator("cidr")(_check_cidr)

    def has_internet_gateway(self) -> bool:
        if self.internet_gateway is not None:
            return self.internet_gateway
        return any(s.public for s in self.subnets.values())

    def subnet_egress(self, name: str) -> str:
        subnet = self.subnets[name]
        if subnet.egress is not None:
            return subnet.egress
        if subnet.public:
            return "internet"
        return "nat" if self.nat else "none"


class FirewallRule(Model):
    """Traffic admitted from outside the system: a source CIDR and the ports it may reach."""

    cidr: str
    ports: tuple[Port, ...] = Field(min_length=1)
    protocol: Literal["tcp", "udp"] = "tcp"

    _cidr = field_validator("cidr")(_check_cidr)


class JwtAuth(Model):
    kind: Literal["jwt"] = "jwt"
    issuer: Name  # a resource of kind user-pool
    audience: tuple[Annotated[str, Field(max_length=256)], ...] = ()


class ApiGateway(Model):
    kind: Literal["api-gateway"]
    public: bool = True
    auth: JwtAuth | None = None
    # "METHOD /path" -> the ingress or service it forwards to
    routes: dict[
        Annotated[
            str,
            Field(
                pattern=r"^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /\S*$|^\$default$",
                max_length=1024,
            ),
            AfterValidator(visible_route),
        ],
        Name,
    ] = Field(min_length=1)
    allow_from: tuple[FirewallRule, ...] = ()
    latency_budget: Seconds | None = None
    access_logs: bool = True


class LoadBalancer(Model):
    kind: Literal["load-balancer"]
    type: Literal["network", "application"] = "application"
    internal: bool = True
    subnets: tuple[Name, ...] = Field(min_length=1)
    forwards: dict[Port, Name] = Field(min_length=1)  # listener port -> service
    allow_from: tuple[FirewallRule, ...] = ()
    latency_budget: Seconds | None = None

    @property
    def public(self) -> bool:
        return not self.internal


class HttpIngress(Model):
    """An L7 HTTP entry point of a cluster: a Kubernetes Ingress, Cloud Run or Container Apps
    external ingress."""

    kind: Literal["http"]
    public: bool = True
    host: (
        Annotated[str, Field(pattern=r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,63}$")] | None
    ) = None
    routes: dict[HttpPath, Name] = Field(min_length=1)
    tls_secret: Name | None = None
    allow_from: tuple[FirewallRule, ...] = ()
    latency_budget: Seconds | None = None


Ingress = Annotated[ApiGateway | LoadBalancer | HttpIngress, Field(discriminator="kind")]


def ingress_targets(ingress: ApiGateway | LoadBalancer | HttpIngress) -> tuple[str, ...]:
    """The names an ingress forwards to, in declaration order."""
    if isinstance(ingress, LoadBalancer):
        return tuple(ingress.forwards.values())
    return tuple(ingress.routes.values())
