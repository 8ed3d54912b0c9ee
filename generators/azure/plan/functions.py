"""Function apps on Flex Consumption: plan, telemetry, host storage, settings and triggers."""

from __future__ import annotations

from blueprint.model import Job, Platform, Service
from generators.azure import roles
from generators.azure.naming import global_prefix, local_name, symbol
from generators.azure.plan.checkov import function_skips
from generators.azure.plan.constants import (
    DEFAULT_FUNCTION_RUNTIME,
    FLEX_INSTANCE_MEMORY,
    FLEX_RUNTIMES,
)
from generators.azure.plan.identity import assign, grants, new_identity
from generators.azure.plan.network import subnet_symbol
from generators.azure.plan.outputs import output_expressions
from generators.azure.plan.records import AppSetting, FunctionApp
from generators.azure.plan.state import PlanState
from generators.azure.plan.storage import event_jobs, host_storage
from generators.azure.plan.triggers import (
    SERVICE_BUS_QUEUE,
    SERVICE_BUS_TOPIC,
    STORAGE_QUEUE,
    TriggerSource,
    grant_trigger,
    trigger_source,
)
from generators.azure.plan.workloads import secrets_of


def plan_function_apps(st: PlanState) -> None:
    events = event_jobs(st)
    for name, w in st.workloads.items():
        if w.platform is Platform.AZURE_FUNCTIONS:
            _function_app(st, name, w, name in events)


def _function_app(st: PlanState, name: str, w: Service | Job, evented: bool) -> None:
    identity = new_identity(st, name, w.description)
    grants(st, name, identity)
    host = host_storage(st, name, w)
    assign(
        st,
        name,
        identity,
        host.symbol,
        roles.FUNCTIONS_HOST_STORAGE,
        f"{name} runs its Functions host on its own storage account",
    )
    insights = symbol("appi", name)
    assign(
        st,
        name,
        identity,
        insights,
        roles.TELEMETRY_PUBLISHER,
        f"{name} sends telemetry with Entra ID authentication",
    )
    settings = _host_settings(w, identity, host.symbol, insights)
    settings += _trigger_settings(st, name, w, identity, evented)
    settings += [AppSetting(k, value=v) for k, v in w.plain_env.items()]
    settings += [AppSetting(k, expression=e) for k, e in output_expressions(st, name, w)]
    refs, _ = secrets_of(st, w)
    settings += [AppSetting(r.env, vault_symbol=r.vault_symbol, key=r.key) for r in refs]
    runtime_name, runtime_version = DEFAULT_FUNCTION_RUNTIME
    if isinstance(w, Job) and w.runtime:
        language, runtime_version = w.runtime.split("|", 1)
        runtime_name = FLEX_RUNTIMES[language]
    st.plan.function_apps.append(
        FunctionApp(
            symbol=symbol("func", name),
            workload=name,
            prefix=global_prefix("func", name, 60, hyphens=True),
            description=w.description,
            identity=identity,
            plan_symbol=symbol("plan", name),
            plan_name=local_name("plan", name, 60),
            insights_symbol=insights,
            insights_name=local_name("appi", name, 255),
            host_storage=host.symbol,
            subnet_symbol=subnet_symbol(st, w.subnets[0]) if w.subnets else None,
            runtime_name=runtime_name,
            runtime_version=runtime_version,
            instance_memory=next(
                (m for m in FLEX_INSTANCE_MEMORY if w.memory <= m), FLEX_INSTANCE_MEMORY[-1]
            ),
            settings=tuple(settings),
            depends_on=tuple(st.deps.get(name, ())),
            skips=function_skips(name),
        )
    )


def _host_settings(w: Service | Job, identity: str, host: str, insights: str) -> list[AppSetting]:
    """The Functions host's storage and telemetry, through the app's identity."""
    settings = [
        AppSetting("AzureWebJobsStorage__accountName", expression=f"{host}.name"),
        AppSetting("AzureWebJobsStorage__credential", value="managedidentity"),
        AppSetting("AzureWebJobsStorage__clientId", expression=f"{identity}.properties.clientId"),
        AppSetting(
            "APPLICATIONINSIGHTS_CONNECTION_STRING",
            expression=f"{insights}.properties.ConnectionString",
        ),
        AppSetting(
            "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
            expression=f"'ClientId=${{{identity}.properties.clientId}};Authorization=AAD'",
        ),
    ]
    if "AZURE_CLIENT_ID" not in w.env and "AZURE_CLIENT_ID" not in w.secrets:
        settings.append(AppSetting("AZURE_CLIENT_ID", expression=f"{identity}.properties.clientId"))
    return settings


def _trigger_settings(
    st: PlanState, name: str, w: Service | Job, identity: str, evented: bool
) -> list[AppSetting]:
    """Where the app's trigger reads from: its blob-events queue, or its topic's queue."""
    if evented:
        queue = st.queue_symbols[name]
        assign(
            st,
            name,
            identity,
            queue,
            roles.EVENT_QUEUE_CONSUMER,
            f"{name} consumes the blob events queued for its trigger",
        )
        data = st.plan.storage_accounts[0].symbol
        return [
            AppSetting(
                "EventsQueue__queueServiceUri",
                expression=f"{data}.properties.primaryEndpoints.queue",
            ),
            AppSetting("EventsQueue__credential", value="managedidentity"),
            AppSetting("EventsQueue__clientId", expression=f"{identity}.properties.clientId"),
            AppSetting("EVENTS_QUEUE_NAME", expression=f"{queue}.name"),
        ]
    source = trigger_source(st, name, w)
    if source is None:
        return []
    grant_trigger(st, name, identity, source)
    return _binding_settings(source, identity)


def _binding_settings(source: TriggerSource, identity: str) -> list[AppSetting]:
    """The identity-based connection a Functions trigger binding names (`connection=<prefix>`):
    the service URI or namespace of the account or namespace its entity lives in, and the
    identity that reads it; plus the entity's names for the binding's `%NAME%` expressions."""
    prefix = source.connection
    if source.kind == STORAGE_QUEUE:
        where = AppSetting(
            f"{prefix}__queueServiceUri",
            expression=f"{source.home}.properties.primaryEndpoints.queue",
        )
    else:
        where = AppSetting(f"{prefix}__fullyQualifiedNamespace", expression=source.namespace_host)
    settings = [
        where,
        AppSetting(f"{prefix}__credential", value="managedidentity"),
        AppSetting(f"{prefix}__clientId", expression=f"{identity}.properties.clientId"),
    ]
    if source.kind in {STORAGE_QUEUE, SERVICE_BUS_QUEUE}:
        settings.append(AppSetting("TRIGGER_QUEUE_NAME", expression=f"{source.entity}.name"))
    elif source.kind == SERVICE_BUS_TOPIC:
        settings.append(AppSetting("TRIGGER_TOPIC_NAME", expression=f"{source.entity}.name"))
        settings.append(AppSetting("TRIGGER_SUBSCRIPTION_NAME", expression=f"{source.reader}.name"))
    else:
        settings.append(AppSetting("TRIGGER_EVENT_HUB_NAME", expression=f"{source.entity}.name"))
        settings.append(AppSetting("TRIGGER_CONSUMER_GROUP", expression=f"{source.reader}.name"))
    return settings
