"""Container Apps jobs: on a schedule (cron), or event-driven by a KEDA scaler on the Service Bus
queue or subscription, or the event hub, the job is triggered by, authenticated with the job's
own managed identity."""

from __future__ import annotations

from blueprint.model import EventTrigger, Job, Platform, ScheduleTrigger
from generators.azure import roles
from generators.azure.naming import symbol
from generators.azure.plan.constants import DATA_ACCOUNT
from generators.azure.plan.data_records import ContainerJob, ScaleMetadata, ScaleRule
from generators.azure.plan.identity import assign, grants, new_identity, pull_image
from generators.azure.plan.records import EnvVar
from generators.azure.plan.state import PlanState
from generators.azure.plan.triggers import (
    EVENT_HUB,
    SERVICE_BUS_QUEUE,
    SERVICE_BUS_TOPIC,
    TriggerSource,
    grant_trigger,
    trigger_source,
)
from generators.azure.plan.workloads import container_env

REPLICA_TIMEOUT_SECONDS = 1800


def checkpoint_container(job: str) -> tuple[str, str]:
    """The blob container (symbol, name) where an Event Hubs job's consumer keeps its
    checkpoints, which the KEDA scaler reads to count unprocessed events."""
    return symbol("blob", job, "checkpoints"), f"{job}-checkpoints"


def event_hub_jobs(st: PlanState) -> list[str]:
    return [
        n
        for n, w in st.workloads.items()
        if isinstance(w, Job)
        and w.platform is Platform.AZURE_CONTAINER_APPS
        and not isinstance(w.trigger, ScheduleTrigger | EventTrigger)
        and w.trigger.topic in st.event_hubs
    ]


def plan_container_jobs(st: PlanState) -> None:
    for name, w in st.workloads.items():
        if w.platform is Platform.AZURE_CONTAINER_APPS and isinstance(w, Job):
            _job(st, name, w)


def _job(st: PlanState, name: str, w: Job) -> None:
    identity = new_identity(st, name, w.description)
    image = pull_image(st, name, w, identity)
    grants(st, name, identity)
    refs, env = container_env(st, name, w)
    source = trigger_source(st, name, w)
    rule = None
    if isinstance(w.trigger, EventTrigger):
        rule = _event_queue_rule(st, name, identity)
        env += _event_queue_env(st, name)
    elif source is not None:
        grant_trigger(st, name, identity, source)
        rule = _scale_rule(st, name, identity, source)
        env += _trigger_env(source)
    scheduled = isinstance(w.trigger, ScheduleTrigger)
    st.plan.container_jobs.append(
        ContainerJob(
            symbol=symbol("caj", name),
            name=name,
            description=w.description,
            identity=identity,
            environment=st.environment_of[name],
            image=image,
            cpu=f"{w.cpu:g}",
            memory=f"{w.memory / 1024:g}Gi",
            trigger_type="Schedule" if scheduled else "Event",
            cron=w.trigger.schedule if isinstance(w.trigger, ScheduleTrigger) else None,
            replica_timeout=REPLICA_TIMEOUT_SECONDS,
            # An event-driven job leaves retries to the broker: a failed execution abandons
            # its message, which is redelivered until maxDeliveryCount and then dead-lettered.
            retry_limit=(w.retry.attempts - 1 if w.retry else 0) if scheduled else 0,
            scale_rule=rule,
            env=tuple(env),
            secrets=tuple(refs),
            depends_on=tuple(st.deps.get(name, ())),
        )
    )


def _event_queue_rule(st: PlanState, name: str, identity: str) -> ScaleRule:
    """Blob events reach the job through Event Grid into its queue on the data account (as for a
    Function); the scaler counts that queue's messages with the job's identity."""
    queue = st.queue_symbols[name]
    assign(
        st,
        name,
        identity,
        queue,
        roles.EVENT_QUEUE_CONSUMER,
        f"{name} consumes the blob events queued for its trigger",
    )
    return ScaleRule(
        "blob-events",
        "azure-queue",
        (
            ScaleMetadata("accountName", expression=f"{symbol('st', DATA_ACCOUNT)}.name"),
            ScaleMetadata("queueName", expression=f"{queue}.name"),
            ScaleMetadata("queueLength", value="1"),
        ),
    )


def _event_queue_env(st: PlanState, name: str) -> list[EnvVar]:
    data = symbol("st", DATA_ACCOUNT)
    return [
        EnvVar("EVENTS_QUEUE_SERVICE_URI", expression=f"{data}.properties.primaryEndpoints.queue"),
        EnvVar("EVENTS_QUEUE_NAME", expression=f"{st.queue_symbols[name]}.name"),
    ]


def _scale_rule(st: PlanState, name: str, identity: str, source: TriggerSource) -> ScaleRule:
    if source.kind == EVENT_HUB:
        container, _ = checkpoint_container(name)
        assign(
            st,
            name,
            identity,
            container,
            roles.CHECKPOINT_STORE,
            f"{name} keeps its event hub checkpoints, which its scaler reads",
        )
        data = symbol("st", DATA_ACCOUNT)
        return ScaleRule(
            "event-hub",
            "azure-eventhub",
            (
                ScaleMetadata("eventHubNamespace", expression=f"{source.home}.name"),
                ScaleMetadata("eventHubName", expression=f"{source.entity}.name"),
                ScaleMetadata("consumerGroup", expression=f"{source.reader}.name"),
                ScaleMetadata("storageAccountName", expression=f"{data}.name"),
                ScaleMetadata("blobContainer", expression=f"{container}.name"),
                ScaleMetadata("checkpointStrategy", value="blobMetadata"),
                ScaleMetadata("unprocessedEventThreshold", value="1"),
            ),
        )
    entity = (
        (ScaleMetadata("queueName", expression=f"{source.entity}.name"),)
        if source.kind == SERVICE_BUS_QUEUE
        else (
            ScaleMetadata("topicName", expression=f"{source.entity}.name"),
            ScaleMetadata("subscriptionName", expression=f"{source.reader}.name"),
        )
    )
    return ScaleRule(
        "service-bus",
        "azure-servicebus",
        (
            ScaleMetadata("namespace", expression=f"{source.home}.name"),
            *entity,
            ScaleMetadata("messageCount", value="1"),
        ),
    )


def _trigger_env(source: TriggerSource) -> list[EnvVar]:
    """Where the job reads its messages: the namespace and entity names."""
    env = [EnvVar("TRIGGER_NAMESPACE", expression=source.namespace_host)]
    if source.kind == SERVICE_BUS_QUEUE:
        env.append(EnvVar("TRIGGER_QUEUE_NAME", expression=f"{source.entity}.name"))
    elif source.kind == SERVICE_BUS_TOPIC:
        env.append(EnvVar("TRIGGER_TOPIC_NAME", expression=f"{source.entity}.name"))
        env.append(EnvVar("TRIGGER_SUBSCRIPTION_NAME", expression=f"{source.reader}.name"))
    else:
        env.append(EnvVar("TRIGGER_EVENT_HUB_NAME", expression=f"{source.entity}.name"))
        env.append(EnvVar("TRIGGER_CONSUMER_GROUP", expression=f"{source.reader}.name"))
        container, _ = checkpoint_container(str(source.reader_name))
        data = symbol("st", DATA_ACCOUNT)
        env.append(
            EnvVar(
                "CHECKPOINT_BLOB_ENDPOINT", expression=f"{data}.properties.primaryEndpoints.blob"
            )
        )
        env.append(EnvVar("CHECKPOINT_CONTAINER", expression=f"{container}.name"))
    return env
