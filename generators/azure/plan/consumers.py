"""Who consumes a queue or topic: the jobs it triggers and the workloads that read or subscribe
to it, in declaration order; and which queues are Service Bus queues."""

from __future__ import annotations

from blueprint.model import Access, Job, Platform, ResourceKind, TopicTrigger
from generators.azure.plan.state import PlanState

CONSUMING = frozenset({Access.READ, Access.SUBSCRIBE})
DEFAULT_MAX_DELIVERY = 10  # Service Bus's own default


def triggered_by(st: PlanState, resource: str) -> list[str]:
    return [
        name
        for name, w in st.workloads.items()
        if isinstance(w, Job)
        and isinstance(w.trigger, TopicTrigger)
        and w.trigger.topic == resource
    ]


def consumers(st: PlanState, resource: str) -> list[str]:
    """The jobs the resource triggers, then the other workloads reading it."""
    found = triggered_by(st, resource)
    for name in st.workloads:
        if name not in found and any(
            g.resource == resource and g.access in CONSUMING for g in st.view.workload_grants(name)
        ):
            found.append(name)
    return found


def max_delivery(st: PlanState, names: list[str]) -> int:
    """Deliveries before a message is dead-lettered: the consumers' declared retry attempts
    (the most any of them declares), else Service Bus's default."""
    attempts = [
        w.retry.attempts
        for n in names
        if isinstance(w := st.workloads[n], Job) and w.retry is not None
    ]
    return max(attempts, default=DEFAULT_MAX_DELIVERY)


def service_bus_queues(st: PlanState) -> frozenset[str]:
    """A queue is a Service Bus queue when a Container Apps job is triggered by it: the job's
    KEDA scaler and its dead-lettering need Service Bus. Every other queue stays a storage queue
    (what Functions bind to by default, and what the existing systems render)."""
    return frozenset(
        r
        for r, res in st.resources.items()
        if res.kind is ResourceKind.QUEUE
        and any(
            st.workloads[j].platform is Platform.AZURE_CONTAINER_APPS for j in triggered_by(st, r)
        )
    )
