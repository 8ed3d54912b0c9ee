"""ECS task definitions, services and scaling, as HCL attributes."""

from __future__ import annotations

from typing import Any

from generators.aws.plan.constants import HEALTH_GRACE_SECONDS
from generators.aws.plan.records import ServicePlan
from generators.aws.plan.references import health_check
from generators.aws.terraform.references import ref
from generators.aws.values import REGION, Value, value


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
        "environment": sorted(
            [{"name": k, "value": v} for k, v in svc.env]
            + [{"name": k, "value": v} for k, v in svc.env_refs],
            key=lambda e: str(e["name"]),
        ),
        "secrets": sorted(
            [
                {"name": env, "valueFrom": ref("aws_secretsmanager_secret", sec.id, "arn")}
                for env, sec in svc.secrets
            ]
            + [{"name": env, "valueFrom": v} for env, v in svc.secret_refs],
            key=lambda e: str(e["name"]),
        ),
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
