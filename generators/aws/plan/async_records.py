"""The plan's records for asynchronous work: SQS queues and their dead letters, SNS
subscriptions, MSK Serverless brokers, and Fargate jobs with what starts them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generators.aws.plan.records import (
    Named,
    PolicyDoc,
    Role,
    SecretPlan,
    SecurityGroup,
    Subnet,
    Variable,
)
from generators.aws.values import Value

# SQS keeps a dead letter for the longest it can: 14 days.
DEAD_LETTER_RETENTION_SECONDS = 14 * 86400
# How long EventBridge keeps retrying one event before it goes to the dead-letter queue.
EVENT_MAX_AGE_SECONDS = 3600
KAFKA_IAM_PORT = 9098


@dataclass(frozen=True)
class QueuePlan:
    """An SQS queue with its dead-letter queue: a `queue` resource, a topic's subscription queue
    for one subscriber job, or the dead letters of a job EventBridge starts."""

    id: Named
    key: str  # the resource, or "<topic>/<job>" for a subscription queue
    description: str | None
    retention_seconds: int
    dead_letter: Named | None  # None: this queue is itself only a dead-letter queue
    max_receive_count: int
    policy: PolicyDoc | None  # who else may send to it (SNS, EventBridge)


@dataclass(frozen=True)
class SubscriptionPlan:
    """An SNS topic delivering to one subscriber's queue (raw messages)."""

    id: Named
    topic: Named
    queue: Named


@dataclass(frozen=True)
class BrokerPlan:
    """An MSK Serverless cluster with IAM authentication; its topics are created by the
    applications (neither Terraform nor CloudFormation has an MSK Serverless topic)."""

    id: Named
    key: str
    description: str | None
    subnets: tuple[Subnet, ...]
    sg: SecurityGroup
    topics: tuple[str, ...]


TriggerKind = Literal["schedule", "queue", "kafka", "event"]


@dataclass(frozen=True)
class JobPlan:
    id: Named
    key: str
    description: str | None
    trigger: TriggerKind
    cpu: Variable
    memory: Variable
    image: Value
    image_variable: Variable | None
    env: tuple[tuple[str, str], ...]
    secrets: tuple[tuple[str, SecretPlan], ...]
    env_refs: tuple[tuple[str, Value], ...]  # env values from resource outputs
    secret_refs: tuple[tuple[str, Value], ...]  # secrets from resource outputs: valueFrom
    subnets: tuple[Subnet, ...]
    sg: SecurityGroup
    cluster: Named
    family: str
    log_group: Named
    execution_role: Role
    task_role: Role
    # schedule: the EventBridge Scheduler expression; event: the bucket and the detail type
    schedule: str | None = None
    bucket: Named | None = None
    detail_type: str | None = None
    rule: str | None = None  # the name of its EventBridge schedule or rule
    # schedule and event: the role EventBridge runs the task with, its retries, its dead letters
    invoker_role: Role | None = None
    retry_attempts: int = 0
    dead_letter: Named | None = None
    # queue and kafka workers: what they consume, and the backlog scaling
    queue: Named | None = None
    broker: Named | None = None
    topic: str | None = None
    scaling: tuple[int, int, int] | None = None  # min, max, backlog target

    @property
    def runs_as_service(self) -> bool:
        """Workers run as ECS services; scheduled and event jobs as tasks EventBridge starts."""
        return self.trigger in ("queue", "kafka")

    @property
    def desired_count(self) -> int:
        return self.scaling[0] if self.scaling else 1


@dataclass(frozen=True)
class Metric:
    """The CloudWatch metric a worker's backlog scaling tracks."""

    namespace: str
    name: str
    statistic: str
    dimensions: tuple[tuple[str, str], ...]


def backlog_metric(job: JobPlan) -> Metric:
    """SQS: the messages waiting in its queue; MSK: the consumer lag of its group on its topic
    (the group is the job's name)."""
    if job.queue is not None:
        return Metric(
            "AWS/SQS",
            "ApproximateNumberOfMessagesVisible",
            "Average",
            (("QueueName", job.queue.name),),
        )
    assert job.broker is not None and job.topic is not None
    return Metric(
        "AWS/Kafka",
        "SumOffsetLag",
        "Average",
        (("Cluster Name", job.broker.name), ("Consumer Group", job.key), ("Topic", job.topic)),
    )


def event_pattern(job: JobPlan) -> dict[str, object]:
    assert job.bucket is not None and job.detail_type is not None
    return {
        "source": ["aws.s3"],
        "detail-type": [job.detail_type],
        "detail": {"bucket": {"name": [job.bucket.name]}},
    }
