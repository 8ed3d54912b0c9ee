"""Queues and topics: a `queue` is an SQS queue with a dead-letter queue (KMS, the redrive's
receive count from its consuming jobs' retries); a `topic` without a broker is an SNS topic
delivering to one SQS queue per subscriber job, each queue admitting exactly that topic."""

from __future__ import annotations

from blueprint.model import Job, Resource, TopicTrigger
from generators.aws.naming import cfn_id, physical, tf_label
from generators.aws.plan.async_records import QueuePlan, SubscriptionPlan
from generators.aws.plan.records import Condition, Named, PolicyDoc, Principal, Statement
from generators.aws.plan.references import attr, get_att
from generators.aws.plan.state import PlanState
from generators.aws.values import Value, arn, value

QUEUE_NAME_LIMIT = 80
DEFAULT_RETENTION_DAYS = 4  # SQS's own default
SQS_MAX_RETENTION_DAYS = 14
# A queue no job of the blueprint consumes: its consumer gets SQS's customary five receives.
UNKNOWN_CONSUMER_RECEIVES = 5


def queue_arn(named: Named) -> Value:
    return value(
        attr("aws_sqs_queue", named, "arn", get_att(named, "Arn"), arn("sqs", named.name).example())
    )


def max_receive_count(consumers: list[Job]) -> int:
    """A message is received once and retried `retry.attempts` times before it becomes a dead
    letter; without retry the first failure is final (it goes to the dead-letter queue). Jobs
    sharing a queue share its redrive policy: the most patient one wins."""
    if not consumers:
        return UNKNOWN_CONSUMER_RECEIVES
    return 1 + max((j.retry.attempts if j.retry else 0) for j in consumers)


def _retention_seconds(res: Resource | None) -> int:
    days = res.retention_days if res and res.retention_days else DEFAULT_RETENTION_DAYS
    return min(days, SQS_MAX_RETENTION_DAYS) * 86400


def dead_letter_named(st: PlanState, *parts: str) -> Named:
    return Named(
        tf_label(*parts, "dlq"),
        cfn_id(*parts, "dead", "letter", "queue"),
        physical(st.bp.name, *parts, "dlq", limit=QUEUE_NAME_LIMIT),
    )


def consumers_of(st: PlanState, name: str) -> list[Job]:
    from generators.aws.plan.jobs import aws_jobs

    return [
        j
        for _, j in sorted(aws_jobs(st).items())
        if isinstance(j.trigger, TopicTrigger) and j.trigger.topic == name
    ]


def plan_queue(st: PlanState, name: str, res: Resource) -> None:
    named = Named(
        tf_label(name),
        cfn_id(name, "queue"),
        physical(st.bp.name, name, limit=QUEUE_NAME_LIMIT),
    )
    st.system.queues.append(
        QueuePlan(
            id=named,
            key=name,
            description=res.description,
            retention_seconds=_retention_seconds(res),
            dead_letter=dead_letter_named(st, name),
            max_receive_count=max_receive_count(consumers_of(st, name)),
            policy=None,
        )
    )
    st.resource_arns[name] = [queue_arn(named)]


def topic_named(st: PlanState, topic: str) -> Named:
    """The SNS topic as storage plans it (a simple resource)."""
    return next(r.id for r in st.system.resources if r.key == topic)


def topic_arn(topic: Named) -> Value:
    return value(
        attr("aws_sns_topic", topic, "arn", {"Ref": topic.cfn}, arn("sns", topic.name).example())
    )


def plan_subscription(st: PlanState, topic: str, job: str, consumer: Job) -> Named:
    """The SQS queue topic `topic` delivers to for job `job`, which admits exactly that topic;
    returns the queue."""
    sns = topic_named(st, topic)
    named = Named(
        tf_label(topic, job, "subscription"),
        cfn_id(topic, job, "subscription", "queue"),
        physical(st.bp.name, topic, job, limit=QUEUE_NAME_LIMIT),
    )
    policy = PolicyDoc(
        (
            Statement(
                "TopicDelivers",
                ("sqs:SendMessage",),
                (queue_arn(named),),
                principals=(Principal("Service", ("sns.amazonaws.com",)),),
                conditions=(Condition("ArnEquals", "aws:SourceArn", (topic_arn(sns),)),),
            ),
        )
    )
    st.system.queues.append(
        QueuePlan(
            id=named,
            key=f"{topic}/{job}",
            description=f"Deliveries of topic {topic} to job {job}",
            retention_seconds=_retention_seconds(st.bp.resources[topic]),
            dead_letter=dead_letter_named(st, topic, job, "subscription"),
            max_receive_count=max_receive_count([consumer]),
            policy=policy,
        )
    )
    st.system.subscriptions.append(
        SubscriptionPlan(
            id=Named(
                tf_label(topic, job, "subscription"),
                cfn_id(topic, job, "subscription"),
                physical(st.bp.name, topic, job, limit=256),
            ),
            topic=sns,
            queue=named,
        )
    )
    needs_key(st, "sns.amazonaws.com")
    return named


def plan_dead_letters(
    st: PlanState, job: str, description: str, policy: PolicyDoc | None = None
) -> Named:
    """The queue EventBridge sends a job's undeliverable events to (kept 14 days)."""
    named = dead_letter_named(st, job)
    st.system.queues.append(
        QueuePlan(
            id=named,
            key=f"jobs/{job}",
            description=description,
            retention_seconds=SQS_MAX_RETENTION_DAYS * 86400,
            dead_letter=None,
            max_receive_count=0,
            policy=policy,
        )
    )
    return named


def needs_key(st: PlanState, service: str) -> None:
    """`service` encrypts messages into a queue with the blueprint's key for us."""
    st.system.key_services = tuple(sorted({*st.system.key_services, service}))
