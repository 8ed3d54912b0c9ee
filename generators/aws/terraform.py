"""Terraform: the AWS system spelled as HCL through Jinja2 templates (StrictUndefined), every
interpolated value through the `hcl` filter (strings via generators.common.quoting.hcl_string,
deploy-time references checked to be plain references)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generators.aws import hcl
from generators.aws.naming import tf_label
from generators.aws.plan.checkov import Skip, for_framework
from generators.aws.plan.constants import (
    ACCESS_LOG_FORMAT,
    ECR_LIFECYCLE,
    HEALTH_GRACE_SECONDS,
    cloudwatch_retention,
)
from generators.aws.plan.documents import access_log_bucket_policy, bucket_policy, key_policy
from generators.aws.plan.records import (
    ApiPlan,
    AwsPlan,
    LoadBalancerPlan,
    Named,
    PolicyDoc,
    Route,
    SecurityGroup,
    ServicePlan,
    SgRule,
    SimpleResource,
    Subnet,
    User,
)
from generators.aws.plan.references import bucket_arn, health_check
from generators.aws.values import REGION, Attr, Value, value
from generators.common.templates import environment

TEMPLATES = Path(__file__).parent / "templates"
PROVIDER_CONSTRAINT = "~> 5.80"
TERRAFORM_CONSTRAINT = ">= 1.5.0"

# file -> template; a file is written only when its template renders something.
FILES = (
    "versions.tf",
    "variables.tf",
    "network.tf",
    "security.tf",
    "ecs.tf",
    "ingress.tf",
    "registry.tf",
    "storage.tf",
    "iam.tf",
    "outputs.tf",
)


def ref(tf_type: str, thing: Named | str, attribute: str = "id") -> Attr:
    label = thing if isinstance(thing, str) else thing.tf
    return Attr(f"{tf_type}.{label}.{attribute}", None, "")


def addr(tf_type: str, thing: Named | str) -> Attr:
    """A resource's address, for depends_on."""
    label = thing if isinstance(thing, str) else thing.tf
    return Attr(f"{tf_type}.{label}", None, "")


def subnet_ids(subnets: tuple[Subnet, ...]) -> list[Attr]:
    return [ref("aws_subnet", s.id) for s in subnets]


def policy_json(doc: PolicyDoc) -> dict[str, Any]:
    return doc.as_json()


def _hcl_filter(value: Any, indent: int = 0) -> str:
    return hcl.hcl(value, indent)


def _attrs(obj: Mapping[str, Any], indent: int = 1) -> str:
    return hcl.attributes(obj, indent)


def _skips(skips: tuple[Skip, ...]) -> list[str]:
    """checkov's inline suppressions that apply to Terraform; the reasons are ours."""
    return [f"#checkov:skip={s.check}:{s.reason}" for s in for_framework(skips, "terraform")]


def rule_attrs(sg: SecurityGroup, rule: SgRule) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "security_group_id": ref("aws_security_group", sg.id),
        "description": rule.description,
        "ip_protocol": rule.protocol,
        "from_port": rule.port,
        "to_port": rule.port,
    }
    if rule.peer_sg is not None:
        attrs["referenced_security_group_id"] = ref("aws_security_group", rule.peer_sg)
    elif rule.ipv6:
        attrs["cidr_ipv6"] = rule.cidr
    else:
        attrs["cidr_ipv4"] = rule.cidr
    return attrs


def task_family(svc: ServicePlan) -> str:
    return svc.family


def container_definitions(svc: ServicePlan) -> list[dict[str, Any]]:
    """The ECS API's container definition (camelCase), built as data."""
    container: dict[str, Any] = {
        "name": svc.key,
        "image": svc.image,
        "essential": True,
        "readonlyRootFilesystem": True,
        "privileged": False,
        "portMappings": [{"containerPort": svc.port, "hostPort": svc.port, "protocol": "tcp"}],
        "environment": [{"name": k, "value": v} for k, v in svc.env],
        "secrets": [
            {"name": env, "valueFrom": ref("aws_secretsmanager_secret", sec.id, "arn")}
            for env, sec in svc.secrets
        ],
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {
                "awslogs-group": ref("aws_cloudwatch_log_group", svc.log_group, "name"),
                "awslogs-region": REGION,
                "awslogs-stream-prefix": svc.key,
            },
        },
    }
    if svc.health_path is not None:
        container["healthCheck"] = health_check(svc)
    return [container]


def service_attrs(svc: ServicePlan) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "name": svc.id.name,
        "cluster": ref("aws_ecs_cluster", svc.cluster, "id"),
        "task_definition": ref("aws_ecs_task_definition", svc.id, "arn"),
        "desired_count": svc.replicas.ref,
        "launch_type": "FARGATE",
        "platform_version": "LATEST",
        "propagate_tags": "SERVICE",
        "enable_execute_command": False,
    }
    if svc.target_groups:
        attrs["health_check_grace_period_seconds"] = HEALTH_GRACE_SECONDS
    return attrs


def scaling_resource_id(svc: ServicePlan) -> Value:
    return value(
        "service/",
        ref("aws_ecs_cluster", svc.cluster, "name"),
        "/",
        ref("aws_ecs_service", svc.id, "name"),
    )


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


def group_names(user: User) -> list[Attr]:
    return [ref("aws_iam_group", g, "name") for g in user.groups]


@dataclass(frozen=True)
class Output:
    name: str
    description: str
    value: Any


