"""Event Hubs: a namespace per `kind: broker` (its Kafka endpoint on, local auth off), an event hub
per topic on it, and a consumer group per consumer."""

from __future__ import annotations

from blueprint.model import ResourceKind
from generators.azure.naming import global_prefix, symbol
from generators.azure.plan.consumers import consumers
from generators.azure.plan.data_records import ConsumerGroup, EventHub, EventHubsNamespace
from generators.azure.plan.network import endpoint_access
from generators.azure.plan.state import PlanState

# One day: retention_days on Azure resources is refused at validation (not rendered yet).
RETENTION_DAYS = 1
PARTITIONS = 4


def plan_event_hubs(st: PlanState) -> None:
    for name, r in st.resources.items():
        if r.kind is not ResourceKind.BROKER:
            continue
        ns = symbol("evhns", name)
        st.resource_symbols[name] = ns
        hubs = []
        for topic, t in st.resources.items():
            if t.kind is not ResourceKind.TOPIC or t.broker != name:
                continue
            hub = symbol("evh", topic)
            st.resource_symbols[topic] = hub
            st.event_hubs[topic] = (ns, hub)
            groups = []
            for reader in consumers(st, topic):
                group = symbol("evhcg", topic, reader)
                st.subscriptions[(topic, reader)] = group
                groups.append(ConsumerGroup(group, reader))
            hubs.append(
                EventHub(hub, topic, t.description, RETENTION_DAYS, PARTITIONS, tuple(groups))
            )
        access = endpoint_access(st, ns, "eventhubs", r.subnets, f"Event Hubs namespace {name!r}")
        st.plan.event_hubs.append(
            EventHubsNamespace(
                ns,
                name,
                global_prefix("evhns", name, 50, hyphens=True),
                r.description,
                access,
                tuple(hubs),
            )
        )
