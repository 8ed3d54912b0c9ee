"""Ingress in CloudFormation: load balancers with listeners and target groups, HTTP APIs with
their VPC link, integrations, authorizer, routes and stage."""

from __future__ import annotations

import json

from generators.aws.cloudformation.template import (
    Json,
    Template,
    cfn,
    get_att,
    listener_id,
    ref,
)
from generators.aws.naming import cfn_id
from generators.aws.plan.constants import ACCESS_LOG_FORMAT
from generators.aws.plan.https import TLS_POLICY
from generators.aws.plan.records import ApiPlan, LoadBalancerPlan, TargetGroup
from generators.aws.values import REGION, Attr, value


def render_load_balancers(t: Template) -> None:
    for lb in t.s.load_balancers:
        _load_balancer(t, lb)


def render_apis(t: Template) -> None:
    for api in t.s.apis:
        _api(t, api)


def _load_balancer(t: Template, lb: LoadBalancerPlan) -> None:
    attributes, depends_on = _balancer_attributes(t, lb)
    t.add(
        lb.id.cfn,
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        {
            "Name": lb.id.name,
            "Type": lb.type,
            "Scheme": "internal" if lb.internal else "internet-facing",
            "Subnets": [ref(sub.id) for sub in lb.subnets],
            "SecurityGroups": [get_att(lb.sg.id, "GroupId")],
            "LoadBalancerAttributes": attributes,
        },
        skips=lb.skips,
        depends_on=depends_on,
    )
    for tg in lb.target_groups:
        _target_group(t, lb, tg)
    if lb.redirect:
        _redirect_listener(t, lb)
    t.output(
        cfn_id(lb.id.cfn, "dns"),
        f"DNS name of load balancer {lb.key}",
        get_att(lb.id, "DNSName"),
    )


