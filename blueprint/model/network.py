"""Networks, subnets, gateways and peering; ingress points (API gateways, load balancers)."""

import functools
import re
from ipaddress import IPv4Network, IPv6Network
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from blueprint.model.base import Model, Name, Port, Seconds
from blueprint.model.validators import HttpPath, canonical_cidr, visible, visible_route
from blueprint.model.vocabulary import Cloud

Cidr = str  # validated below: a strict network address such as 10.0.0.0/16


@functools.lru_cache(maxsize=4096)
def parse_cidr(value: str) -> IPv4Network | IPv6Network:
    """The network a CIDR spells, parsed once per text: the model, the cross-references and
    the rules each read every network's and subnet's (550 at 5,000 services)."""
    from ipaddress import ip_network

    return ip_network(value, strict=True)


def check_cidr(value: str) -> str:
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


def check_optional_cidr(value: str | None) -> str | None:
    return None if value is None else check_cidr(value)


# A DNS name: what a certificate and a virtual host are issued for.
DnsName = Annotated[
    str,
    Field(pattern=r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,63}$", max_length=253),
]


def _dns_name_or_ip(value: str) -> str:
    from ipaddress import ip_address

    label = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    if re.fullmatch(rf"({label}\.)*{label}", value) and not re.fullmatch(r"[0-9.]+", value):
        return value
    try:
        return str(ip_address(value))
    except ValueError:
        raise ValueError(
            f"found {value!r}, expected a lower-case DNS name such as db.example.com or an IP "
            "address"
        ) from None


# Where something outside the system is reached: a DNS name or an IP address.
Hostname = Annotated[str, Field(max_length=253), AfterValidator(_dns_name_or_ip)]


class Subnet(Model):
    cidr: str
    """The subnet's address range, inside its network's. Example: `10.0.0.0/19`."""
    zone: Annotated[str, Field(pattern=r"^[a-z0-9-]{1,16}$")] = "a"
    """The availability zone suffix. Example: `a`."""
    public: bool = False
    """Whether the subnet is public (routed to the internet gateway)."""
    # How the subnet reaches the internet; by default public subnets go through the internet
    # gateway and private ones through the network's NAT (or nowhere when it has none).
    egress: Literal["internet", "nat", "none"] | None = None
    """How the subnet reaches the internet: `internet`, `nat` or `none`. Default: `internet` for
    public subnets, `nat` for private ones when the network has a NAT, else `none`.
    """

    _cidr = field_validator("cidr")(check_cidr)


class Network(Model):
    cidr: str
    """The network's address space. Example: `10.0.0.0/16`."""
    cloud: Cloud | None = None
    """The cloud the network is in. Default: the only cloud declared."""
    subnets: dict[Name, Subnet] = Field(min_length=1)
    """Subnets by name (at least one)."""
    internet_gateway: bool | None = None  # default: true when any subnet is public
    """Whether the network has an internet gateway. Default: true when any subnet is public."""
    nat: Name | None = None  # the public subnet that holds the NAT gateway
    """The public subnet holding the NAT gateway, if any. Example: `public-a`."""
    peers: tuple[Name, ...] = ()
    """Other networks this one is peered with, by name."""

    _cidr = field_validator("cidr")(check_cidr)

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
    """The source address range admitted. Example: `203.0.113.0/24` (`0.0.0.0/0` is the whole
    internet).
    """
    ports: tuple[Port, ...] = Field(min_length=1)
    """The destination ports the source may reach. Example: `[443]`."""
    protocol: Literal["tcp", "udp"] = "tcp"
    """`tcp` or `udp`."""

    _cidr = field_validator("cidr")(check_cidr)


class EntryPoint(Model):
    """A reviewed decision that an exposure is an entry point from the internet, and the ports
    it is meant to serve there: the policy engine then reports only unreviewed paths and ports
    (BP2004, BP2005, BP2007). Review metadata: nothing is rendered from it."""

    ports: tuple[Port, ...] = Field(min_length=1)
    """The ports the entry point is meant to serve to the internet. Example: `[443]`."""
    reason: Annotated[str, Field(min_length=10, max_length=2048)]
    """Why it is an entry point, for the next reviewer. Example: `the storefront's way in`."""


class Tls(Model):
    """TLS on an entry point: a certificate for its host, issued by the platform or existing."""

    certificate: Annotated[
        str, Field(pattern=r"^\S+$", max_length=2048), AfterValidator(visible)
    ] = "managed"
    """`managed` (the default): a certificate issued for the host by the platform (ACM with DNS
    validation, a Google-managed or Container Apps managed certificate, cert-manager); or a
    reference to an existing one: an ACM certificate ARN, a Key Vault secret id, a Kubernetes
    Secret name."""
    zone: DnsName | None = None
    """The DNS zone the host's records (and the certificate's DNS validation) are written to: a
    Route 53, Cloud DNS or Azure DNS zone. Without it, the records needed are outputs. Example:
    `example.com`."""
    issuer: Name | None = None
    """Kubernetes: the cert-manager ClusterIssuer that issues the certificate. Example:
    `letsencrypt-prod`."""

    @property
    def managed(self) -> bool:
        return self.certificate == "managed"


