"""The AWS plan: plain, typed records both output formats spell (Terraform, CloudFormation).

Everything is decided by the planning functions beside this module — names, security group
rules, IAM statements, which subnet routes where — so the renderers only spell it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from blueprint.model import ResourceKind
from generators.aws.plan import checkov
from generators.aws.plan.checkov import Skip
from generators.aws.values import ACCOUNT, Attr, Value, value

if TYPE_CHECKING:
    from generators.aws.plan.async_records import BrokerPlan, JobPlan, QueuePlan, SubscriptionPlan
    from generators.aws.plan.databases import DatabasePlan
    from generators.aws.plan.https import CertificatePlan


@dataclass(frozen=True)
class Named:
    """Something rendered: its Terraform label, CloudFormation logical id and AWS name."""

    tf: str
    cfn: str
    name: str


@dataclass(frozen=True)
class Subnet:
    id: Named
    network: str
    cidr: str
    az: str
    zone: str
    public: bool
    egress: str  # internet | nat | none


@dataclass(frozen=True)
class Network:
    id: Named
    key: str
    cidr: str
    subnets: tuple[Subnet, ...]
    internet_gateway: bool
    nat_subnet: Subnet | None
    flow_log_group: Named
    flow_log_role: Role

    def route_tables(self) -> tuple[tuple[str, tuple[Subnet, ...]], ...]:
        """(egress, subnets) for each egress some subnet uses: internet, nat, none."""
        return tuple(
            (egress, tuple(s for s in self.subnets if s.egress == egress))
            for egress in ("internet", "nat", "none")
            if any(s.egress == egress for s in self.subnets)
        )


@dataclass(frozen=True)
class SgRule:
    direction: str  # ingress | egress
    description: str
    protocol: str  # tcp | udp
    port: int
    peer_sg: Named | None = None
    cidr: str | None = None
    redirect_only: bool = False  # HTTP on a load balancer whose listener only redirects

    @property
    def skips(self) -> tuple[Skip, ...]:
        return checkov.REDIRECT_SKIPS if self.redirect_only else ()

    @property
    def ipv6(self) -> bool:
        return self.cidr is not None and ":" in self.cidr

    @property
    def key(self) -> str:
        peer = self.peer_sg.tf if self.peer_sg else (self.cidr or "").replace(":", "_")
        return re.sub(
            r"[^a-z0-9_]", "_", f"{self.direction}_{self.protocol}_{self.port}_{peer}".lower()
        )


@dataclass(frozen=True)
class SecurityGroup:
    id: Named
    network: str
    description: str
    rules: tuple[SgRule, ...]
    skips: tuple[Skip, ...] = ()


@dataclass(frozen=True)
class Condition:
    test: str
    variable: str
    values: tuple[str | Value, ...]


@dataclass(frozen=True)
class Principal:
    type: str  # Service | AWS
    identifiers: tuple[str | Value, ...]


@dataclass(frozen=True)
class Statement:
    sid: str
    actions: tuple[str, ...]
    resources: tuple[str | Value, ...]
    effect: str = "Allow"
    not_actions: tuple[str, ...] = ()
    conditions: tuple[Condition, ...] = ()
    principals: tuple[Principal, ...] = ()


@dataclass(frozen=True)
class PolicyDoc:
    statements: tuple[Statement, ...]

    def as_json(self) -> dict[str, object]:
        """The IAM JSON document (with Value objects still inside)."""
        out: list[dict[str, object]] = []
        for st in self.statements:
            doc: dict[str, object] = {"Sid": st.sid, "Effect": st.effect}
            if st.principals:
                doc["Principal"] = {p.type: list(p.identifiers) for p in st.principals}
            if st.actions:
                doc["Action"] = list(st.actions)
            if st.not_actions:
                doc["NotAction"] = list(st.not_actions)
            if st.resources:
                doc["Resource"] = list(st.resources)
            if st.conditions:
                cond: dict[str, dict[str, object]] = {}
                for c in st.conditions:
                    values = c.values[0] if len(c.values) == 1 else list(c.values)
                    cond.setdefault(c.test, {})[c.variable] = values
                doc["Condition"] = cond
            out.append(doc)
        return {"Version": "2012-10-17", "Statement": out}


@dataclass(frozen=True)
class Role:
    id: Named
    purpose: str  # execution | task | flow-logs | monitoring
    trust_service: str
    policy: PolicyDoc | None
    # The IAM users and roles that may assume it (identity.principals.*.can_assume).
    assumed_by: tuple[Value, ...] = ()
    managed_policies: tuple[Value, ...] = ()  # AWS managed policies attached (by ARN)

    @property
    def trust(self) -> PolicyDoc:
        """Only the service, and only on behalf of this account (no confused deputy); and
        exactly the principals the blueprint says can assume it."""
        statements = []
        if self.trust_service:  # "" for a role only principals assume
            statements.append(
                Statement(
                    "AssumedByService",
                    ("sts:AssumeRole",),
                    (),
                    principals=(Principal("Service", (self.trust_service,)),),
                    conditions=(Condition("StringEquals", "aws:SourceAccount", (value(ACCOUNT),)),),
                )
            )
        if self.assumed_by:
            statements.append(
                Statement(
                    "AssumedByPrincipals",
                    ("sts:AssumeRole",),
                    (),
                    principals=(Principal("AWS", self.assumed_by),),
                )
            )
        return PolicyDoc(tuple(statements))


@dataclass(frozen=True)
class Variable:
    tf: str
    cfn: str
    type: str  # number | string
    default: int | str
    description: str

    @property
    def ref(self) -> Attr:
        return Attr(f"var.{self.tf}", {"Ref": self.cfn}, str(self.default))


@dataclass(frozen=True)
class TargetGroup:
    id: Named
    lb: str
    listener_port: int
    service: str
    port: int
    protocol: str  # TCP | HTTP
    health_path: str
    health_port: int | None
    health_interval: int
    health_timeout: int


@dataclass(frozen=True)
class LoadBalancerPlan:
    id: Named
    key: str
    type: str  # network | application
    internal: bool
    subnets: tuple[Subnet, ...]
    sg: SecurityGroup
    target_groups: tuple[TargetGroup, ...]
    certificate: CertificatePlan | None = None  # served on 443 (plan/https.py)
    redirect: bool = False  # a listener on 80 that only redirects to 443
    access_log_prefix: str | None = None  # in the access-log bucket

    @property
    def skips(self) -> tuple[Skip, ...]:
        if self.type == "network":
            return checkov.NETWORK_LB_SKIPS
        return () if self.internal else checkov.PUBLIC_ALB_SKIPS

    @property
    def listener_protocol(self) -> str:
        return "TCP" if self.type == "network" else "HTTP"

    def tls_on(self, port: int) -> bool:
        return self.certificate is not None and port == 443


@dataclass(frozen=True)
class Route:
    id: Named
    key: str  # "ANY /{proxy+}" or "$default"
    target_lb: str
    listener_port: int


@dataclass(frozen=True)
class ApiPlan:
    id: Named
    key: str
    routes: tuple[Route, ...]
    integrations: tuple[tuple[str, int], ...]  # (load balancer, listener port), sorted
    user_pool: str | None
    audience: tuple[str, ...]
    vpc_link_subnets: tuple[Subnet, ...]
    vpc_link_sg: SecurityGroup
    access_logs: Named | None  # the log group
    certificate: CertificatePlan | None = None  # its custom domain's (plan/https.py)


@dataclass(frozen=True)
class SecretPlan:
    id: Named
    store: str
    key: str

    @property
    def skips(self) -> tuple[Skip, ...]:
        return checkov.SECRET_SKIPS


@dataclass(frozen=True)
class ServicePlan:
    id: Named
    key: str
    description: str | None
    port: int
    replicas: Variable
    cpu: Variable
    memory: Variable
    image: Value
    image_variable: Variable | None
    env: tuple[tuple[str, str], ...]
    secrets: tuple[tuple[str, SecretPlan], ...]
    env_refs: tuple[tuple[str, Value], ...]  # env values from resource outputs
    secret_refs: tuple[tuple[str, Value], ...]  # secrets from resource outputs: valueFrom
    health_path: str | None
    health_port: int
    health_interval: int
    health_timeout: int
    subnets: tuple[Subnet, ...]
    sg: SecurityGroup
    cluster: Named
    family: str
    log_group: Named
    execution_role: Role
    task_role: Role
    target_groups: tuple[TargetGroup, ...]
    scaling: tuple[int, int, int] | None  # min, max, cpu target percent


@dataclass(frozen=True)
class Repository:
    id: Named
    registry: str


@dataclass(frozen=True)
class BucketPlan:
    id: Named
    key: str
    description: str | None
    retention_days: int | None
    events: bool = False  # its object events go to EventBridge (a job consumes them)

    def with_events(self) -> BucketPlan:
        return BucketPlan(self.id, self.key, self.description, self.retention_days, True)

    @property
    def skips(self) -> tuple[Skip, ...]:
        if self.events:
            return checkov.BUCKET_SKIPS_WITH_EVENTS
        return checkov.BUCKET_SKIPS


@dataclass(frozen=True)
class SimpleResource:
    """A resource rendered from its kind alone: a cluster, user pool, queue, topic, log group."""

    id: Named
    key: str
    kind: ResourceKind
    description: str | None
    retention_days: int | None = None


@dataclass(frozen=True)
class Group:
    id: Named
    description: str | None
    policy: PolicyDoc | None


@dataclass(frozen=True)
class User:
    id: Named
    groups: tuple[Named, ...]
    console: bool

    @property
    def skips(self) -> tuple[Skip, ...]:
        return checkov.CONSOLE_USER_SKIPS if self.console else checkov.USER_SKIPS


@dataclass
class AwsPlan:
    name: str
    region: str
    description: str | None
    log_retention_days: int
    key: Named
    networks: list[Network] = field(default_factory=list)
    security_groups: list[SecurityGroup] = field(default_factory=list)
    load_balancers: list[LoadBalancerPlan] = field(default_factory=list)
    apis: list[ApiPlan] = field(default_factory=list)
    services: list[ServicePlan] = field(default_factory=list)
    cluster: Named | None = None
    repositories: list[Repository] = field(default_factory=list)
    buckets: list[BucketPlan] = field(default_factory=list)
    resources: list[SimpleResource] = field(default_factory=list)
    secrets: list[SecretPlan] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    access_log_bucket: Named | None = None
    databases: list[DatabasePlan] = field(default_factory=list)
    certificates: list[CertificatePlan] = field(default_factory=list)
    resource_descriptions: dict[str, str] = field(default_factory=dict)
    # Asynchronous work (generators.aws.plan.messaging and .jobs).
    queues: list[QueuePlan] = field(default_factory=list)
    subscriptions: list[SubscriptionPlan] = field(default_factory=list)
    brokers: list[BrokerPlan] = field(default_factory=list)
    jobs: list[JobPlan] = field(default_factory=list)
    key_services: tuple[str, ...] = ()  # services that encrypt with the key for us (SNS, ...)

    def clusters(self) -> list[Named]:
        from_resources = [r.id for r in self.resources if r.kind is ResourceKind.CLUSTER]
        if self.cluster is not None and self.cluster not in from_resources:
            return [*from_resources, self.cluster]
        return from_resources

    def user_pools(self) -> list[SimpleResource]:
        return [r for r in self.resources if r.kind is ResourceKind.USER_POOL]

    def needs_key(self) -> bool:
        return bool(
            self.networks
            or self.services
            or self.repositories
            or self.buckets
            or self.secrets
            or self.apis
            or self.queues
            or self.jobs
            or self.databases
            or any(r.kind is not ResourceKind.CLUSTER for r in self.resources)
            or self.clusters()
        )

    @property
    def cluster_skips(self) -> tuple[Skip, ...]:
        return checkov.CLUSTER_SKIPS

    @property
    def access_log_bucket_skips(self) -> tuple[Skip, ...]:
        return checkov.ACCESS_LOG_BUCKET_SKIPS

    def variables(self) -> list[Variable]:
        out: list[Variable] = []
        for s in self.services:
            out += [s.replicas, s.cpu, s.memory]
            if s.image_variable is not None:
                out.append(s.image_variable)
        for j in self.jobs:
            out += [j.cpu, j.memory]
            if j.image_variable is not None:
                out.append(j.image_variable)
        return out

    def policies(self) -> list[tuple[str, PolicyDoc]]:
        """Every identity policy rendered, by name (for analysers)."""
        out = [(r.id.name, r.policy) for r in self.roles if r.policy is not None]
        out += [(g.id.name, g.policy) for g in self.groups if g.policy is not None]
        return out
