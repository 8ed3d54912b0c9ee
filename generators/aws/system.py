"""The AWS system a blueprint describes, as plain data both output formats render.

Everything is decided here — names, security group rules, IAM statements, which subnet routes
where — so the Terraform and CloudFormation renderers only spell it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from blueprint.model import (
    Access,
    ApiGateway,
    Blueprint,
    Cloud,
    FirewallRule,
    Grant,
    LoadBalancer,
    Platform,
    ResourceKind,
    Service,
)
from generators.aws import actions
from generators.aws.errors import UnsupportedBlueprintError
from generators.aws.naming import cfn_id, physical, tf_label
from generators.aws.values import ACCOUNT, PARTITION, REGION, Attr, Value, arn, value

HTTPS = 443
HEALTH_GRACE_SECONDS = 60
WORLD_PORTS = (80, 443)  # the only ports opened to 0.0.0.0/0, and only on public entry points


# -- plain data -------------------------------------------------------------------------------


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
    purpose: str  # execution | task | flow-logs
    trust_service: str
    policy: PolicyDoc | None

    @property
    def trust(self) -> PolicyDoc:
        """Only the service, and only on behalf of this account (no confused deputy)."""
        return PolicyDoc(
            (
                Statement(
                    "AssumedByService",
                    ("sts:AssumeRole",),
                    (),
                    principals=(Principal("Service", (self.trust_service,)),),
                    conditions=(Condition("StringEquals", "aws:SourceAccount", (value(ACCOUNT),)),),
                ),
            )
        )


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

    @property
    def listener_protocol(self) -> str:
        return "TCP" if self.type == "network" else "HTTP"


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


@dataclass(frozen=True)
class SecretPlan:
    id: Named
    store: str
    key: str


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


@dataclass
class AwsSystem:
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
    resource_descriptions: dict[str, str] = field(default_factory=dict)

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
            or any(r.kind is not ResourceKind.CLUSTER for r in self.resources)
            or self.clusters()
        )

    def variables(self) -> list[Variable]:
        out: list[Variable] = []
        for s in self.services:
            out += [s.replicas, s.cpu, s.memory]
            if s.image_variable is not None:
                out.append(s.image_variable)
        return out

    def policies(self) -> list[tuple[str, PolicyDoc]]:
        """Every identity policy rendered, by name (for analysers)."""
        out = [(r.id.name, r.policy) for r in self.roles if r.policy is not None]
        out += [(g.id.name, g.policy) for g in self.groups if g.policy is not None]
        return out


# -- references to rendered things ------------------------------------------------------------


def attr(tf_type: str, thing: Named, tf_attr: str, cfn: object, example: str) -> Attr:
    return Attr(f"{tf_type}.{thing.tf}.{tf_attr}", cfn, example)


def get_att(thing: Named, name: str) -> dict[str, list[str]]:
    return {"Fn::GetAtt": [thing.cfn, name]}


CLOUDWATCH_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
    2922, 3288, 3653,
)  # fmt: skip


def cloudwatch_retention(days: int) -> int:
    """The shortest retention CloudWatch Logs offers that keeps logs at least `days`."""
    return next(d for d in CLOUDWATCH_RETENTION_DAYS if d >= days)


def health_check(svc: ServicePlan) -> dict[str, object]:
    """The container's own check, in exec form (no shell, so the path is never shell text).
    It assumes curl in the image, as the load balancer's check does not."""
    url = f"http://localhost:{svc.health_port}{svc.health_path}"
    return {
        "command": ["CMD", "curl", "-fsS", "-o", "/dev/null", url],
        "interval": svc.health_interval,
        "timeout": svc.health_timeout,
        "retries": 3,
        "startPeriod": HEALTH_GRACE_SECONDS,
    }


def bucket_arn(bucket: Named) -> Value:
    return value(
        attr("aws_s3_bucket", bucket, "arn", get_att(bucket, "Arn"), f"arn:aws:s3:::{bucket.name}")
    )


# -- the builder ------------------------------------------------------------------------------


