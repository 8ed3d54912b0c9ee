"""Load balancers and HTTP APIs, as HCL attributes."""

from __future__ import annotations

from typing import Any

from generators.aws.naming import tf_label
from generators.aws.plan.records import ApiPlan, LoadBalancerPlan, Route
from generators.aws.terraform.references import ref, subnet_ids
from generators.aws.values import REGION, Value, value


def lb_attrs(lb: LoadBalancerPlan) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "name": lb.id.name,
        "load_balancer_type": lb.type,
        "internal": lb.internal,
        "subnets": subnet_ids(lb.subnets),
        "security_groups": [ref("aws_security_group", lb.sg.id)],
        "enable_deletion_protection": True,
    }
    if lb.type == "network":
        attrs["enable_cross_zone_load_balancing"] = True
    else:
        attrs["drop_invalid_header_fields"] = True
    return attrs


def listener_label(lb_key: str, port: int) -> str:
    return tf_label(lb_key, str(port))


def integration_label(api: ApiPlan, lb_key: str, port: int) -> str:
    return tf_label(api.key, lb_key, str(port))


def audience(api: ApiPlan) -> list[Any]:
    return [ref("aws_cognito_user_pool_client", api.id), *api.audience]


def issuer(api: ApiPlan) -> Value:
    assert api.user_pool is not None
    return value(
        "https://cognito-idp.",
        REGION,
        ".amazonaws.com/",
        ref("aws_cognito_user_pool", tf_label(api.user_pool)),
    )


def route_attrs(api: ApiPlan, route: Route) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "api_id": ref("aws_apigatewayv2_api", api.id),
        "route_key": route.key,
        "target": value(
            "integrations/",
            ref(
                "aws_apigatewayv2_integration",
                integration_label(api, route.target_lb, route.listener_port),
            ),
        ),
    }
    if api.user_pool is not None:
        attrs["authorization_type"] = "JWT"
        attrs["authorizer_id"] = ref("aws_apigatewayv2_authorizer", api.id)
    return attrs
