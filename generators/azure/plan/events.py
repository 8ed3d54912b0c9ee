"""Events: the Event Grid system topic on the data account and a subscription per job that
blob events trigger, delivering into that job's queue."""

from __future__ import annotations

from generators.azure import roles
from generators.azure.naming import local_name, symbol
from generators.azure.plan.constants import DATA_ACCOUNT, EVENT_GRID_MAX_DELIVERY_ATTEMPTS
from generators.azure.plan.identity import assign, new_identity
from generators.azure.plan.records import EventSubscription, SystemTopic
from generators.azure.plan.state import PlanState
from generators.azure.plan.storage import event_jobs


def plan_system_topics(st: PlanState) -> None:
    events = event_jobs(st)
    if not events:
        return
    data = st.plan.storage_accounts[0]
    topic_identity = new_identity(st, f"evgt-{DATA_ACCOUNT}", None)
    subscriptions = []
    for name, (job, trigger) in events.items():
        queue = st.queue_symbols[name]
        ra = assign(
            st,
            f"evgt-{name}",
            topic_identity,
            queue,
            roles.EVENT_QUEUE_SENDER,
            f"Event Grid delivers {trigger.resource} events to {name}",
        )
        attempts = job.retry.attempts if job.retry else EVENT_GRID_MAX_DELIVERY_ATTEMPTS
        subscriptions.append(
            EventSubscription(
                symbol=symbol("evgs", name),
                name=f"{name}-{trigger.event}",
                event_type="Microsoft.Storage.Blob"
                + ("Created" if trigger.event == "created" else "Deleted"),
                container=trigger.resource,
                queue_name=f"{name}-events",
                queue_symbol=queue,
                max_delivery_attempts=min(attempts, EVENT_GRID_MAX_DELIVERY_ATTEMPTS),
                depends_on=(ra,),
            )
        )
    st.plan.system_topics.append(
        SystemTopic(
            symbol("evgt", DATA_ACCOUNT),
            local_name("evgt", st.bp.name, 128),
            topic_identity,
            data.symbol,
            tuple(subscriptions),
        )
    )