class _Builder:
    def __init__(self, bp: Blueprint) -> None:
        aws = bp.platforms.aws
        if aws is None:
            raise UnsupportedBlueprintError("the blueprint has no platforms.aws")
        self.bp = bp
        self.region = aws.region
        self.system = AwsSystem(
            name=bp.name,
            region=aws.region,
            description=bp.description,
            log_retention_days=aws.log_retention_days,
            key=Named("main", "Key", f"alias/{bp.name}"),
        )
        self.subnets: dict[str, Subnet] = {}
        self.sgs: dict[str, SecurityGroup] = {}
        self.repos_by_registry: dict[str, list[Repository]] = {}
        self.resource_arns: dict[str, list[Value]] = {}
        self.secrets: dict[tuple[str, str], SecretPlan] = {}

    # names
    def named(self, kind: str, name: str, limit: int, *, sep: str = "-") -> Named:
        return Named(
            tf_label(name) if kind == "" else tf_label(name, kind),
            cfn_id(name, kind) if kind else cfn_id(name),
            physical(self.bp.name, name, limit=limit, sep=sep),
        )

    def aws_resources(self) -> dict[str, ResourceKind]:
        return {
            n: r.kind
            for n, r in sorted(self.bp.resources.items())
            if self.bp.resource_cloud(n) is Cloud.AWS
        }

    def aws_services(self) -> dict[str, Service]:
        return {
            n: s for n, s in sorted(self.bp.services.items()) if s.platform is Platform.AWS_FARGATE
        }

    def build(self) -> AwsSystem:
        unsupported_jobs = sorted(
            n for n, j in self.bp.jobs.items() if j.platform is Platform.AWS_FARGATE
        )
        if unsupported_jobs:
            raise UnsupportedBlueprintError(
                f"jobs on aws-fargate are not rendered yet: {', '.join(unsupported_jobs)}"
            )
        self.build_networks()
        self.build_resources()
        self.build_security_groups()
        self.build_load_balancers()
        self.build_apis()
        self.build_services()
        self.build_identity()
        for name, r in sorted(self.bp.resources.items()):
            if r.description is not None and name in self.aws_resources():
                self.system.resource_descriptions[name] = r.description
        return self.system

    # -- network ------------------------------------------------------------------------------

    def build_networks(self) -> None:
        for net_name, net in sorted(self.bp.networks.items()):
            if self.bp.network_cloud(net_name) is not Cloud.AWS:
                continue
            subnets: list[Subnet] = []
            for sub_name, sub in sorted(net.subnets.items()):
                subnet = Subnet(
                    id=Named(tf_label(sub_name), cfn_id(sub_name, "subnet"), sub_name),
                    network=net_name,
                    cidr=sub.cidr,
                    az=f"{self.region}{sub.zone}",
                    zone=sub.zone,
                    public=sub.public,
                    egress=net.subnet_egress(sub_name),
                )
                subnets.append(subnet)
                self.subnets[sub_name] = subnet
            nat = self.subnets[net.nat] if net.nat else None
            if nat is not None and not net.has_internet_gateway():
                raise UnsupportedBlueprintError(
                    f"network {net_name}: a NAT gateway needs an internet gateway"
                )
            if any(s.egress == "nat" for s in subnets) and nat is None:
                raise UnsupportedBlueprintError(
                    f"network {net_name}: a subnet routes through NAT but the network has none"
                )
            if any(s.egress == "internet" for s in subnets) and not net.has_internet_gateway():
                raise UnsupportedBlueprintError(
                    f"network {net_name}: a subnet routes to the internet but there is no gateway"
                )
            flow_log_group = Named(
                tf_label(net_name, "flow_logs"),
                cfn_id(net_name, "flow", "logs"),
                f"/vpc/{self.bp.name}/{net_name}",
            )
            flow_arn = arn("logs", f"log-group:{flow_log_group.name}")
            flow_role = Role(
                id=Named(
                    tf_label(net_name, "flow_logs"),
                    cfn_id(net_name, "flow", "logs", "role"),
                    physical(self.bp.name, net_name, "flow-logs", limit=64),
                ),
                purpose="flow-logs",
                trust_service="vpc-flow-logs.amazonaws.com",
                policy=PolicyDoc(
                    (
                        Statement("DescribeLogGroups", ("logs:DescribeLogGroups",), ("*",)),
                        Statement("DescribeLogStreams", ("logs:DescribeLogStreams",), (flow_arn,)),
                        Statement(
                            "WriteFlowLogs",
                            actions.EXECUTION_LOGS.actions,
                            (value(flow_arn, ":log-stream:*"),),
                        ),
                    )
                ),
            )
            self.system.roles.append(flow_role)
            self.system.networks.append(
                Network(
                    id=Named(tf_label(net_name), cfn_id(net_name, "vpc"), net_name),
                    key=net_name,
                    cidr=net.cidr,
                    subnets=tuple(subnets),
                    internet_gateway=net.has_internet_gateway(),
                    nat_subnet=nat,
                    flow_log_group=flow_log_group,
                    flow_log_role=flow_role,
                )
            )

    def subnet(self, name: str, owner: str) -> Subnet:
        if name not in self.subnets:
            raise UnsupportedBlueprintError(f"{owner}: subnet {name} is not in an AWS network")
        return self.subnets[name]

    # -- resources ----------------------------------------------------------------------------

    def build_resources(self) -> None:
        s = self.system
        resources = self.aws_resources()
        clusters = [n for n, k in resources.items() if k is ResourceKind.CLUSTER]
        unsupported = sorted(
            n
            for n, k in resources.items()
            if k in {ResourceKind.DATABASE, ResourceKind.BROKER}
            or (k is ResourceKind.TOPIC and self.bp.resources[n].broker is not None)
        )
        if unsupported:
            raise UnsupportedBlueprintError(
                "databases, Kafka brokers and their topics on AWS are not rendered yet: "
                + ", ".join(unsupported)
            )
        public = sorted(n for n in resources if self.bp.resources[n].public)
        if public:
            raise UnsupportedBlueprintError(
                "public AWS resources are not rendered (buckets stay private behind a public "
                f"access block): {', '.join(public)}"
            )
        for name, kind in resources.items():
            res = self.bp.resources[name]
            if kind is ResourceKind.REGISTRY:
                repos = sorted(
                    {
                        w.image.repository
                        for w in self.aws_services().values()
                        if w.image is not None and w.image.registry == name
                    }
                )
                if not repos:
                    # A registry no image comes from yet (company-iam): one repository in it.
                    only = self.named("", name, 256)
                    repo_ids = [Named(only.tf, cfn_id(name, "repository"), only.name)]
                else:
                    repo_ids = [
                        Named(
                            tf_label(name, re.sub(r"[./-]", "_", r)),
                            cfn_id(name, *re.split(r"[./]", r), "repository"),
                            r,
                        )
                        for r in repos
                    ]
                self.repos_by_registry[name] = [Repository(r, name) for r in repo_ids]
                s.repositories += self.repos_by_registry[name]
                self.resource_arns[name] = [
                    value(
                        attr(
                            "aws_ecr_repository",
                            r.id,
                            "arn",
                            get_att(r.id, "Arn"),
                            arn("ecr", f"repository/{r.id.name}").example(),
                        )
                    )
                    for r in self.repos_by_registry[name]
                ]
            elif kind is ResourceKind.BUCKET:
                named = self.named("", name, 63)
                b = BucketPlan(
                    Named(named.tf, cfn_id(name, "bucket"), named.name),
                    name,
                    res.description,
                    res.retention_days,
                )
                s.buckets.append(b)
                self.resource_arns[name] = [bucket_arn(b.id)]
                s.access_log_bucket = Named(
                    "access_logs",
                    "AccessLogsBucket",
                    physical(self.bp.name, "access-logs", limit=63),
                )
            elif kind is ResourceKind.SECRET_STORE:
                self.resource_arns[name] = [
                    arn("secretsmanager", f"secret:{self.bp.name}/{name}/*")
                ]
            elif kind is ResourceKind.OCR or kind is ResourceKind.IAM:
                self.resource_arns[name] = []
            else:
                limits = {
                    ResourceKind.CLUSTER: 255,
                    ResourceKind.USER_POOL: 128,
                    ResourceKind.QUEUE: 80,
                    ResourceKind.TOPIC: 256,
                    ResourceKind.LOGS: 512,
                }
                suffix = {
                    ResourceKind.CLUSTER: "cluster",
                    ResourceKind.USER_POOL: "pool",
                    ResourceKind.QUEUE: "queue",
                    ResourceKind.TOPIC: "topic",
                    ResourceKind.LOGS: "logs",
                }[kind]
                named = self.named("", name, limits[kind])
                named = Named(named.tf, cfn_id(name, suffix), named.name)
                if kind is ResourceKind.LOGS:
                    named = Named(named.tf, named.cfn, f"/{self.bp.name}/{name}")
                s.resources.append(
                    SimpleResource(named, name, kind, res.description, res.retention_days)
                )
                self.resource_arns[name] = [self.simple_arn(kind, named)]
        if len(clusters) > 1 and self.aws_services():
            raise UnsupportedBlueprintError(
                f"several ECS clusters ({', '.join(clusters)}): say which one services run on"
            )
        if clusters:
            s.cluster = next(r.id for r in s.resources if r.key == clusters[0])
        elif self.aws_services():
            s.cluster = Named("main", "Cluster", self.bp.name)

    def simple_arn(self, kind: ResourceKind, named: Named) -> Value:
        if kind is ResourceKind.CLUSTER:
            return value(
                attr(
                    "aws_ecs_cluster",
                    named,
                    "arn",
                    get_att(named, "Arn"),
                    arn("ecs", f"cluster/{named.name}").example(),
                )
            )
        if kind is ResourceKind.USER_POOL:
            return value(
                attr(
                    "aws_cognito_user_pool",
                    named,
                    "arn",
                    get_att(named, "Arn"),
                    arn("cognito-idp", "userpool/eu-west-2_EXAMPLE").example(),
                )
            )
        if kind is ResourceKind.QUEUE:
            return value(
                attr(
                    "aws_sqs_queue",
                    named,
                    "arn",
                    get_att(named, "Arn"),
                    arn("sqs", named.name).example(),
                )
            )
        if kind is ResourceKind.TOPIC:
            return value(
                attr(
                    "aws_sns_topic",
                    named,
                    "arn",
                    {"Ref": named.cfn},
                    arn("sns", named.name).example(),
                )
            )
        return arn("logs", f"log-group:{named.name}")

    def cluster_name(self) -> str:
        if self.system.cluster is None:
            raise UnsupportedBlueprintError("no ECS cluster")
        return self.system.cluster.name

    # -- security groups ----------------------------------------------------------------------

    def sg_named(self, owner: str, kind: str) -> Named:
        return Named(
            tf_label(owner, kind),
            cfn_id(owner, kind, "sg"),
            physical(self.bp.name, owner, kind, limit=255),
        )

    def network_of(self, subnets: tuple[str, ...], owner: str) -> str:
        nets = {self.subnet(s, owner).network for s in subnets}
        if len(nets) != 1:
            raise UnsupportedBlueprintError(
                f"{owner}: its subnets must be in exactly one AWS network, found "
                f"{', '.join(sorted(nets)) or 'none'}"
            )
        return nets.pop()

    def aws_lbs(self) -> dict[str, LoadBalancer]:
        return {
            n: i
            for n, i in sorted(self.bp.ingress.items())
            if isinstance(i, LoadBalancer) and all(s in self.subnets for s in i.subnets)
        }

    def aws_apis(self) -> dict[str, ApiGateway]:
        lbs = self.aws_lbs()
        services = self.aws_services()
        return {
            n: i
            for n, i in sorted(self.bp.ingress.items())
            if isinstance(i, ApiGateway)
            and all(t in lbs or t in services for t in i.routes.values())
            and (self.bp.platforms.aws is not None)
            and (i.auth is None or self.bp.resource_cloud(i.auth.issuer) is Cloud.AWS)
        }

    def lb_for_service(self, service: str, owner: str) -> tuple[str, int]:
        for lb_name, lb in self.aws_lbs().items():
            for port, target in sorted(lb.forwards.items()):
                if target == service:
                    return lb_name, port
        raise UnsupportedBlueprintError(
            f"{owner}: an HTTP API reaches service {service} only through a load balancer; "
            "add one that forwards to it"
        )

    def api_targets(self, api: ApiGateway, owner: str) -> dict[str, tuple[str, int]]:
        """route -> (load balancer, listener port)."""
        lbs = self.aws_lbs()
        out: dict[str, tuple[str, int]] = {}
        for route, target in api.routes.items():
            if target in lbs:
                out[route] = (target, min(lbs[target].forwards))
            else:
                out[route] = self.lb_for_service(target, owner)
        return out

    def build_security_groups(self) -> None:
        services = self.aws_services()
        lbs = self.aws_lbs()
        apis = self.aws_apis()
        for name, svc in services.items():
            if not svc.subnets:
                raise UnsupportedBlueprintError(
                    f"services.{name}: a Fargate service needs subnets to run in"
                )
        svc_sg = {n: self.sg_named(n, "service") for n in services}
        lb_sg = {n: self.sg_named(n, "lb") for n in lbs}
        link_sg = {n: self.sg_named(n, "vpc-link") for n in apis}
        rules: dict[str, list[SgRule]] = {
            **{n: [] for n in services},
            **{f"lb:{n}": [] for n in lbs},
            **{f"api:{n}": [] for n in apis},
        }

        def allow(src: str, src_sg: Named, dst: str, dst_sg: Named, port: int, what: str) -> None:
            rules[dst].append(SgRule("ingress", f"from {what}", "tcp", port, peer_sg=src_sg))
            dst_what = dst.split(":", 1)[-1]
            rules[src].append(SgRule("egress", f"to {dst_what}", "tcp", port, peer_sg=dst_sg))

        for name, svc in services.items():
            for caller in self.bp.callers_of(name):
                if caller in services:
                    allow(caller, svc_sg[caller], name, svc_sg[name], svc.port, f"service {caller}")
            for rule in svc.allow_from:
                rules[name] += self.firewall(rule, f"services.{name}")
            rules[name].append(
                SgRule(
                    "egress",
                    "to AWS APIs and registries over HTTPS",
                    "tcp",
                    HTTPS,
                    cidr="0.0.0.0/0",
                )
            )
        for lb_name, lb in lbs.items():
            key = f"lb:{lb_name}"
            for port, target in sorted(lb.forwards.items()):
                if target not in services:
                    raise UnsupportedBlueprintError(
                        f"ingress.{lb_name}: forwards to {target}, "
                        "which is not an aws-fargate service"
                    )
                svc = services[target]
                health_port = (svc.health.port if svc.health else None) or svc.port
                for p in sorted({svc.port, health_port}):
                    allow(
                        key, lb_sg[lb_name], target, svc_sg[target], p, f"load balancer {lb_name}"
                    )
                for caller in self.bp.callers_of(target):
                    if caller in services:
                        allow(
                            caller, svc_sg[caller], key, lb_sg[lb_name], port, f"service {caller}"
                        )
                if lb.public and port in WORLD_PORTS:
                    rules[key].append(
                        SgRule("ingress", "from the internet", "tcp", port, cidr="0.0.0.0/0")
                    )
            for rule in lb.allow_from:
                rules[key] += self.firewall(rule, f"ingress.{lb_name}")
        for api_name, api in apis.items():
            if api.allow_from:
                raise UnsupportedBlueprintError(
                    f"ingress.{api_name}: an HTTP API cannot enforce allow_from (no resource "
                    "policies or WAF on HTTP APIs); put the rule on its load balancer"
                )
            for lb_name, port in sorted(set(self.api_targets(api, f"ingress.{api_name}").values())):
                allow(
                    f"api:{api_name}",
                    link_sg[api_name],
                    f"lb:{lb_name}",
                    lb_sg[lb_name],
                    port,
                    f"api {api_name}",
                )

        def dedupe(items: list[SgRule]) -> tuple[SgRule, ...]:
            unique = {r.key: r for r in items}
            return tuple(unique[k] for k in sorted(unique))

        for name, svc in services.items():
            self.sgs[name] = SecurityGroup(
                svc_sg[name],
                self.network_of(svc.subnets, f"services.{name}"),
                f"Fargate service {name}",
                dedupe(rules[name]),
            )
        for lb_name, lb in lbs.items():
            self.sgs[f"lb:{lb_name}"] = SecurityGroup(
                lb_sg[lb_name],
                self.network_of(lb.subnets, f"ingress.{lb_name}"),
                f"Load balancer {lb_name}",
                dedupe(rules[f"lb:{lb_name}"]),
            )
        for api_name, api in apis.items():
            targets = sorted(
                {lb for lb, _ in self.api_targets(api, f"ingress.{api_name}").values()}
            )
            self.sgs[f"api:{api_name}"] = SecurityGroup(
                link_sg[api_name],
                self.network_of(
                    tuple(s for t in targets for s in lbs[t].subnets), f"ingress.{api_name}"
                ),
                f"VPC link of API {api_name}",
                dedupe(rules[f"api:{api_name}"]),
            )
        self.system.security_groups = [self.sgs[k] for k in sorted(self.sgs)]

    def firewall(self, rule: FirewallRule, owner: str) -> list[SgRule]:
        del owner
        return [
            SgRule("ingress", f"allow_from {rule.cidr}", rule.protocol, port, cidr=rule.cidr)
            for port in rule.ports
        ]

    # -- load balancers and APIs --------------------------------------------------------------

    def build_load_balancers(self) -> None:
        services = self.aws_services()
        for lb_name, lb in self.aws_lbs().items():
            tgs: list[TargetGroup] = []
            for port, target in sorted(lb.forwards.items()):
                svc = services[target]
                health = svc.health
                tgs.append(
                    TargetGroup(
                        id=Named(
                            tf_label(lb_name, str(port)),
                            cfn_id(lb_name, str(port), "target"),
                            physical(self.bp.name, lb_name, str(port), limit=32),
                        ),
                        lb=lb_name,
                        listener_port=port,
                        service=target,
                        port=svc.port,
                        protocol="TCP" if lb.type == "network" else "HTTP",
                        health_path=health.path if health else "/",
                        health_port=health.port if health else None,
                        health_interval=health.interval_seconds if health else 30,
                        health_timeout=health.timeout_seconds if health else 5,
                    )
                )
            self.system.load_balancers.append(
                LoadBalancerPlan(
                    id=Named(
                        tf_label(lb_name),
                        cfn_id(lb_name, "lb"),
                        physical(self.bp.name, lb_name, limit=32),
                    ),
                    key=lb_name,
                    type=lb.type,
                    internal=lb.internal,
                    subnets=tuple(self.subnet(s, f"ingress.{lb_name}") for s in lb.subnets),
                    sg=self.sgs[f"lb:{lb_name}"],
                    target_groups=tuple(tgs),
                )
            )

    def build_apis(self) -> None:
        lbs = self.aws_lbs()
        for api_name, api in self.aws_apis().items():
            owner = f"ingress.{api_name}"
            if not api.public:
                raise UnsupportedBlueprintError(
                    f"{owner}: HTTP APIs are always public; a private API is not rendered"
                )
            targets = self.api_targets(api, owner)
            routes = tuple(
                Route(
                    id=Named(
                        tf_label(api_name, f"route_{i}"),
                        cfn_id(api_name, "route", str(i)),
                        route,
                    ),
                    key=route,
                    target_lb=targets[route][0],
                    listener_port=targets[route][1],
                )
                for i, route in enumerate(sorted(api.routes), start=1)
            )
            if api.auth is not None:
                pool_kind = self.bp.resources[api.auth.issuer].kind
                if pool_kind is not ResourceKind.USER_POOL:
                    raise UnsupportedBlueprintError(f"{owner}: auth.issuer must be a user-pool")
            link_subnets = sorted({s for lb, _ in targets.values() for s in lbs[lb].subnets})
            self.system.apis.append(
                ApiPlan(
                    id=Named(
                        tf_label(api_name),
                        cfn_id(api_name, "api"),
                        physical(self.bp.name, api_name, limit=128),
                    ),
                    key=api_name,
                    routes=routes,
                    integrations=tuple(sorted(set(targets.values()))),
                    user_pool=api.auth.issuer if api.auth else None,
                    audience=api.auth.audience if api.auth else (),
                    vpc_link_subnets=tuple(self.subnets[s] for s in link_subnets),
                    vpc_link_sg=self.sgs[f"api:{api_name}"],
                    access_logs=Named(
                        tf_label(api_name, "access"),
                        cfn_id(api_name, "access", "logs"),
                        f"/aws/apigateway/{self.bp.name}/{api_name}",
                    )
                    if api.access_logs
                    else None,
                )
            )

    # -- services -----------------------------------------------------------------------------

    def secret(self, store: str, key: str, owner: str) -> SecretPlan:
        if store not in self.bp.resources or self.bp.resource_cloud(store) is not Cloud.AWS:
            raise UnsupportedBlueprintError(f"{owner}: secret store {store} is not on AWS")
        if (store, key) not in self.secrets:
            index = len(self.secrets) + 1
            self.secrets[(store, key)] = SecretPlan(
                id=Named(
                    tf_label(store, f"secret_{index}"),
                    cfn_id(store, "secret", str(index)),
                    f"{self.bp.name}/{store}/{key}",
                ),
                store=store,
                key=key,
            )
        return self.secrets[(store, key)]

    def build_services(self) -> None:
        tgs_by_service: dict[str, list[TargetGroup]] = {}
        for lb in self.system.load_balancers:
            for tg in lb.target_groups:
                tgs_by_service.setdefault(tg.service, []).append(tg)
        for name, svc in self.aws_services().items():
            owner = f"services.{name}"
            nid = Named(tf_label(name), cfn_id(name, "service"), name)
            describe = f"{name}: {svc.description}" if svc.description is not None else name
            replicas = Variable(
                tf_label(name, "replicas"),
                cfn_id(name, "replicas"),
                "number",
                svc.replicas,
                f"Desired number of tasks of service {describe}",
            )
            cpu = Variable(
                tf_label(name, "cpu"),
                cfn_id(name, "cpu"),
                "number",
                round(svc.cpu * 1024),
                f"CPU units (1024 = 1 vCPU) of service {name}",
            )
            memory = Variable(
                tf_label(name, "memory"),
                cfn_id(name, "memory"),
                "number",
                svc.memory,
                f"Memory (MiB) of service {name}",
            )
            image, image_var = self.image(name, svc, owner)
            secrets = tuple(
                (env, self.secret(ref.store, ref.key, owner))
                for env, ref in sorted(svc.secrets.items())
            )
            log_group = Named(tf_label(name), cfn_id(name, "logs"), f"/ecs/{self.bp.name}/{name}")
            execution_role = self.execution_role(name, svc, log_group, [s for _, s in secrets])
            task_role = Role(
                id=Named(
                    tf_label(name, "task"),
                    cfn_id(name, "task", "role"),
                    physical(self.bp.name, name, "task", limit=64),
                ),
                purpose="task",
                trust_service="ecs-tasks.amazonaws.com",
                policy=self.grants_policy(self.bp.workload_grants(name), owner),
            )
            self.system.roles += [execution_role, task_role]
            health_port = (svc.health.port if svc.health else None) or svc.port
            self.system.services.append(
                ServicePlan(
                    id=nid,
                    key=name,
                    description=svc.description,
                    port=svc.port,
                    replicas=replicas,
                    cpu=cpu,
                    memory=memory,
                    image=image,
                    image_variable=image_var,
                    env=tuple(sorted(svc.env.items())),
                    secrets=secrets,
                    health_path=svc.health.path if svc.health else None,
                    health_port=health_port,
                    health_interval=svc.health.interval_seconds if svc.health else 30,
                    health_timeout=svc.health.timeout_seconds if svc.health else 5,
                    subnets=tuple(self.subnet(s, owner) for s in svc.subnets),
                    sg=self.sgs[name],
                    cluster=self.system.cluster or Named("main", "Cluster", self.bp.name),
                    family=physical(self.bp.name, name, limit=255),
                    log_group=log_group,
                    execution_role=execution_role,
                    task_role=task_role,
                    target_groups=tuple(tgs_by_service.get(name, ())),
                    scaling=(svc.scaling.min, svc.scaling.max, svc.scaling.cpu_target_percent)
                    if svc.scaling
                    else None,
                )
            )
        self.system.secrets = sorted(self.secrets.values(), key=lambda s: s.id.tf)

    def image(self, name: str, svc: Service, owner: str) -> tuple[Value, Variable | None]:
        img = svc.image
        if img is None:
            raise UnsupportedBlueprintError(f"{owner}: a Fargate service needs an image")
        if img.digest is not None:
            var = Variable(
                tf_label(name, "image_digest"),
                cfn_id(name, "image", "digest"),
                "string",
                img.digest,
                f"Image digest of service {name}",
            )
            sep = "@"
        else:
            assert img.tag is not None  # the model requires a tag or a digest
            var = Variable(
                tf_label(name, "image_tag"),
                cfn_id(name, "image", "tag"),
                "string",
                img.tag,
                f"Image tag of service {name}",
            )
            sep = ":"
        if img.is_external:
            return value(f"{img.registry}/{img.repository}{sep}", var.ref), var
        if img.registry not in self.repos_by_registry:
            raise UnsupportedBlueprintError(f"{owner}: registry {img.registry} is not on AWS")
        repo = next(r for r in self.repos_by_registry[img.registry] if r.id.name == img.repository)
        url = attr(
            "aws_ecr_repository",
            repo.id,
            "repository_url",
            get_att(repo.id, "RepositoryUri"),
            f"123456789012.dkr.ecr.{self.region}.amazonaws.com/{repo.id.name}",
        )
        return value(url, sep, var.ref), var

    def execution_role(
        self, name: str, svc: Service, log_group: Named, secrets: list[SecretPlan]
    ) -> Role:
        statements: list[Statement] = []
        img = svc.image
        if img is not None and not img.is_external:
            repo = next(
                r for r in self.repos_by_registry[img.registry] if r.id.name == img.repository
            )
            repo_arn = value(
                attr(
                    "aws_ecr_repository",
                    repo.id,
                    "arn",
                    get_att(repo.id, "Arn"),
                    arn("ecr", f"repository/{repo.id.name}").example(),
                )
            )
            pull, token = actions.EXECUTION_PULL
            statements.append(Statement("PullImage", pull.actions, (repo_arn,)))
            statements.append(Statement("RegistryToken", token.actions, ("*",)))
        statements.append(
            Statement(
                "WriteLogs",
                actions.EXECUTION_LOGS.actions,
                (arn("logs", f"log-group:{log_group.name}:log-stream:*"),),
            )
        )
        if secrets:
            statements.append(
                Statement(
                    "ReadSecrets",
                    actions.EXECUTION_SECRETS.actions,
                    tuple(self.secret_arn(s) for s in secrets),
                )
            )
            statements.append(Statement("DecryptSecrets", ("kms:Decrypt",), (self.key_arn(),)))
        return Role(
            id=Named(
                tf_label(name, "execution"),
                cfn_id(name, "execution", "role"),
                physical(self.bp.name, name, "execution", limit=64),
            ),
            purpose="execution",
            trust_service="ecs-tasks.amazonaws.com",
            policy=PolicyDoc(tuple(statements)),
        )

    def secret_arn(self, secret: SecretPlan) -> Value:
        return value(
            attr(
                "aws_secretsmanager_secret",
                secret.id,
                "arn",
                {"Ref": secret.id.cfn},
                arn("secretsmanager", f"secret:{secret.id.name}-AbCdEf").example(),
            )
        )

    def key_arn(self) -> Value:
        key = self.system.key
        return value(
            attr(
                "aws_kms_key",
                key,
                "arn",
                get_att(key, "Arn"),
                arn("kms", "key/00000000-0000-0000-0000-000000000000").example(),
            )
        )

    # -- IAM ----------------------------------------------------------------------------------

    def arns_on(
        self, target: str, kind: ResourceKind | None, on: actions.On
    ) -> tuple[str | Value, ...]:
        if on == "account":
            return ("*",)
        if on == "roles":
            if kind is None:  # a workload: its own two roles
                return tuple(
                    arn(
                        "iam", f"role/{physical(self.bp.name, target, r, limit=64)}", regional=False
                    )
                    for r in ("execution", "task")
                )
            return (arn("iam", f"role/{self.bp.name}-*", regional=False),)
        if on == "services":
            if kind is None:
                return (arn("ecs", f"service/{self.cluster_name()}/{target}"),)
            named = next(r.id for r in self.system.resources if r.key == target)
            return (arn("ecs", f"service/{named.name}/*"),)
        if on == "task-definitions":
            family = (
                physical(self.bp.name, target, limit=255) if kind is None else f"{self.bp.name}-*"
            )
            return (arn("ecs", f"task-definition/{family}:*"),)
        base = self.resource_arns[target]
        if on == "objects":
            return tuple(value(b, "/*") for b in base)
        if on == "streams":
            return tuple(value(b, ":log-stream:*") for b in base)
        return tuple(base)

    def grants_policy(self, grants: tuple[Grant, ...], owner: str) -> PolicyDoc | None:
        statements: list[Statement] = []
        kms_actions: set[str] = set()
        resources = self.aws_resources()
        services = self.aws_services()
        for grant in grants:
            if grant.resource == "*":
                statements.append(
                    Statement(
                        cfn_id(grant.access.value.replace("*", "any"), "everything"),
                        wildcard_actions(grant.access),
                        ("*",),
                    )
                )
                continue
            target = grant.resource
            kind: ResourceKind | None
            if target in resources:
                kind = resources[target]
                if grant.access is Access.ANY:
                    perms = actions.ANY_ACTION.get(kind)
                else:
                    perms = actions.ACTIONS.get((kind, grant.access))
                if kind in actions.KMS_ENCRYPTED_KINDS:
                    kms_actions.update(actions.KMS_FOR_ACCESS.get(grant.access, ()))
            elif target in services:
                kind = None
                if grant.access is Access.INVOKE:
                    continue  # a network permission: the security groups carry it
                perms = actions.WORKLOAD_ACTIONS.get(grant.access)
            else:
                continue  # on another cloud: that generator renders it
            if perms is None:
                raise UnsupportedBlueprintError(
                    f"{owner}: no IAM mapping for {grant.access.value} on "
                    f"{kind.value if kind else 'a service'} {target}"
                )
            for perm in perms:
                res = self.arns_on(target, kind, perm.on)
                if not res:
                    continue
                sid = cfn_id(grant.access.value.replace("*", "any"), target, perm.on)
                statements.append(Statement(sid, perm.actions, res))
        if kms_actions:
            statements.append(
                Statement("UseEncryptionKey", tuple(sorted(kms_actions)), (self.key_arn(),))
            )
        if not statements:
            return None
        return PolicyDoc(_merge(statements))

    def build_identity(self) -> None:
        s = self.system
        ident = self.bp.identity
        principals = {
            n: p for n, p in sorted(ident.principals.items()) if p.kind in {"human", "automation"}
        }
        used_scopes = sorted({sc for p in principals.values() for sc in p.scopes})
        groups: dict[str, Group] = {}
        for scope in used_scopes:
            sc = ident.scopes[scope]
            groups[scope] = Group(
                Named(
                    tf_label(scope),
                    cfn_id(scope, "group"),
                    physical(self.bp.name, scope, limit=128),
                ),
                sc.description,
                self.grants_policy(sc.grants, f"identity.scopes.{scope}"),
            )
        for name, p in principals.items():
            if p.grants:
                groups[f"principal:{name}"] = Group(
                    Named(
                        tf_label(name, "own"),
                        cfn_id(name, "own", "group"),
                        physical(self.bp.name, name, limit=128),
                    ),
                    f"grants of {name}",
                    self.grants_policy(p.grants, f"identity.principals.{name}"),
                )
        if any(p.console for p in principals.values()):
            groups["console-mfa"] = Group(
                Named(
                    "console_mfa",
                    "ConsoleMfaGroup",
                    physical(self.bp.name, "console-mfa", limit=128),
                ),
                "console users: everything but managing their own MFA is denied without MFA",
                mfa_policy(),
            )
        s.groups = [groups[k] for k in sorted(groups)]
        for name, p in principals.items():
            member_of = [groups[sc].id for sc in p.scopes]
            if p.grants:
                member_of.append(groups[f"principal:{name}"].id)
            if p.console:
                member_of.append(groups["console-mfa"].id)
            s.users.append(
                User(
                    Named(tf_label(name, "user"), cfn_id(name, "user"), name),
                    tuple(member_of),
                    p.console,
                )
            )


