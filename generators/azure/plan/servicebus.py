"""Service Bus: one namespace (local auth off) holding the queues Container Apps jobs consume and
every topic without a broker, with a subscription per subscriber and dead-lettering after the
consumers' declared retry attempts."""

from __future__ import annotations

from blueprint.model import ResourceKind
from generators.azure.naming import global_prefix, symbol
from generators.azure.plan.consumers import consumers, max_delivery, service_bus_queues
from generators.azure.plan.data_records import SbQueue, SbSubscription, SbTopic, ServiceBusNamespace
from generators.azure.plan.network import endpoint_access
from generators.azure.plan.state import PlanState

NAMESPACE = "sb"


def namespace_symbol() -> str:
    return symbol(NAMESPACE, "messaging")


def plan_service_bus(st: PlanState) -> None:
    queues = service_bus_queues(st)
    topics = [
        n for n, r in st.resources.items() if r.kind is ResourceKind.TOPIC and r.broker is None
    ]
    if not queues and not topics:
        return
    ns = namespace_symbol()
    planned_queues: list[SbQueue] = []
    planned_topics: list[SbTopic] = []
    subnets: tuple[str, ...] = ()
    for name, r in st.resources.items():
        if name in queues:
            sym = symbol("sbq", name)
            st.resource_symbols[name] = sym
            st.service_bus_entities[name] = sym
            delivery = max_delivery(st, consumers(st, name))
            planned_queues.append(SbQueue(sym, name, r.description, delivery))
            subnets = subnets or r.subnets
        elif name in topics:
            sym = symbol("sbt", name)
            st.resource_symbols[name] = sym
            st.service_bus_entities[name] = sym
            subs = []
            for reader in consumers(st, name):
                sub = symbol("sbs", name, reader)
                st.subscriptions[(name, reader)] = sub
                subs.append(SbSubscription(sub, reader, max_delivery(st, [reader])))
            planned_topics.append(SbTopic(sym, name, r.description, tuple(subs)))
            subnets = subnets or r.subnets
    access = endpoint_access(st, ns, "servicebus", subnets, "the Service Bus namespace")
    st.plan.service_bus.append(
        ServiceBusNamespace(
            ns,
            global_prefix("sb", st.bp.name, 50, hyphens=True),
            # Private endpoints need Premium; Standard is the least tier with topics.
            "Premium" if access.private else "Standard",
            access,
            tuple(planned_queues),
            tuple(planned_topics),
        )
    )
