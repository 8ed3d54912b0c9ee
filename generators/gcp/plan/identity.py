"""Identity: IAM bindings from calls, exposure, images, secrets, triggers and declared grants."""

from __future__ import annotations

from blueprint.cloud_run_network import cloud_sql_used_by, is_cloud_sql
from blueprint.model import Access, Job, ResourceKind, Service
from blueprint.view import SystemView
from generators.gcp import naming
from generators.gcp.plan.records import (
    PUBLIC_MEMBER,
    PUSH_MEMBER,
    Binding,
    ObjectRun,
    RunJob,
    Secret,
    Subscription,
    trigger_member,
)
from generators.gcp.roles import (
    ARTIFACT_READER,
    CLOUDSQL_ROLES,
    PUBSUB_SUBSCRIBER,
    ROLES,
    RUN_INVOKER,
    RUN_JOBS_EXECUTOR_WITH_OVERRIDES,
    SECRET_ACCESSOR,
)

Workloads = dict[str, Service | Job]


def bindings(
    view: SystemView,
    workloads: Workloads,
    secrets: tuple[Secret, ...],
    subscriptions: tuple[Subscription, ...],
    jobs: tuple[RunJob, ...],
) -> tuple[Binding, ...]:
    services = {n for n, w in workloads.items() if isinstance(w, Service)}
    found = _invokers(view, workloads, services)
    found |= _deliveries(subscriptions, jobs)
    for name, w in workloads.items():
        found |= _own(view, name, w)
        found |= _granted(view, name, services, secrets, subscriptions)
    return tuple(sorted(found, key=lambda b: (b.target_kind, b.target, b.role, b.member)))


def _invokers(view: SystemView, workloads: Workloads, services: set[str]) -> set[Binding]:
    found: set[Binding] = set()
    for target in services:
        # A caller's identity may invoke exactly the Cloud Run services it calls.
        for caller in view.callers_of(target):
            if caller in workloads:
                found.add(Binding("run-service", target, RUN_INVOKER, caller))
        if view.is_public(target):
            found.add(Binding("run-service", target, RUN_INVOKER, PUBLIC_MEMBER))
    return found


def _deliveries(subscriptions: tuple[Subscription, ...], jobs: tuple[RunJob, ...]) -> set[Binding]:
    """Pullers read their subscription; Pub/Sub's push identity invokes the service it pushes
    to; what starts a job may run it (with overrides when it passes the event's object)."""
    found: set[Binding] = set()
    for sub in subscriptions:
        found |= {Binding("subscription", sub.name, PUBSUB_SUBSCRIBER, p) for p in sub.pullers}
        if sub.push_to is not None:
            found.add(Binding("run-service", sub.push_to, RUN_INVOKER, PUSH_MEMBER))
    for job in jobs:
        overrides = isinstance(job.trigger, ObjectRun)
        role = RUN_JOBS_EXECUTOR_WITH_OVERRIDES if overrides else RUN_INVOKER
        found.add(Binding("run-job", job.name, role, trigger_member(job.name)))
    return found


def _own(view: SystemView, name: str, w: Service | Job) -> set[Binding]:
    """What the workload needs to start and do its declared work: its image, its secrets, the
    Cloud SQL instances it uses, the buckets it writes."""
    found: set[Binding] = set()
    if w.image is not None and not w.image.is_external:
        found.add(Binding("repository", w.image.registry, ARTIFACT_READER, name))
    for ref in w.secrets.values():
        found.add(Binding("secret", naming.secret_id(ref.key), SECRET_ACCESSOR, name))
    for db in cloud_sql_used_by(view, name):
        found |= {Binding("cloudsql", db, role, name) for role in CLOUDSQL_ROLES}
    for write in w.writes if isinstance(w, Job) else ():
        res = view.blueprint.resources.get(write.resource)
        if res is not None and res.kind is ResourceKind.BUCKET:
            found |= _on_resource(view, name, write.resource, Access.WRITE, (), ())
    return found


def _granted(
    view: SystemView,
    name: str,
    services: set[str],
    secrets: tuple[Secret, ...],
    subscriptions: tuple[Subscription, ...],
) -> set[Binding]:
    """The workload's declared grants that map to what this generator renders."""
    found: set[Binding] = set()
    for grant in view.workload_grants(name):
        if grant.is_wildcard:
            continue  # never rendered; the policy engine reports wildcards
        if grant.resource in services:
            if grant.access is Access.INVOKE:
                found.add(Binding("run-service", grant.resource, RUN_INVOKER, name))
            continue
        found |= _on_resource(view, name, grant.resource, grant.access, secrets, subscriptions)
    return found


def _on_resource(
    view: SystemView,
    name: str,
    resource: str,
    access: Access,
    secrets: tuple[Secret, ...],
    subscriptions: tuple[Subscription, ...],
) -> set[Binding]:
    res = view.blueprint.resources.get(resource)
    if res is None:
        return set()
    roles = ROLES.get((res.kind, access), ())
    kind = res.kind
    if kind is ResourceKind.REGISTRY:
        return {Binding("repository", resource, r, name) for r in roles}
    if kind is ResourceKind.SECRET_STORE:
        # Secret Manager has no store: a grant on the store covers its referenced secrets.
        return {
            Binding("secret", s.secret_id, r, name)
            for s in secrets
            if s.store == resource
            for r in roles
        }
    if kind is ResourceKind.BUCKET:
        return {Binding("bucket", resource, r, name) for r in roles}
    if kind is ResourceKind.DATABASE and is_cloud_sql(view, resource):
        return {Binding("cloudsql", resource, r, name) for r in roles}
    if kind in (ResourceKind.TOPIC, ResourceKind.QUEUE):
        if access in (Access.PUBLISH, Access.WRITE):
            return {Binding("topic", resource, r, name) for r in roles}
        # Subscribers read their own subscription (exactly it, never the topic's others).
        return {
            Binding("subscription", s.name, r, name)
            for s in subscriptions
            if s.topic == resource and name in s.pullers
            for r in roles
        }
    return set()