def _balancer_attributes(t: Template, lb: LoadBalancerPlan) -> tuple[list[Json], list[str]]:
    attributes: list[Json] = [{"Key": "deletion_protection.enabled", "Value": "true"}]
    if lb.type == "network":
        attributes.append({"Key": "load_balancing.cross_zone.enabled", "Value": "true"})
    else:
        attributes.append(
            {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"}
        )
    depends_on: list[str] = []
    if lb.access_log_prefix is not None and t.s.access_log_bucket is not None:
        attributes += [
            {"Key": "access_logs.s3.enabled", "Value": "true"},
            {"Key": "access_logs.s3.bucket", "Value": ref(t.s.access_log_bucket)},
            {"Key": "access_logs.s3.prefix", "Value": lb.access_log_prefix},
        ]
        # The balancer checks it may write there when it is created.
        depends_on.append(cfn_id(t.s.access_log_bucket.cfn, "policy"))
    return attributes, depends_on


def _target_group(t: Template, lb: LoadBalancerPlan, tg: TargetGroup) -> None:
    t.add(
        tg.id.cfn,
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        {
            "Name": tg.id.name,
            "Port": tg.port,
            "Protocol": tg.protocol,
            "TargetType": "ip",
            "VpcId": ref(t.vpc_of(lb.sg.network)),
            "HealthCheckEnabled": True,
            "HealthCheckProtocol": "HTTP",
            "HealthCheckPath": tg.health_path,
            "HealthCheckPort": str(tg.health_port) if tg.health_port else "traffic-port",
            "HealthCheckIntervalSeconds": tg.health_interval,
            "HealthCheckTimeoutSeconds": tg.health_timeout,
            "HealthyThresholdCount": 3,
            "UnhealthyThresholdCount": 3,
            "Matcher": {"HttpCode": "200-399"},
        },
    )
    listener: Json = {
        "LoadBalancerArn": ref(lb.id),
        "Port": tg.listener_port,
        "Protocol": lb.listener_protocol,
        "DefaultActions": [{"Type": "forward", "TargetGroupArn": ref(tg.id)}],
    }
    if lb.certificate is not None and lb.tls_on(tg.listener_port):
        listener["Protocol"] = "HTTPS"
        listener["SslPolicy"] = TLS_POLICY
        listener["Certificates"] = [{"CertificateArn": cfn(lb.certificate.arn)}]
    t.add(listener_id(lb.key, tg.listener_port), "AWS::ElasticLoadBalancingV2::Listener", listener)


def _redirect_listener(t: Template, lb: LoadBalancerPlan) -> None:
    """Port 80 only redirects to HTTPS: nothing is served in plaintext."""
    t.add(
        cfn_id(lb.key, "http", "redirect", "listener"),
        "AWS::ElasticLoadBalancingV2::Listener",
        {
            "LoadBalancerArn": ref(lb.id),
            "Port": 80,
            "Protocol": "HTTP",
            "DefaultActions": [
                {
                    "Type": "redirect",
                    "RedirectConfig": {
                        "Port": "443",
                        "Protocol": "HTTPS",
                        "StatusCode": "HTTP_301",
                    },
                }
            ],
        },
    )


def _api(t: Template, api: ApiPlan) -> None:
    a = api.id.cfn
    api_props: Json = {"Name": api.id.name, "ProtocolType": "HTTP"}
    if api.certificate is not None:
        api_props["DisableExecuteApiEndpoint"] = True  # reached through its custom domain only
    t.add(a, "AWS::ApiGatewayV2::Api", api_props)
    link = cfn_id(a, "vpc", "link")
    t.add(
        link,
        "AWS::ApiGatewayV2::VpcLink",
        {
            "Name": api.id.name,
            "SubnetIds": [ref(sub.id) for sub in api.vpc_link_subnets],
            "SecurityGroupIds": [get_att(api.vpc_link_sg.id, "GroupId")],
        },
    )
    for lb_key, port in api.integrations:
        t.add(
            cfn_id(a, lb_key, str(port), "integration"),
            "AWS::ApiGatewayV2::Integration",
            {
                "ApiId": ref(a),
                "IntegrationType": "HTTP_PROXY",
                "IntegrationMethod": "ANY",
                "IntegrationUri": ref(listener_id(lb_key, port)),
                "ConnectionType": "VPC_LINK",
                "ConnectionId": ref(link),
                "PayloadFormatVersion": "1.0",
            },
        )
    if api.user_pool is not None:
        _authorizer(t, api)
    _routes(t, api)
    _stage(t, api)


def _authorizer(t: Template, api: ApiPlan) -> None:
    a = api.id.cfn
    authorizer = cfn_id(a, "authorizer")
    client = cfn_id(a, "client")
    assert api.user_pool is not None
    pool = next(r.id for r in t.s.user_pools() if r.key == api.user_pool)
    t.add(
        client,
        "AWS::Cognito::UserPoolClient",
        {
            "ClientName": api.id.name,
            "UserPoolId": ref(pool),
            "GenerateSecret": False,
            "PreventUserExistenceErrors": "ENABLED",
            "EnableTokenRevocation": True,
            "ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
        },
    )
    t.add(
        authorizer,
        "AWS::ApiGatewayV2::Authorizer",
        {
            "ApiId": ref(a),
            "Name": api.id.name,
            "AuthorizerType": "JWT",
            "IdentitySource": ["$request.header.Authorization"],
            "JwtConfiguration": {
                "Audience": [ref(client), *api.audience],
                "Issuer": cfn(
                    value(
                        "https://cognito-idp.",
                        REGION,
                        ".amazonaws.com/",
                        Attr("aws_cognito_user_pool.x.id", ref(pool), ""),
                    )
                ),
            },
        },
    )
    t.output(cfn_id(a, "client", "id"), f"Cognito app client of {api.key}", ref(client))


def _routes(t: Template, api: ApiPlan) -> None:
    a = api.id.cfn
    authorizer = cfn_id(a, "authorizer")
    for route in api.routes:
        props: Json = {
            "ApiId": ref(a),
            "RouteKey": route.key,
            "Target": {
                "Fn::Join": [
                    "",
                    [
                        "integrations/",
                        ref(cfn_id(a, route.target_lb, str(route.listener_port), "integration")),
                    ],
                ]
            },
        }
        if api.user_pool is not None:
            props["AuthorizationType"] = "JWT"
            props["AuthorizerId"] = ref(authorizer)
        t.add(route.id.cfn, "AWS::ApiGatewayV2::Route", props)


def _stage(t: Template, api: ApiPlan) -> None:
    a = api.id.cfn
    stage: Json = {
        "ApiId": ref(a),
        "StageName": "$default",
        "AutoDeploy": True,
        "DefaultRouteSettings": {"ThrottlingBurstLimit": 500, "ThrottlingRateLimit": 1000},
    }
    if api.access_logs is not None:
        t.log_group(api.access_logs)
        stage["AccessLogSettings"] = {
            "DestinationArn": get_att(api.access_logs, "Arn"),
            "Format": json.dumps(ACCESS_LOG_FORMAT, sort_keys=True),
        }
    t.add(cfn_id(a, "stage"), "AWS::ApiGatewayV2::Stage", stage)
    t.output(cfn_id(a, "endpoint"), f"HTTP API endpoint of {api.key}", get_att(a, "ApiEndpoint"))
