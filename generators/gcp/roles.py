"""The GCP data table: (resource kind, access level) -> predefined IAM role, never a primitive
role. Grants on kinds the GCP generator does not render (buckets, databases, topics...) have no
entry: they are documented in docs/gcp.md as not rendered."""

from __future__ import annotations

from blueprint.model import Access, ResourceKind

RUN_INVOKER = "roles/run.invoker"
ARTIFACT_READER = "roles/artifactregistry.reader"
SECRET_ACCESSOR = "roles/secretmanager.secretAccessor"

ROLES: dict[tuple[ResourceKind, Access], str] = {
    (ResourceKind.REGISTRY, Access.READ): ARTIFACT_READER,
    (ResourceKind.REGISTRY, Access.PULL): ARTIFACT_READER,
    (ResourceKind.REGISTRY, Access.PUSH): "roles/artifactregistry.writer",
    (ResourceKind.REGISTRY, Access.MANAGE): "roles/artifactregistry.repoAdmin",
    (ResourceKind.SECRET_STORE, Access.READ): SECRET_ACCESSOR,
    (ResourceKind.SECRET_STORE, Access.WRITE): "roles/secretmanager.secretVersionAdder",
}

# Basic (primitive) roles grant every permission of every service in the project.
PRIMITIVE_ROLES = frozenset({"roles/owner", "roles/editor", "roles/viewer"})

assert not PRIMITIVE_ROLES & {*ROLES.values(), RUN_INVOKER}, "a primitive role in the table"
