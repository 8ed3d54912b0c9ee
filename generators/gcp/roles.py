"""The GCP data table: (resource kind, access level) -> predefined IAM roles, never a primitive
role. A kind or access without an entry is refused at validation (blueprint/support/matrix.py
keeps its GRANTS equal to this table)."""

from __future__ import annotations

from blueprint.model import Access, ResourceKind

RUN_INVOKER = "roles/run.invoker"
# Runs a job with environment overrides (the object of an event), which run.invoker cannot.
RUN_JOBS_EXECUTOR_WITH_OVERRIDES = "roles/run.jobsExecutorWithOverrides"
ARTIFACT_READER = "roles/artifactregistry.reader"
SECRET_ACCESSOR = "roles/secretmanager.secretAccessor"
PUBSUB_PUBLISHER = "roles/pubsub.publisher"
PUBSUB_SUBSCRIBER = "roles/pubsub.subscriber"
CLOUDSQL_CLIENT = "roles/cloudsql.client"
CLOUDSQL_INSTANCE_USER = "roles/cloudsql.instanceUser"
EVENTARC_RECEIVER = "roles/eventarc.eventReceiver"
WORKFLOWS_INVOKER = "roles/workflows.invoker"

# Connecting to Cloud SQL (client) and logging in as an IAM database user (instanceUser).
CLOUDSQL_ROLES = (CLOUDSQL_CLIENT, CLOUDSQL_INSTANCE_USER)

ROLES: dict[tuple[ResourceKind, Access], tuple[str, ...]] = {
    (ResourceKind.REGISTRY, Access.READ): (ARTIFACT_READER,),
    (ResourceKind.REGISTRY, Access.PULL): (ARTIFACT_READER,),
    (ResourceKind.REGISTRY, Access.PUSH): ("roles/artifactregistry.writer",),
    (ResourceKind.REGISTRY, Access.MANAGE): ("roles/artifactregistry.repoAdmin",),
    (ResourceKind.SECRET_STORE, Access.READ): (SECRET_ACCESSOR,),
    (ResourceKind.SECRET_STORE, Access.WRITE): ("roles/secretmanager.secretVersionAdder",),
    (ResourceKind.BUCKET, Access.READ): ("roles/storage.objectViewer",),
    (ResourceKind.BUCKET, Access.WRITE): ("roles/storage.objectCreator",),
    (ResourceKind.DATABASE, Access.READ): CLOUDSQL_ROLES,
    (ResourceKind.DATABASE, Access.WRITE): CLOUDSQL_ROLES,
    (ResourceKind.TOPIC, Access.PUBLISH): (PUBSUB_PUBLISHER,),
    (ResourceKind.QUEUE, Access.PUBLISH): (PUBSUB_PUBLISHER,),
    (ResourceKind.QUEUE, Access.WRITE): (PUBSUB_PUBLISHER,),
    # On the consumer's own subscription (a push subscriber needs none: Pub/Sub delivers).
    (ResourceKind.TOPIC, Access.SUBSCRIBE): (PUBSUB_SUBSCRIBER,),
    (ResourceKind.TOPIC, Access.READ): (PUBSUB_SUBSCRIBER,),
    (ResourceKind.QUEUE, Access.SUBSCRIBE): (PUBSUB_SUBSCRIBER,),
    (ResourceKind.QUEUE, Access.READ): (PUBSUB_SUBSCRIBER,),
}

# Basic (primitive) roles grant every permission of every service in the project.
PRIMITIVE_ROLES = frozenset({"roles/owner", "roles/editor", "roles/viewer"})

_ALL = {r for roles in ROLES.values() for r in roles} | {
    RUN_INVOKER,
    RUN_JOBS_EXECUTOR_WITH_OVERRIDES,
    EVENTARC_RECEIVER,
    WORKFLOWS_INVOKER,
}
assert not PRIMITIVE_ROLES & _ALL, "a primitive role in the table"
