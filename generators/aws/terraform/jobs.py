"""Jobs and messaging as HCL attributes: a job's container, its scaling target, a queue's
redrive policy."""

from __future__ import annotations

from typing import Any

from generators.aws.naming import tf_label
from generators.aws.plan.async_records import JobPlan, QueuePlan
from generators.aws.plan.records import AwsPlan
from generators.aws.terraform.references import ref
from generators.aws.values import REGION, Value, value


def job_container_definitions(job: JobPlan) -> list[dict[str, Any]]:
    """The ECS API's container definition (camelCase): no port, nothing calls a job."""
    return [
        {
            "name": job.key,
            "image": job.image,
            "essential": True,
            "readonlyRootFilesystem": True,
            "privileged": False,
            "environment": sorted(
                [{"name": k, "value": v} for k, v in job.env]
                + [{"name": k, "value": v} for k, v in job.env_refs],
                key=lambda e: str(e["name"]),
            ),
            "secrets": sorted(
                [
                    {"name": env, "valueFrom": ref("aws_secretsmanager_secret", sec.id, "arn")}
                    for env, sec in job.secrets
                ]
                + [{"name": env, "valueFrom": v} for env, v in job.secret_refs],
                key=lambda e: str(e["name"]),
            ),
            "logConfiguration": {
                "logDriver": "awslogs",
                "options": {
                    "awslogs-group": ref("aws_cloudwatch_log_group", job.log_group, "name"),
                    "awslogs-region": REGION,
                    "awslogs-stream-prefix": job.key,
                },
            },
        }
    ]


def job_scaling_resource_id(job: JobPlan) -> Value:
    return value(
        "service/",
        ref("aws_ecs_cluster", job.cluster, "name"),
        "/",
        ref("aws_ecs_service", job.id, "name"),
    )


def redrive_policy(queue: QueuePlan) -> dict[str, Any]:
    assert queue.dead_letter is not None
    return {
        "deadLetterTargetArn": ref("aws_sqs_queue", queue.dead_letter, "arn"),
        "maxReceiveCount": queue.max_receive_count,
    }


def messaging_outputs(s: AwsPlan) -> list[tuple[str, str, Any]]:
    """(label, description, value) of each queue resource's URL and each broker's ARN."""
    out: list[tuple[str, str, Any]] = [
        (tf_label(q.key, "queue_url"), f"SQS queue {q.key}", ref("aws_sqs_queue", q.id, "url"))
        for q in s.queues
        if "/" not in q.key
    ]
    out += [
        (
            tf_label(b.key, "cluster_arn"),
            f"MSK Serverless cluster {b.key} (bootstrap brokers: aws kafka get-bootstrap-brokers)",
            ref("aws_msk_serverless_cluster", b.id, "arn"),
        )
        for b in s.brokers
    ]
    return out
