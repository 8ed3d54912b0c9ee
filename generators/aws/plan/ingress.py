"""Ingress: load balancers with their target groups, and HTTP APIs with their routes."""

from __future__ import annotations

from blueprint.model import ApiGateway, Cloud, LoadBalancer, ResourceKind
from generators.aws.errors import UnsupportedBlueprintError
from generators.aws.naming import cfn_id, physical, tf_label
from generators.aws.plan.https import (
    access_log_prefix,
    certificate,
    plan_access_log_bucket,
    redirects,
)
from generators.aws.plan.records import ApiPlan, LoadBalancerPlan, Named, Route, TargetGroup
from generators.aws.plan.state import PlanState


def aws_lbs(st: PlanState) -> dict[str, LoadBalancer]:
    return {
        n: i
        for n, i in sorted(st.bp.ingress.items())
        if isinstance(i, LoadBalancer) and all(s in st.subnets for s in i.subnets)
    }


def aws_apis(st: PlanState) -> dict[str, ApiGateway]:
    lbs = aws_lbs(st)
    services = st.aws_services()
    return {
        n: i
        for n, i in sorted(st.bp.ingress.items())
        if isinstance(i, ApiGateway)
        and all(t in lbs or t in services for t in i.routes.values())
        and (st.bp.platforms.aws is not None)
        and (i.auth is None or st.view.resource_cloud(i.auth.issuer) is Cloud.AWS)
    }


def lb_for_service(st: PlanState, service: str, owner: str) -> tuple[str, int]:
    for lb_name, lb in aws_lbs(st).items():
        for port, target in sorted(lb.forwards.items()):
            if target == service:
                return lb_name, port
    raise UnsupportedBlueprintError(
        f"{owner}: an HTTP API reaches service {service} only through a load balancer; "
        "add one that forwards to it"
    )


def api_targets(st: PlanState, api: ApiGateway, owner: str) -> dict[str, tuple[str, int]]:
    """route -> (load balancer, listener port)."""
    lbs = aws_lbs(st)
    out: dict[str, tuple[str, int]] = {}
    for route, target in api.routes.items():
        if target in lbs:
            out[route] = (target, min(lbs[target].forwards))
        else:
            out[route] = lb_for_service(st, target, owner)
    return out


def plan_load_balancers(st: PlanState) -> None:
    services = st.aws_services()
    for lb_name, lb in aws_lbs(st).items():
        tgs: list[TargetGroup] = []
        for port, target in sorted(lb.forwards.items()):
            svc = services[target]
            health = svc.health
            tgs.append(
                TargetGroup(
                    id=Named(
                        tf_label(lb_name, str(port)),
                        cfn_id(lb_name, str(port), "target"),
                        physical(st.bp.name, lb_name, str(port), limit=32),
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
        st.system.load_balancers.append(
            LoadBalancerPlan(
                id=Named(
                    tf_label(lb_name),
                    cfn_id(lb_name, "lb"),
                    physical(st.bp.name, lb_name, limit=32),
                ),
                key=lb_name,
                type=lb.type,
                internal=lb.internal,
                subnets=tuple(st.subnet(s, f"ingress.{lb_name}") for s in lb.subnets),
                sg=st.sgs[f"lb:{lb_name}"],
                target_groups=tuple(tgs),
                certificate=certificate(st, lb_name, lb),
                redirect=redirects(lb),
                access_log_prefix=access_log_prefix(lb_name) if lb.type == "application" else None,
            )
        )
        if lb.type == "application":
            plan_access_log_bucket(st)


def plan_apis(st: PlanState) -> None:
    lbs = aws_lbs(st)
    for api_name, api in aws_apis(st).items():
        owner = f"ingress.{api_name}"
        if not api.public:
            raise UnsupportedBlueprintError(
                f"{owner}: HTTP APIs are always public; a private API is not rendered"
            )
        targets = api_targets(st, api, owner)
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
            pool_kind = st.bp.resources[api.auth.issuer].kind
            if pool_kind is not ResourceKind.USER_POOL:
                raise UnsupportedBlueprintError(f"{owner}: auth.issuer must be a user-pool")
        link_subnets = sorted({s for lb, _ in targets.values() for s in lbs[lb].subnets})
        st.system.apis.append(
            ApiPlan(
                id=Named(
                    tf_label(api_name),
                    cfn_id(api_name, "api"),
                    physical(st.bp.name, api_name, limit=128),
                ),
                key=api_name,
                routes=routes,
                integrations=tuple(sorted(set(targets.values()))),
                user_pool=api.auth.issuer if api.auth else None,
                audience=api.auth.audience if api.auth else (),
                vpc_link_subnets=tuple(st.subnets[s] for s in link_subnets),
                vpc_link_sg=st.sgs[f"api:{api_name}"],
                access_logs=Named(
                    tf_label(api_name, "access"),
                    cfn_id(api_name, "access", "logs"),
                    f"/aws/apigateway/{st.bp.name}/{api_name}",
                )
                if api.access_logs
                else None,
                certificate=certificate(st, api_name, api),
            )
        )


# -- services -----------------------------------------------------------------------------