def outputs(s: AwsPlan) -> list[Output]:
    out: list[Output] = []

    def add(label: str, description: str | None, default: str, val: Any) -> None:
        out.append(Output(label, description if description is not None else default, val))

    if s.description is not None:
        add("blueprint", s.description, "", s.name)
    for n in s.networks:
        add(tf_label(n.key, "vpc_id"), None, f"VPC of network {n.key}", ref("aws_vpc", n.id))
    for api in s.apis:
        add(
            tf_label(api.key, "endpoint"),
            None,
            f"HTTP API endpoint of {api.key}",
            ref("aws_apigatewayv2_api", api.id, "api_endpoint"),
        )
        if api.user_pool is not None:
            add(
                tf_label(api.key, "client_id"),
                None,
                f"Cognito app client of {api.key}",
                ref("aws_cognito_user_pool_client", api.id),
            )
    for lb in s.load_balancers:
        add(
            tf_label(lb.key, "dns_name"),
            None,
            f"DNS name of load balancer {lb.key}",
            ref("aws_lb", lb.id, "dns_name"),
        )
    for repo in s.repositories:
        add(
            tf_label(repo.id.tf, "repository_url"),
            s.resource_descriptions.get(repo.registry),
            f"ECR repository {repo.id.name}",
            ref("aws_ecr_repository", repo.id, "repository_url"),
        )
    for b in s.buckets:
        add(
            tf_label(b.key, "bucket"),
            b.description,
            f"S3 bucket {b.key}",
            ref("aws_s3_bucket", b.id),
        )
    for c in s.clusters():
        add(
            tf_label(c.tf, "cluster_name"),
            s.resource_descriptions.get(c.name.removeprefix(s.name + "-")),
            "ECS cluster",
            ref("aws_ecs_cluster", c, "name"),
        )
    for r in s.resources:
        kind = r.kind.value
        if kind == "user-pool":
            add(
                tf_label(r.key, "user_pool_id"),
                r.description,
                f"Cognito user pool {r.key}",
                ref("aws_cognito_user_pool", r.id),
            )
        elif kind == "queue":
            add(
                tf_label(r.key, "queue_url"),
                r.description,
                f"SQS queue {r.key}",
                ref("aws_sqs_queue", r.id, "url"),
            )
        elif kind == "topic":
            add(
                tf_label(r.key, "topic_arn"),
                r.description,
                f"SNS topic {r.key}",
                ref("aws_sns_topic", r.id, "arn"),
            )
        elif kind == "logs":
            add(
                tf_label(r.key, "log_group"),
                r.description,
                f"log group {r.key}",
                ref("aws_cloudwatch_log_group", r.id, "name"),
            )
    for g in s.groups:
        add(
            tf_label(g.id.tf, "group"),
            g.description,
            f"IAM group {g.id.name}",
            ref("aws_iam_group", g.id, "name"),
        )
    return out


def _env() -> jinja2.Environment:
    env = environment(TEMPLATES)
    env.filters["hcl"] = _hcl_filter
    env.globals.update(
        attrs=_attrs,
        ref=ref,
        addr=addr,
        key_arn=Attr("aws_kms_key.main.arn", None, ""),
        subnet_ids=subnet_ids,
        policy_json=policy_json,
        rule_attrs=rule_attrs,
        lb_attrs=lb_attrs,
        listener_label=listener_label,
        integration_label=integration_label,
        audience=audience,
        issuer=issuer,
        route_attrs=route_attrs,
        group_names=group_names,
        ecr_lifecycle=ECR_LIFECYCLE,
        access_log_format=ACCESS_LOG_FORMAT,
        task_family=task_family,
        container_definitions=container_definitions,
        service_attrs=service_attrs,
        scaling_resource_id=scaling_resource_id,
        network_label=lambda key: tf_label(key),
        key_policy=key_policy(),
        skips=_skips,
        value=Value,
        provider_constraint=PROVIDER_CONSTRAINT,
        terraform_constraint=TERRAFORM_CONSTRAINT,
    )
    return env


def render(system: AwsPlan) -> dict[str, str]:
    env = _env()
    retention = cloudwatch_retention(system.log_retention_days)

    def expiry_days(bucket: Named) -> int | None:
        if bucket == system.access_log_bucket:
            return retention
        return next(b.retention_days for b in system.buckets if b.id == bucket)

    def log_group_retention(r: SimpleResource) -> Attr | int:
        if r.retention_days is None:
            return Attr("var.log_retention_days", None, "")
        return cloudwatch_retention(r.retention_days)

    def queue_retention_seconds(r: SimpleResource) -> int:
        return min(r.retention_days or 4, 14) * 86400

    def bucket_policy_for(bucket: Named) -> PolicyDoc:
        return bucket_policy(bucket_arn(bucket))

    log_bucket_policy = (
        access_log_bucket_policy(
            bucket_arn(system.access_log_bucket),
            tuple(bucket_arn(b.id) for b in system.buckets),
        )
        if system.access_log_bucket
        else None
    )
    files: dict[str, str] = {}
    for name in FILES:
        text = env.get_template(f"{name}.j2").render(
            s=system,
            outputs=outputs(system),
            log_retention=retention,
            expiry_days=expiry_days,
            log_group_retention=log_group_retention,
            queue_retention_seconds=queue_retention_seconds,
            bucket_policy=bucket_policy_for,
            log_bucket_policy=log_bucket_policy,
            pool_label=tf_label,
        )
        text = _tidy(text)
        if text.strip():
            files[f"aws/terraform/{name}"] = text
    return files


def _tidy(text: str) -> str:
    """One blank line between blocks, none at the ends (what fmt keeps stable)."""
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n" if out else ""
