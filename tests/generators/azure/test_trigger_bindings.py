"""Every trigger is bound to the resource it names: read from the rendered Bicep (pycep), each
Function's identity-based trigger connection points at the storage account or namespace its
queue, topic or event hub lives in, authenticates as the app's own identity, and that identity
holds the role that reads exactly that entity; each Container Apps job's KEDA scaler does the
same with the job's identity."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from blueprint.loader import load
from blueprint.model import EventTrigger, Job, Platform, ScheduleTrigger, TopicTrigger
from generators.azure import roles
from tests.generators.azure.bicep_support import MAIN, example_bicep, parse, render
from tests.support import ROOT

SINK = ROOT / "tests" / "data" / "systems" / "azure-kitchen-sink.yaml"
ENTITY_TYPES = {
    "Microsoft.Storage/storageAccounts/queueServices/queues",
    "Microsoft.ServiceBus/namespaces/queues",
    "Microsoft.ServiceBus/namespaces/topics",
    "Microsoft.EventHub/namespaces/eventhubs",
}
HOME_TYPES = {
    "Microsoft.Storage/storageAccounts",
    "Microsoft.ServiceBus/namespaces",
    "Microsoft.EventHub/namespaces",
}
READER_ROLES = {
    roles.STORAGE_QUEUE_DATA_MESSAGE_PROCESSOR.id,
    roles.SERVICE_BUS_DATA_RECEIVER.id,
    roles.EVENT_HUBS_DATA_RECEIVER.id,
}


@cache
def sink() -> tuple[Any, dict[str, Any]]:
    bp = load(SINK).blueprint
    return bp, parse(render(bp)[MAIN])


def _root(value: Any) -> str:
    """The symbol an expression starts from: `x.a.b` or `'${x.name}.suffix'`."""
    if isinstance(value, str):
        assert value.startswith("${"), value
        return value[2:].split(".", 1)[0]
    return str(value["operator"]["operands"]["operand_1"])


def _path(value: Any) -> list[str]:
    parts = []
    while isinstance(value, dict):
        operands = value["operator"]["operands"]
        parts.append(operands["operand_1"])
        value = operands["operand_2"]
    return [*parts, value]


def _home(resources: dict[str, Any], sym: str) -> str:
    while resources[sym]["type"] not in HOME_TYPES:
        sym = resources[sym]["config"]["parent"]
    return sym


def _entity(resources: dict[str, Any], name: str) -> str:
    (found,) = (
        s for s, r in resources.items() if r["type"] in ENTITY_TYPES and r["config"]["name"] == name
    )
    return found


def _identity(resource: dict[str, Any]) -> str:
    (key,) = resource["config"]["identity"]["userAssignedIdentities"]
    return str(key).strip("'").removeprefix("${").removesuffix(".id}")


def _reads(resources: dict[str, Any], identity: str, scopes: set[str]) -> set[str]:
    """The reader roles `identity` holds on any of `scopes`."""
    found = set()
    for r in resources.values():
        conf = r["config"]
        if r["type"] != "Microsoft.Authorization/roleAssignments":
            continue
        principal = _root(conf["properties"]["principalId"])
        role = conf["properties"]["roleDefinitionId"]["function"]["parameters"]["resource_name_1"]
        if principal == identity and conf["scope"] in scopes and role in READER_ROLES:
            found.add(role)
    return found


def _readers(resources: dict[str, Any], entity: str, workload: str) -> set[str]:
    """The entity and the subscription or consumer group of `workload` under it."""
    return {entity} | {
        s
        for s, r in resources.items()
        if r["config"].get("parent") == entity and r["config"]["name"] == workload
    }


@cache
def _sink_blueprint() -> Any:
    # Read at collection, in every worker, to name the cases: not rendered and parsed there.
    return load(SINK).blueprint


def _function_jobs() -> list[str]:
    bp = _sink_blueprint()
    return [
        n
        for n, j in bp.jobs.items()
        if j.platform is Platform.AZURE_FUNCTIONS and isinstance(j.trigger, TopicTrigger)
    ]


@pytest.mark.parametrize("job", _function_jobs())
def test_every_function_trigger_connection_names_its_resources_home(job: str) -> None:
    bp, parsed = sink()
    resources = parsed["resources"]
    site = resources[f"func_{job}"]
    settings = {
        s["name"]: s["value"] for s in site["config"]["properties"]["siteConfig"]["appSettings"]
    }
    connections = {n.split("__")[0] for n in settings if n.endswith("__credential")} - {
        "AzureWebJobsStorage"
    }
    assert len(connections) == 1, connections
    (conn,) = connections
    trigger = bp.jobs[job].trigger
    assert isinstance(trigger, TopicTrigger)
    entity = _entity(resources, trigger.topic)
    home = _home(resources, entity)
    assert home != _home(resources, f"st_{job.replace('-', '_')}_host")
    if f"{conn}__queueServiceUri" in settings:
        location = settings[f"{conn}__queueServiceUri"]
        assert _path(location) == [home, "properties", "primaryEndpoints", "queue"]
    else:
        location = settings[f"{conn}__fullyQualifiedNamespace"]
        assert location == f"${{{home}.name}}.servicebus.windows.net"
    identity = _identity(site)
    assert settings[f"{conn}__credential"] == "managedidentity"
    assert _path(settings[f"{conn}__clientId"]) == [identity, "properties", "clientId"]
    named = [
        settings[k]
        for k in ("TRIGGER_QUEUE_NAME", "TRIGGER_TOPIC_NAME", "TRIGGER_EVENT_HUB_NAME")
        if k in settings
    ]
    assert [_root(v) for v in named] == [entity]
    assert len(_reads(resources, identity, _readers(resources, entity, job))) == 1


def test_the_blob_event_function_reads_the_event_queue_of_the_data_account() -> None:
    resources = example_bicep()["resources"]
    site = resources["func_ocr_fn"]
    settings = {
        s["name"]: s["value"] for s in site["config"]["properties"]["siteConfig"]["appSettings"]
    }
    queue = _root(settings["EVENTS_QUEUE_NAME"])
    assert resources[queue]["config"]["name"] == "ocr-fn-events"
    assert _path(settings["EventsQueue__queueServiceUri"]) == [
        _home(resources, queue),
        "properties",
        "primaryEndpoints",
        "queue",
    ]
    assert _reads(resources, "id_ocr_fn", {queue}) == {
        roles.STORAGE_QUEUE_DATA_MESSAGE_PROCESSOR.id
    }


def _container_jobs() -> list[str]:
    bp = _sink_blueprint()
    return [
        n
        for n, j in bp.jobs.items()
        if j.platform is Platform.AZURE_CONTAINER_APPS and not isinstance(j.trigger, EventTrigger)
    ]


@pytest.mark.parametrize("job", _container_jobs())
def test_every_container_apps_job_scales_on_its_entity_with_its_identity(job: str) -> None:
    bp, parsed = sink()
    resources = parsed["resources"]
    caj = resources[f"caj_{job}"]
    config = caj["config"]["properties"]["configuration"]
    w = bp.jobs[job]
    assert isinstance(w, Job)
    if isinstance(w.trigger, ScheduleTrigger):
        assert config["triggerType"] == "Schedule"
        assert config["scheduleTriggerConfig"]["cronExpression"] == w.trigger.schedule
        assert "eventTriggerConfig" not in config
        return
    assert config["triggerType"] == "Event"
    (rule,) = config["eventTriggerConfig"]["scale"]["rules"]
    identity = _identity(caj)
    assert _path(rule["identity"]) == [identity, "id"]
    meta = rule["metadata"]
    if isinstance(w.trigger, EventTrigger):  # blob events, queued by Event Grid
        assert rule["type"] == "azure-queue"
        entity = _entity(resources, f"{job}-events")
        assert _path(meta["accountName"]) == [_home(resources, entity), "name"]
        assert _path(meta["queueName"]) == [entity, "name"]
        assert len(_reads(resources, identity, {entity})) == 1
        return
    entity = _entity(resources, w.trigger.topic)
    if rule["type"] == "azure-servicebus":
        assert _path(meta["namespace"]) == [_home(resources, entity), "name"]
        named = meta.get("queueName") or meta["topicName"]
    else:
        assert rule["type"] == "azure-eventhub"
        assert _path(meta["eventHubNamespace"]) == [_home(resources, entity), "name"]
        named = meta["eventHubName"]
    assert _path(named) == [entity, "name"]
    assert "connection" not in meta and "auth" not in rule  # no secret: the identity reads it
    assert len(_reads(resources, identity, _readers(resources, entity, job))) == 1