def tls_problem(host: str | None, tls: Tls | None) -> str | None:
    """Why a host/tls pair cannot be rendered, or None."""
    if tls is None:
        return None
    if host is None:
        return "found tls without host, expected host: the name the certificate is for"
    if tls.zone is not None and host != tls.zone and not host.endswith("." + tls.zone):
        return (
            f"found tls zone {tls.zone!r}, which does not contain host {host!r}; expected the "
            "host's zone or one of its parents"
        )
    return None


class JwtAuth(Model):
    kind: Literal["jwt"] = "jwt"
    """The authorizer kind: `jwt`."""
    issuer: Name  # a resource of kind user-pool
    """The `user-pool` resource that issues the tokens."""
    audience: tuple[Annotated[str, Field(max_length=256)], ...] = ()
    """Accepted token audiences. Default: the user pool's client."""


class ApiGateway(Model):
    kind: Literal["api-gateway"]
    """`api-gateway`: an HTTP API entry point."""
    public: bool = True
    """Whether the gateway is a declared public entry point."""
    auth: JwtAuth | None = None
    """The JWT authorizer in front of every route."""
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
    """What each route forwards to: `"METHOD /path"` (or `$default`) to an ingress or service.
    Example: `{"ANY /{proxy+}": lb}`.
    """
    allow_from: tuple[FirewallRule, ...] = ()
    """Extra sources admitted from outside the system."""
    latency_budget: Seconds | None = None
    """The latency requirement for requests through this entry point, in seconds. Example: `2`."""
    access_logs: bool = True
    """Whether the stage writes access logs."""
    host: DnsName | None = None
    """A custom domain name for the API. Example: `api.example.com`."""
    tls: Tls | None = None
    """The certificate for `host`."""

    @model_validator(mode="after")
    def _tls_with_host(self) -> "ApiGateway":
        problem = tls_problem(self.host, self.tls)
        if problem is not None:
            raise ValueError(problem)
        return self


class LoadBalancer(Model):
    kind: Literal["load-balancer"]
    """`load-balancer`: a network or application load balancer."""
    type: Literal["network", "application"] = "application"
    """`network` (L4) or `application` (L7)."""
    internal: bool = True
    """Whether the load balancer is internal; `false` makes it internet-facing, a public entry
    point.
    """
    subnets: tuple[Name, ...] = Field(min_length=1)
    """The subnets it sits in, by name."""
    forwards: dict[Port, Name] = Field(min_length=1)  # listener port -> service
    """Which service each listener port forwards to. Example: `{8080: web}`."""
    allow_from: tuple[FirewallRule, ...] = ()
    """Sources admitted from outside the system."""
    latency_budget: Seconds | None = None
    """The latency requirement for requests through it, in seconds."""
    entry_point: EntryPoint | None = None
    """The ports beyond 80/443 this public load balancer is reviewed to serve to the internet
    (read by the policy rules; nothing is rendered from it)."""
    host: DnsName | None = None
    """The DNS name it serves. Example: `shop.example.com`."""
    tls: Tls | None = None
    """The certificate for `host`: a listener on 443 serves HTTPS with it."""

    @model_validator(mode="after")
    def _tls_with_host(self) -> "LoadBalancer":
        problem = tls_problem(self.host, self.tls)
        if problem is not None:
            raise ValueError(problem)
        return self

    @model_validator(mode="after")
    def _entry_point_needs_internet(self) -> "LoadBalancer":
        if self.entry_point is not None and self.internal:
            raise ValueError(
                "found entry_point on an internal load balancer, expected internal: false (an "
                "internal load balancer is not an entry point from the internet)"
            )
        return self

    @property
    def public(self) -> bool:
        return not self.internal


class HttpIngress(Model):
    """An L7 HTTP entry point of a cluster: a Kubernetes Ingress, Cloud Run or Container Apps
    external ingress."""

    kind: Literal["http"]
    """`http`: an L7 HTTP entry (a Kubernetes Ingress, Cloud Run or Container Apps external
    ingress).
    """
    public: bool = True
    """Whether it is a declared public entry point."""
    host: DnsName | None = None
    """The virtual host name. Example: `shop.example.com`."""
    routes: dict[HttpPath, Name] = Field(min_length=1)
    """Which service each path forwards to. Example: `{/: web, /api: api}`."""
    tls_secret: Name | None = None
    """The Kubernetes Secret holding the TLS certificate."""
    tls: Tls | None = None
    """The certificate for `host`."""

    @model_validator(mode="after")
    def _tls_with_host(self) -> "HttpIngress":
        problem = tls_problem(self.host, self.tls)
        if problem is not None:
            raise ValueError(problem)
        return self

    allow_from: tuple[FirewallRule, ...] = ()
    """Sources admitted from outside the system."""
    latency_budget: Seconds | None = None
    """The latency requirement for requests through it, in seconds."""


Ingress = Annotated[ApiGateway | LoadBalancer | HttpIngress, Field(discriminator="kind")]


def ingress_targets(ingress: ApiGateway | LoadBalancer | HttpIngress) -> tuple[str, ...]:
    """The names an ingress forwards to, in declaration order."""
    if isinstance(ingress, LoadBalancer):
        return tuple(ingress.forwards.values())
    return tuple(ingress.routes.values())
