"""Service Bus, Event Hubs and Container Apps jobs, read back from the kitchen sink's Bicep."""

from __future__ import annotations

from typing import Any

from generators.azure import roles
from tests.generators.azure.bicep_support import MAIN, parse, render
from tests.generators.azure.test_trigger_bindings import sink
from tests.support import load_text


def _of_type(kind: str) -> dict[str, dict[str, Any]]:
    _, parsed = sink()
    return {s: r["config"] for s, r in parsed["resources"].items() if r["type"] == kind}


def _assignments() -> set[tuple[str, str, str]]:
    found = set()
    for conf in _of_type("Microsoft.Authorization/roleAssignments").values():
        identity = conf["properties"]["principalId"]["operator"]["operands"]["operand_1"]
        role = conf["properties"]["roleDefinitionId"]["function"]["parameters"]["resource_name_1"]
        found.add((identity, conf["scope"], role))
    return found


def test_a_queue_is_service_bus_only_when_a_container_apps_job_consumes_it() -> None:
    assert {c["name"] for c in _of_type("Microsoft.ServiceBus/namespaces/queues").values()} == {
        "orders"  # fulfil (a Container Apps job) and invoices (a Function) consume it
    }
    storage = _of_type("Microsoft.Storage/storageAccounts/queueServices/queues")
    # mail: only a Function consumes it; the blob events of a job always queue in storage
    assert {c["name"] for c in storage.values()} == {"mail", "thumbnails-events"}


def test_service_bus_takes_no_keys_and_dead_letters_after_the_declared_retries() -> None:
    (ns,) = _of_type("Microsoft.ServiceBus/namespaces").values()
    assert ns["properties"]["disableLocalAuth"] is True
    assert ns["properties"]["minimumTlsVersion"] == "1.2"
    assert ns["sku"]["name"] == "Standard"  # no subnet declared: no private endpoint
    (queue,) = _of_type("Microsoft.ServiceBus/namespaces/queues").values()
    assert queue["properties"]["maxDeliveryCount"] == 5  # fulfil: retry 5
    subs = _of_type("Microsoft.ServiceBus/namespaces/topics/subscriptions")
    assert {
        (s["parent"], s["name"], s["properties"]["maxDeliveryCount"]) for s in subs.values()
    } == {
        ("sbt_events", "audit", 10),  # no retry declared: Service Bus's default
        ("sbt_events", "notify", 7),
    }
    assert all(s["properties"]["deadLetteringOnMessageExpiration"] for s in subs.values())


def test_event_hubs_serves_kafka_without_keys_with_a_consumer_group_per_consumer() -> None:
    (ns,) = _of_type("Microsoft.EventHub/namespaces").values()
    assert (ns["properties"]["kafkaEnabled"], ns["properties"]["disableLocalAuth"]) == (True, True)
    groups = _of_type("Microsoft.EventHub/namespaces/eventhubs/consumergroups")
    assert {(g["parent"], g["name"]) for g in groups.values()} == {
        ("evh_clicks", "clickstream"),
        ("evh_clicks", "analytics"),
    }