def wildcard_actions(access: Access) -> tuple[str, ...]:
    """A grant on every resource: the access level's actions on every kind (always reported)."""
    if access is Access.ANY:
        return ("*",)
    rows = [p for (_, a), perms in actions.ACTIONS.items() if a is access for p in perms]
    rows += list(actions.WORKLOAD_ACTIONS.get(access, ()))
    return tuple(sorted({act for p in rows for act in p.actions})) or ("*",)


def _merge(statements: list[Statement]) -> tuple[Statement, ...]:
    """Statements with the same sid (the same grant twice) kept once; order kept."""
    seen: dict[str, Statement] = {}
    for st in statements:
        if st.sid in seen:
            prev = seen[st.sid]
            seen[st.sid] = Statement(
                st.sid,
                tuple(sorted(set(prev.actions) | set(st.actions))),
                prev.resources + tuple(r for r in st.resources if r not in prev.resources),
            )
        else:
            seen[st.sid] = st
    return tuple(seen.values())


def mfa_policy() -> PolicyDoc:
    """AWS's documented pattern: users manage their own password and MFA; everything else is
    denied until they sign in with MFA."""
    user = arn("iam", "user/${aws:username}", regional=False)
    mfa = arn("iam", "mfa/${aws:username}", regional=False)
    return PolicyDoc(
        (
            Statement(
                "ViewAccountMfaSettings",
                ("iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"),
                ("*",),
            ),
            Statement("ManageOwnVirtualMfaDevice", ("iam:CreateVirtualMFADevice",), (mfa,)),
            Statement(
                "ManageOwnPasswordAndMfa",
                (
                    "iam:ChangePassword",
                    "iam:EnableMFADevice",
                    "iam:GetUser",
                    "iam:ListMFADevices",
                    "iam:ResyncMFADevice",
                ),
                (user,),
            ),
            Statement(
                "DeactivateOwnMfaOnlyWithMfa",
                ("iam:DeactivateMFADevice",),
                (user,),
                conditions=(Condition("Bool", "aws:MultiFactorAuthPresent", ("true",)),),
            ),
            Statement(
                "DenyAllExceptListedWithoutMfa",
                (),
                ("*",),
                effect="Deny",
                not_actions=(
                    "iam:ChangePassword",
                    "iam:CreateVirtualMFADevice",
                    "iam:EnableMFADevice",
                    "iam:GetAccountPasswordPolicy",
                    "iam:GetUser",
                    "iam:ListMFADevices",
                    "iam:ListVirtualMFADevices",
                    "iam:ResyncMFADevice",
                    "sts:GetSessionToken",
                ),
                conditions=(Condition("BoolIfExists", "aws:MultiFactorAuthPresent", ("false",)),),
            ),
        )
    )


