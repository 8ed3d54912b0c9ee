"""Identity: a user-assigned identity per workload, and role assignments for its declared
grants, its image pull and its platform needs."""

from __future__ import annotations

from blueprint.model import Access, Job, ResourceKind, Service
from generators.azure import roles
from generators.azure.naming import local_name, symbol
from generators.azure.plan.constants import relational
from generators.azure.plan.records import (
    CosmosRoleAssignment,
    Identity,
    Image,
    RoleAssignment,
)
from generators.azure.plan.state import AzurePlanError, PlanState


def new_identity(st: PlanState, name: str, description: str | None) -> str:
    sym = symbol("id", name)
    st.plan.identities.append(Identity(sym, local_name("id", name, 128), description))
    return sym


def assign(
    st: PlanState, workload: str, identity: str, scope: str, role: roles.Role, why: str
) -> str:
    """Grant `role` on the one resource whose Bicep symbol is `scope` (once: a declared use and
    a platform need may ask for the same role on the same entity)."""
    if role.plane is roles.RolePlane.COSMOS_SQL:
        cosmos = next(c for c in st.plan.cosmos_accounts if c.symbol == scope)
        sym = symbol("sqlra", workload, scope, _role_key(role))
        if sym in st.assigned:
            return sym
        st.plan.cosmos_role_assignments.append(
            CosmosRoleAssignment(sym, cosmos.symbol, cosmos.database_symbol, identity, role, why)
        )
    else:
        sym = symbol("ra", workload, scope, _role_key(role))
        if sym in st.assigned:
            return sym
        st.plan.role_assignments.append(RoleAssignment(sym, scope, identity, role, why))
    st.assigned.add(sym)
    st.deps.setdefault(workload, []).append(sym)
    return sym


def grants(st: PlanState, name: str, identity: str) -> None:
    for grant in st.view.workload_grants(name):
        if grant.is_wildcard:
            raise AzurePlanError(
                f"workload {name!r} holds a wildcard grant ({grant.resource}:"
                f"{grant.access.value}); the Azure generator renders only named grants"
            )
        if grant.resource in st.bp.services or grant.resource in st.bp.jobs:
            continue  # calls between apps are network reachability, not RBAC
        if grant.resource not in st.resources:
            raise AzurePlanError(
                f"workload {name!r} is granted {grant.access.value!r} on "
                f"{grant.resource!r}, which this Azure template does not declare"
            )
        try:
            target = grant_target(st, name, identity, grant.resource, grant.access)
        except roles.UnsupportedGrantError as exc:
            raise AzurePlanError(f"workload {name!r}: {exc}") from None
        if target is not None:
            role, scope = target
            assign(
                st,
                name,
                identity,
                scope,
                role,
                f"{name} {grant.access.value} {grant.resource} (declared)",
            )


def grant_target(
    st: PlanState, name: str, identity: str, resource: str, access: Access
) -> tuple[roles.Role, str] | None:
    """The role and the exact entity a grant lands on; None for a relational database, whose
    principals are made by the database itself (see flexible.py)."""
    res = st.resources[resource]
    if relational(res):
        st.db_principals.setdefault(resource, []).append((name, identity, access))
        return None
    if resource in st.event_hubs:
        return _from(roles.EVENT_HUB_ROLES, res.kind, access), st.event_hubs[resource][1]
    if resource in st.service_bus_entities:
        if res.kind is ResourceKind.QUEUE:
            role = _from(roles.SERVICE_BUS_QUEUE_ROLES, res.kind, access)
            return role, st.service_bus_entities[resource]
        role = roles.role_for(res.kind, access)
        if access is Access.PUBLISH:
            return role, st.service_bus_entities[resource]
        return role, st.subscriptions[(resource, name)]  # receive on its own subscription only
    return roles.role_for(res.kind, access), st.resource_symbols[resource]


def _from(table: dict[Access, roles.Role], kind: ResourceKind, access: Access) -> roles.Role:
    if access not in table:
        raise roles.UnsupportedGrantError(
            f"no least-privilege Azure built-in role for access {access.value!r} on a "
            f"{kind.value!r} resource; expected one of: {', '.join(sorted(table))}"
        )
    return table[access]


def pull_image(st: PlanState, name: str, w: Service | Job, identity: str) -> Image:
    if w.image is None:
        raise AzurePlanError(f"container app {name!r} needs an image")
    ref = w.image.repository + (f"@{w.image.digest}" if w.image.digest else f":{w.image.tag}")
    if w.image.is_external:
        return Image(None, f"{w.image.registry}/{ref}")
    registry = st.resources.get(w.image.registry)
    if registry is None or registry.kind is not ResourceKind.REGISTRY:
        raise AzurePlanError(
            f"workload {name!r} pulls from {w.image.registry!r}, which is not an Azure "
            "registry in this blueprint"
        )
    assign(
        st,
        name,
        identity,
        st.resource_symbols[w.image.registry],
        roles.IMAGE_PULL,
        f"{name} pulls its image from {w.image.registry}",
    )
    return Image(st.resource_symbols[w.image.registry], ref)


def _role_key(role: roles.Role) -> str:
    return "".join(ch for ch in role.name.title() if ch.isalnum())
