"""Storage and data: registries, Key Vaults, Cosmos DB, OCR accounts, the data storage
account (blob containers and queues, with the queues blob events are delivered to) and each
function app's host storage."""

from __future__ import annotations

from blueprint.model import EventTrigger, Job, Resource, ResourceKind, Service
from generators.azure.naming import global_prefix, symbol
from generators.azure.plan.checkov import registry_skips
from generators.azure.plan.constants import DATA_ACCOUNT, relational
from generators.azure.plan.jobs import checkpoint_container, event_hub_jobs
from generators.azure.plan.network import endpoint_access, storage_access
from generators.azure.plan.records import (
    BlobContainer,
    Cosmos,
    CosmosContainer,
    Ocr,
    Queue,
    Registry,
    StorageAccount,
    Vault,
)
from generators.azure.plan.state import AzurePlanError, PlanState


def plan_resources(st: PlanState) -> None:
    buckets: list[BlobContainer] = []
    queues: list[Queue] = []
    data_subnets: tuple[str, ...] = ()
    for name, r in st.resources.items():
        if r.kind is ResourceKind.BUCKET:
            sym = symbol("blob", name)
            st.resource_symbols[name] = sym
            buckets.append(BlobContainer(sym, name, r.description))
            data_subnets = data_subnets or r.subnets
        elif r.kind is ResourceKind.QUEUE and name not in st.service_bus_entities:
            sym = symbol("queue", name)
            st.resource_symbols[name] = sym
            queues.append(Queue(sym, name, r.description))
            data_subnets = data_subnets or r.subnets
        elif r.kind is not ResourceKind.QUEUE:
            _own_account(st, name, r)
    queues.extend(_event_queues(st))
    for job in event_hub_jobs(st):
        sym, container = checkpoint_container(job)
        buckets.append(BlobContainer(sym, container, None))
    if buckets or queues:
        _data_account(st, buckets, queues, data_subnets)


def _own_account(st: PlanState, name: str, r: Resource) -> None:
    """A resource that is an Azure account of its own: registry, Key Vault, Cosmos DB, OCR."""
    if r.kind is ResourceKind.REGISTRY:
        sym = symbol("cr", name)
        st.resource_symbols[name] = sym
        access = endpoint_access(st, sym, "registry", r.subnets, f"registry {name!r}")
        st.plan.registries.append(
            Registry(
                sym,
                name,
                global_prefix("cr", name, 50, hyphens=False),
                r.description,
                access,
                registry_skips(name),
            )
        )
    elif r.kind is ResourceKind.SECRET_STORE:
        sym = symbol("kv", name)
        st.resource_symbols[name] = sym
        access = endpoint_access(st, sym, "vault", r.subnets, f"Key Vault {name!r}")
        st.plan.vaults.append(
            Vault(
                sym,
                name,
                global_prefix("kv", name, 24, hyphens=False),
                r.description,
                access,
            )
        )
    elif r.kind is ResourceKind.DATABASE and not relational(r):
        sym = symbol("cosmos", name)
        st.resource_symbols[name] = sym
        access = endpoint_access(st, sym, "cosmos", r.subnets, f"Cosmos DB account {name!r}")
        db = symbol("cosmos", name, "db")
        cosmos = Cosmos(
            sym,
            name,
            global_prefix("cosmos", name, 44, hyphens=True),
            r.description,
            access,
            db,
            tuple(CosmosContainer(symbol("cosmos", name, t), t) for t in r.tables),
        )
        st.cosmos_by_resource[name] = cosmos
        st.plan.cosmos_accounts.append(cosmos)
    elif r.kind is ResourceKind.OCR:
        sym = symbol("cog", name)
        st.resource_symbols[name] = sym
        access = endpoint_access(st, sym, "cognitive", r.subnets, f"OCR account {name!r}")
        st.plan.ocr_accounts.append(
            Ocr(
                sym,
                name,
                global_prefix("cog", name, 64, hyphens=True),
                r.description,
                access,
            )
        )


def _data_account(
    st: PlanState, buckets: list[BlobContainer], queues: list[Queue], data_subnets: tuple[str, ...]
) -> None:
    sym = symbol("st", DATA_ACCOUNT)
    events = bool(event_jobs(st))
    access = storage_access(
        st,
        sym,
        data_subnets,
        "the blob containers and queues",
        with_queues=bool(queues),
        trusted_services=events,
    )
    st.plan.storage_accounts.append(
        StorageAccount(
            sym,
            global_prefix("st", st.bp.name, 24, hyphens=False),
            "blob containers and queues",
            access,
            tuple(buckets),
            tuple(queues),
        )
    )


def event_jobs(st: PlanState) -> dict[str, tuple[Job, EventTrigger]]:
    found: dict[str, tuple[Job, EventTrigger]] = {}
    for name, w in st.workloads.items():
        if isinstance(w, Job) and isinstance(w.trigger, EventTrigger):
            target = st.resources.get(w.trigger.resource)
            if target is None or target.kind is not ResourceKind.BUCKET:
                raise AzurePlanError(
                    f"job {name!r} is triggered by events of {w.trigger.resource!r}, "
                    "which is not an Azure bucket (blob container)"
                )
            found[name] = (w, w.trigger)
    return found


def _event_queues(st: PlanState) -> list[Queue]:
    queues = []
    for name in event_jobs(st):
        sym = symbol("queue", name, "events")
        st.queue_symbols[name] = sym
        queues.append(Queue(sym, f"{name}-events", None))
    return queues


def host_storage(st: PlanState, name: str, w: Service | Job) -> StorageAccount:
    sym = symbol("st", name, "host")
    container = symbol("blob", name, "deployments")
    subnets: tuple[str, ...] = ()
    if w.subnets:
        net = st.view.subnet_network(w.subnets[0])
        used = {s for r in st.resources.values() for s in r.subnets}
        candidates = (
            [s for s in st.bp.networks[net].subnets if s not in st.delegated] if net else []
        )
        preferred = [s for s in candidates if s in used]
        subnets = tuple((preferred or candidates)[:1])
    access = storage_access(
        st,
        sym,
        subnets,
        f"the Functions host of {name!r}",
        with_queues=False,
        trusted_services=False,
    )
    account = StorageAccount(
        sym,
        global_prefix("sf", name, 24, hyphens=False),
        f"the Functions host and deployment packages of {name}",
        access,
        (BlobContainer(container, "deployments", None),),
        (),
    )
    st.plan.storage_accounts.append(account)
    return account
