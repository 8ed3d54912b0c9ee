"""Identity: IAM bindings from calls, exposure, images, secrets and declared grants."""

from __future__ import annotations

from blueprint.model import Access, ResourceKind, Service
from blueprint.view import SystemView
from generators.gcp import naming
from generators.gcp.plan.records import PUBLIC_MEMBER, Binding, Secret
from generators.gcp.roles import ARTIFACT_READER, ROLES, RUN_INVOKER, SECRET_ACCESSOR


def bindings(
    view: SystemView, services: dict[str, Service], secrets: tuple[Secret, ...]
) -> tuple[Binding, ...]:
    found: set[Binding] = set()
    for target in services:
        # A caller's identity may invoke exactly the Cloud Run services it calls.
        for caller in view.callers_of(target):
            if caller in services:
                found.add(Binding("run-service", target, RUN_INVOKER, caller))
        if view.is_public(target):
            found.add(Binding("run-service", target, RUN_INVOKER, PUBLIC_MEMBER))
    for name, svc in services.items():
        if svc.image is not None and not svc.image.is_external:
            found.add(Binding("repository", svc.image.registry, ARTIFACT_READER, name))
        for ref in svc.secrets.values():
            found.add(Binding("secret", naming.secret_id(ref.key), SECRET_ACCESSOR, name))
        found |= _granted(view, name, services, secrets)
    return tuple(sorted(found, key=lambda b: (b.target_kind, b.target, b.role, b.member)))


def _granted(
    view: SystemView, name: str, services: dict[str, Service], secrets: tuple[Secret, ...]
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
        resource = view.blueprint.resources.get(grant.resource)
        if resource is None:
            continue
        role = ROLES.get((resource.kind, grant.access))
        if role is None:
            continue
        if resource.kind is ResourceKind.REGISTRY:
            found.add(Binding("repository", grant.resource, role, name))
        else:
            # Secret Manager has no store: a grant on the store covers its referenced secrets.
            found |= {
                Binding("secret", s.secret_id, role, name)
                for s in secrets
                if s.store == grant.resource
            }
    return found
