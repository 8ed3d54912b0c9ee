"""Security groups: who may reach whom, on which port, derived from calls and forwards."""

from __future__ import annotations

from dataclasses import dataclass, field

from blueprint.model import ApiGateway, FirewallRule, Job, LoadBalancer, ResourceKind, Service
from blueprint.subjects import ingress_id, job_id, service_id
from blueprint.view import ExposureKind, Reason
from generators.aws.errors import UnsupportedBlueprintError
from generators.aws.plan.async_records import KAFKA_IAM_PORT
from generators.aws.plan.constants import HTTPS
from generators.aws.plan.databases import aws_databases, database_subnets
from generators.aws.plan.https import HTTP, redirects
from generators.aws.plan.ingress import api_targets, aws_apis, aws_lbs
from generators.aws.plan.jobs import aws_jobs, job_groups
from generators.aws.plan.kafka import broker_users
from generators.aws.plan.records import Named, SecurityGroup, SgRule
from generators.aws.plan.state import PlanState


@dataclass
class _Rules:
    """The rules of every group being planned, by owner key (`svc`, `lb:name`, `api:name`)."""

    groups: dict[str, Named]
    by_owner: dict[str, list[SgRule]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_owner = {k: [] for k in self.groups}

    def allow(self, src: str, dst: str, port: int, what: str) -> None:
        """`src` may open connections to `dst` on `port`: ingress on one, egress on the other."""
        self.by_owner[dst].append(
            SgRule("ingress", f"from {what}", "tcp", port, peer_sg=self.groups[src])
        )
        dst_what = dst.split(":", 1)[-1]
        self.by_owner[src].append(
            SgRule("egress", f"to {dst_what}", "tcp", port, peer_sg=self.groups[dst])
        )

    def dedupe(self, owner: str) -> tuple[SgRule, ...]:
        unique = {r.key: r for r in self.by_owner[owner]}
        return tuple(unique[k] for k in sorted(unique))


def plan_security_groups(st: PlanState) -> None:
    services = st.aws_services()
    lbs = aws_lbs(st)
    apis = aws_apis(st)
    for name, svc in services.items():
        if not svc.subnets:
            raise UnsupportedBlueprintError(
                f"services.{name}: a Fargate service needs subnets to run in"
            )
    jobs = aws_jobs(st)
    brokers = [n for n, k in st.aws_resources().items() if k is ResourceKind.BROKER]
    rules = _Rules(
        {
            **{n: st.sg_named(n, "service") for n in services},
            **{n: st.sg_named(n, "job") for n in jobs},
            **{f"lb:{n}": st.sg_named(n, "lb") for n in lbs},
            **{f"api:{n}": st.sg_named(n, "vpc-link") for n in apis},
            **{f"broker:{n}": st.sg_named(n, "broker") for n in brokers},
            **{f"db:{n}": st.sg_named(n, "db") for n in aws_databases(st)},
        }
    )
    _connection_rules(st, rules, services, lbs, jobs)
    _data_access_rules(st, rules, services, jobs)
    _exposure_rules(st, rules, services, lbs)
    _egress_rules(rules, [*services, *jobs])
    _api_rules(st, rules, apis)
    for broker in brokers:
        for user in broker_users(st, broker):
            rules.allow(user, f"broker:{broker}", KAFKA_IAM_PORT, f"workload {user}")
    _groups(st, rules, services, lbs, apis)
    job_groups(st, rules.groups, rules.dedupe, jobs, brokers)


def _connection_rules(
    st: PlanState,
    rules: _Rules,
    services: dict[str, Service],
    lbs: dict[str, LoadBalancer],
    jobs: dict[str, Job],
) -> None:
    """One rule pair per connection of the view between AWS workloads and load balancers: a
    call, a forward, or the health check a load balancer's target group makes. A caller of a
    service behind a load balancer may also reach it through the balancer (its DNS name is the
    only address ECS gives it)."""
    owner = {service_id(n): n for n in services} | {ingress_id(n): f"lb:{n}" for n in lbs}
    owner |= {job_id(n): n for n in jobs}
    fronted: dict[str, list[tuple[str, int]]] = {}
    for lb_name, lb in lbs.items():
        for port, target in sorted(lb.forwards.items()):
            if target not in services:
                raise UnsupportedBlueprintError(
                    f"ingress.{lb_name}: forwards to {target}, which is not an aws-fargate service"
                )
            fronted.setdefault(target, []).append((lb_name, port))
    for c in st.view.connections:
        src, dst = owner.get(c.source), owner.get(c.destination)
        if dst is None or dst not in services or c.port is None:
            continue
        if c.reason is Reason.CALL and (src in services or src in jobs):
            caller = f"{'job' if src in jobs else 'service'} {src}"
            rules.allow(src, dst, c.port, caller)
            for lb_name, listener in fronted.get(dst, ()):
                rules.allow(src, f"lb:{lb_name}", listener, caller)
        elif c.reason is Reason.INGRESS_FORWARD and src is not None and src.startswith("lb:"):
            rules.allow(src, dst, c.port, f"load balancer {src[3:]}")
        elif c.reason is Reason.HEALTH_CHECK:
            for lb_name, _ in fronted.get(dst, ()):
                rules.allow(f"lb:{lb_name}", dst, c.port, f"load balancer {lb_name}")


def _data_access_rules(
    st: PlanState, rules: _Rules, services: dict[str, Service], jobs: dict[str, Job]
) -> None:
    """A workload that uses a database reaches it on its port: nothing else does."""
    owner = {service_id(n): n for n in services} | {job_id(n): n for n in jobs}
    for c in st.view.connections:
        if c.reason is not Reason.DATA_ACCESS or c.port is None:
            continue
        src, db = owner.get(c.source), f"db:{c.destination.split('.', 1)[-1]}"
        if src is not None and db in rules.groups:
            rules.allow(src, db, c.port, f"{'job' if src in jobs else 'service'} {src}")


def _exposure_rules(
    st: PlanState, rules: _Rules, services: dict[str, Service], lbs: dict[str, LoadBalancer]
) -> None:
    """Every way in the view finds, opened to exactly the sources it names: a public load
    balancer's listeners (to anyone unless allow_from narrows them), a service's allow_from."""
    for name in services:
        for e in st.view.exposures_of(service_id(name)):
            rules.by_owner[name] += _from_sources(e.port, e.protocol, e.sources)
    for lb_name, lb in lbs.items():
        key = f"lb:{lb_name}"
        for e in st.view.exposures_of(ingress_id(lb_name)):
            if e.kind is ExposureKind.PUBLIC_INGRESS:
                redirect = redirects(lb) and e.port == HTTP
                rules.by_owner[key] += _from_sources(e.port, e.protocol, e.sources, redirect)
        if lb.internal:
            # Not a way in from outside (the view's exposure): private clients the rules name.
            for rule in lb.allow_from:
                rules.by_owner[key] += firewall(rule)


def _from_sources(
    port: int | None, protocol: str, sources: tuple[str, ...], redirect: bool = False
) -> list[SgRule]:
    assert port is not None  # services and load balancers are exposed on their ports
    what = " (redirected to HTTPS)" if redirect else ""
    return [
        SgRule(
            "ingress",
            ("from the internet" if cidr == "0.0.0.0/0" else f"allow_from {cidr}") + what,
            protocol,
            port,
            cidr=cidr,
            redirect_only=redirect,
        )
        for cidr in sources
    ]


def _egress_rules(rules: _Rules, workloads: list[str]) -> None:
    for name in workloads:
        rules.by_owner[name].append(
            SgRule(
                "egress",
                "to AWS APIs and registries over HTTPS",
                "tcp",
                HTTPS,
                cidr="0.0.0.0/0",
            )
        )


def _api_rules(st: PlanState, rules: _Rules, apis: dict[str, ApiGateway]) -> None:
    for api_name, api in apis.items():
        if api.allow_from:
            raise UnsupportedBlueprintError(
                f"ingress.{api_name}: an HTTP API cannot enforce allow_from (no resource "
                "policies or WAF on HTTP APIs); put the rule on its load balancer"
            )
        for lb_name, port in sorted(set(api_targets(st, api, f"ingress.{api_name}").values())):
            rules.allow(f"api:{api_name}", f"lb:{lb_name}", port, f"api {api_name}")


def _groups(
    st: PlanState,
    rules: _Rules,
    services: dict[str, Service],
    lbs: dict[str, LoadBalancer],
    apis: dict[str, ApiGateway],
) -> None:
    for name, svc in services.items():
        st.sgs[name] = SecurityGroup(
            rules.groups[name],
            st.network_of(svc.subnets, f"services.{name}"),
            f"Fargate service {name}",
            rules.dedupe(name),
        )
    for lb_name, lb in lbs.items():
        st.sgs[f"lb:{lb_name}"] = SecurityGroup(
            rules.groups[f"lb:{lb_name}"],
            st.network_of(lb.subnets, f"ingress.{lb_name}"),
            f"Load balancer {lb_name}",
            rules.dedupe(f"lb:{lb_name}"),
        )
    for api_name, api in apis.items():
        targets = sorted({lb for lb, _ in api_targets(st, api, f"ingress.{api_name}").values()})
        st.sgs[f"api:{api_name}"] = SecurityGroup(
            rules.groups[f"api:{api_name}"],
            st.network_of(tuple(s for t in targets for s in lbs[t].subnets), f"ingress.{api_name}"),
            f"VPC link of API {api_name}",
            rules.dedupe(f"api:{api_name}"),
        )
    for db_name, res in aws_databases(st).items():
        st.sgs[f"db:{db_name}"] = SecurityGroup(
            rules.groups[f"db:{db_name}"],
            st.network_of(database_subnets(st, db_name, res), f"resources.{db_name}"),
            f"Database {db_name}",
            rules.dedupe(f"db:{db_name}"),
        )
    st.system.security_groups = [st.sgs[k] for k in sorted(st.sgs)]


def firewall(rule: FirewallRule) -> list[SgRule]:
    return [
        SgRule("ingress", f"allow_from {rule.cidr}", rule.protocol, port, cidr=rule.cidr)
        for port in rule.ports
    ]