def test_messaging_roles_are_on_the_exact_entity() -> None:
    messaging = {
        roles.SERVICE_BUS_DATA_SENDER.id,
        roles.SERVICE_BUS_DATA_RECEIVER.id,
        roles.EVENT_HUBS_DATA_SENDER.id,
        roles.EVENT_HUBS_DATA_RECEIVER.id,
        roles.STORAGE_QUEUE_DATA_MESSAGE_SENDER.id,
        roles.STORAGE_QUEUE_DATA_MESSAGE_PROCESSOR.id,
        roles.STORAGE_BLOB_DATA_CONTRIBUTOR.id,
    }
    assert {a for a in _assignments() if a[2] in messaging} == {
        # declared publishers: the queue, the topic, the event hub
        ("id_web", "sbq_orders", roles.SERVICE_BUS_DATA_SENDER.id),
        ("id_web", "sbt_events", roles.SERVICE_BUS_DATA_SENDER.id),
        ("id_web", "evh_clicks", roles.EVENT_HUBS_DATA_SENDER.id),
        ("id_web", "queue_mail", roles.STORAGE_QUEUE_DATA_MESSAGE_SENDER.id),
        ("id_web", "evhns_kafka", roles.EVENT_HUBS_DATA_SENDER.id),  # a grant on the broker
        ("id_web", "blob_uploads", roles.STORAGE_BLOB_DATA_CONTRIBUTOR.id),
        # triggers: the queue, the consumer's own subscription, the event hub
        ("id_fulfil", "sbq_orders", roles.SERVICE_BUS_DATA_RECEIVER.id),
        ("id_invoices", "sbq_orders", roles.SERVICE_BUS_DATA_RECEIVER.id),
        ("id_audit", "sbs_events_audit", roles.SERVICE_BUS_DATA_RECEIVER.id),
        ("id_notify", "sbs_events_notify", roles.SERVICE_BUS_DATA_RECEIVER.id),
        ("id_clickstream", "evh_clicks", roles.EVENT_HUBS_DATA_RECEIVER.id),
        ("id_analytics", "evh_clicks", roles.EVENT_HUBS_DATA_RECEIVER.id),
        ("id_mailer", "queue_mail", roles.STORAGE_QUEUE_DATA_MESSAGE_PROCESSOR.id),
        # blob events: Event Grid delivers them, the job's scaler and code consume them
        ("id_evgt_data", "queue_thumbnails_events", roles.STORAGE_QUEUE_DATA_MESSAGE_SENDER.id),
        ("id_thumbnails", "queue_thumbnails_events", roles.STORAGE_QUEUE_DATA_MESSAGE_PROCESSOR.id),
        # the Event Hubs job's checkpoints, which its scaler reads
        ("id_clickstream", "blob_clickstream_checkpoints", roles.STORAGE_BLOB_DATA_CONTRIBUTOR.id),
    }


def test_jobs_share_the_environment_of_their_subnet_and_retry_as_declared() -> None:
    jobs = _of_type("Microsoft.App/jobs")
    assert {
        j["properties"]["environmentId"]["operator"]["operands"]["operand_1"] for j in jobs.values()
    } == {"cae_apps"}
    nightly = jobs["caj_nightly"]["properties"]["configuration"]
    assert (nightly["triggerType"], nightly["replicaRetryLimit"]) == ("Schedule", 2)  # 3 attempts
    fulfil = jobs["caj_fulfil"]["properties"]["configuration"]
    assert (fulfil["triggerType"], fulfil["replicaRetryLimit"]) == (
        "Event",
        0,
    )  # Service Bus retries
    assert fulfil["eventTriggerConfig"]["scale"]["rules"][0]["metadata"]["messageCount"] == "1"


def test_a_service_bus_entity_in_a_subnet_takes_premium_and_a_private_endpoint() -> None:
    text = """\
    name: shop
    platforms:
      azure: {location: westeurope}
    networks:
      main:
        cidr: 10.40.0.0/16
        subnets:
          apps: {cidr: 10.40.0.0/23}
          data: {cidr: 10.40.3.0/24}
    jobs:
      worker:
        platform: azure-container-apps
        image: {registry: ghcr.io, repository: shop/worker, tag: "1.0.0"}
        subnets: [apps]
        trigger: {topic: work}
        uses: [{resource: work, access: subscribe}]
    resources:
      work: {kind: queue, subnets: [data]}
    """
    parsed = parse(render(load_text(text).blueprint)[MAIN])
    resources = parsed["resources"]
    ns = resources["sb_messaging"]["config"]
    assert (ns["sku"]["name"], ns["sku"]["capacity"]) == ("Premium", 1)
    assert ns["properties"]["publicNetworkAccess"] == "Disabled"
    (pe,) = (
        r["config"] for r in resources.values() if r["type"] == "Microsoft.Network/privateEndpoints"
    )
    (link,) = pe["properties"]["privateLinkServiceConnections"]
    assert link["properties"]["groupIds"] == ["namespace"]
    zones = {
        r["config"]["name"]
        for r in resources.values()
        if r["type"] == "Microsoft.Network/privateDnsZones"
    }
    assert zones == {"privatelink.servicebus.windows.net"}