def key_policy() -> PolicyDoc:
    """The account administers the key (IAM policies then delegate its use); CloudWatch Logs
    may use it for this account's log groups only."""
    root = arn("iam", "root", regional=False)
    return PolicyDoc(
        (
            Statement(
                "AccountAdministersKey",
                ("kms:*",),
                ("*",),
                principals=(Principal("AWS", (root,)),),
            ),
            Statement(
                "CloudWatchLogsUsesKey",
                (
                    "kms:Decrypt",
                    "kms:Encrypt",
                    "kms:GenerateDataKey",
                    "kms:ReEncryptFrom",
                    "kms:ReEncryptTo",
                ),
                ("*",),
                principals=(Principal("Service", (value("logs.", REGION, ".amazonaws.com"),)),),
                conditions=(
                    Condition(
                        "StringLike",
                        "kms:EncryptionContext:aws:logs:arn",
                        (arn("logs", "log-group:*"),),
                    ),
                ),
            ),
        )
    )


def tls_only(bucket_arn: Value) -> Statement:
    return Statement(
        "DenyInsecureTransport",
        ("s3:*",),
        (bucket_arn, value(bucket_arn, "/*")),
        effect="Deny",
        principals=(Principal("AWS", ("*",)),),
        conditions=(Condition("Bool", "aws:SecureTransport", ("false",)),),
    )


def bucket_policy(bucket_arn: Value) -> PolicyDoc:
    return PolicyDoc((tls_only(bucket_arn),))


def access_log_bucket_policy(log_bucket_arn: Value, sources: tuple[Value, ...]) -> PolicyDoc:
    """TLS only, and S3 server access logging may write the logs of this account's buckets."""
    return PolicyDoc(
        (
            tls_only(log_bucket_arn),
            Statement(
                "S3ServerAccessLogsDelivery",
                ("s3:PutObject",),
                (value(log_bucket_arn, "/*"),),
                principals=(Principal("Service", ("logging.s3.amazonaws.com",)),),
                conditions=(
                    Condition("ArnLike", "aws:SourceArn", sources),
                    Condition("StringEquals", "aws:SourceAccount", (value(ACCOUNT),)),
                ),
            ),
        )
    )


def build(bp: Blueprint) -> AwsSystem:
    return _Builder(bp).build()


__all__ = ["ACCOUNT", "PARTITION", "REGION", "AwsSystem", "build"]
