"""Pub/Sub: a `topic` or `queue` on gcp becomes a topic with a dead-letter topic; each
subscriber of a topic gets its own subscription `<topic>.<subscriber>` (pushed to a Cloud Run
service with an OIDC token, pulled by a job), and a queue one subscription its consumers share
(each message is handled once)."""

from __future__ import annotations

from blueprint.model import Access, Cloud, Job, Platform, ResourceKind, TopicTrigger
from blueprint.view import SystemView
from generators.gcp.plan.records import Subscription, Topic

# What a consumer declares: `subscribe` (or `read`) on the topic or queue, or a topic trigger.
CONSUME = frozenset({Access.SUBSCRIBE, Access.READ})
# Pub/Sub's bounds: 5 to 100 delivery attempts, backoff 0 to 600 seconds.
MIN_ATTEMPTS, MAX_ATTEMPTS = 5, 100
DEFAULT_MIN_BACKOFF, MAX_BACKOFF = 10, 600


def messaging_resources(view: SystemView) -> tuple[str, ...]:
    bp = view.blueprint
    return tuple(
        n
        for n in view.resources_in(Cloud.GCP)
        if bp.resources[n].kind in (ResourceKind.TOPIC, ResourceKind.QUEUE)
        and bp.resources[n].broker is None
    )


def topics(view: SystemView) -> tuple[Topic, ...]:
    bp = view.blueprint
    return tuple(
        Topic(
            name=n,
            description=bp.resources[n].description,
            kind="queue" if bp.resources[n].kind is ResourceKind.QUEUE else "topic",
        )
        for n in messaging_resources(view)
    )


def consumers(view: SystemView, resource: str) -> tuple[str, ...]:
    """The Cloud Run workloads that consume `resource`, sorted."""
    found: set[str] = set()
    for name in view.workloads_on(Platform.CLOUD_RUN):
        w = view.workload(name)
        if any(u.resource == resource and u.access in CONSUME for u in w.uses):
            found.add(name)
        if (
            isinstance(w, Job)
            and isinstance(w.trigger, TopicTrigger)
            and w.trigger.topic == resource
        ):
            found.add(name)
    return tuple(sorted(found))


def subscriptions(view: SystemView) -> tuple[Subscription, ...]:
    bp = view.blueprint
    found: list[Subscription] = []
    for topic in messaging_resources(view):
        readers = consumers(view, topic)
        if not readers:
            continue
        if bp.resources[topic].kind is ResourceKind.QUEUE:
            only = readers[0] if len(readers) == 1 and readers[0] in bp.services else None
            found.append(_subscription(view, topic, topic, only, () if only else readers))
            continue
        for reader in readers:
            push = reader if reader in bp.services else None
            found.append(
                # "." is in no blueprint name: distinct (topic, reader) pairs, distinct IDs.
                _subscription(view, f"{topic}.{reader}", topic, push, () if push else (reader,))
            )
    return tuple(found)


def _subscription(
    view: SystemView, name: str, topic: str, push: str | None, pullers: tuple[str, ...]
) -> Subscription:
    attempts, backoff = MIN_ATTEMPTS, DEFAULT_MIN_BACKOFF
    retries = [
        w.retry
        for w in (view.workload(n) for n in (*pullers, *([push] if push else [])))
        if isinstance(w, Job) and w.retry is not None
    ]
    if retries:
        # Shared by several jobs: the most patient retry wins (no message is given up early).
        attempts = max(r.attempts for r in retries)
        backoff = round(max(r.backoff_seconds for r in retries))
    return Subscription(
        name=name,
        topic=topic,
        push_to=push,
        pullers=pullers,
        max_delivery_attempts=min(max(attempts, MIN_ATTEMPTS), MAX_ATTEMPTS),
        minimum_backoff_seconds=min(backoff, MAX_BACKOFF),
        maximum_backoff_seconds=MAX_BACKOFF,
    )
