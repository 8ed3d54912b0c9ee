"""Every role assignment of the example: exactly the declared uses plus what the platform needs,
each on one resource, named by guid(scope, identity, role)."""

from __future__ import annotations

from typing import Any

import pytest

from blueprint.errors import BlueprintError
from blueprint.model import Blueprint
from blueprint.view import SystemView
from generators.azure import roles
from generators.azure.plan import build_plan
from tests.generators.azure.bicep_support import example_bicep, example_files
from tests.support import load_example, load_text


def _symbol(expr: Any) -> str:
    operands = expr["operator"]["operands"]
    assert operands["operand_2"] in {"id", "properties"}, expr
    symbol: str = operands["operand_1"]
    return symbol


def arm_assignments() -> set[tuple[str, str, str]]:
    found = set()
    for resource in example_bicep()["resources"].values():
        if resource["type"] != "Microsoft.Authorization/roleAssignments":
            continue
        conf = resource["config"]
        scope = conf["scope"]
        identity = conf["properties"]["principalId"]["operator"]["operands"]["operand_1"]
        role = conf["properties"]["roleDefinitionId"]["function"]["parameters"]["resource_name_1"]
        name = conf["name"]["function"]
        assert name["type"] == "guid"
        params = name["parameters"]
        assert (_symbol(params["base_string"]), _symbol(params["extra_string_1"])) == (
            scope,
            identity,
        )
        assert params["extra_string_2"] == role
        assert conf["properties"]["principalType"] == "ServicePrincipal"
        found.add((identity, scope, role))
    return found


def test_arm_role_assignments_are_exactly_the_declared_uses_and_platform_needs() -> None:
    assert arm_assignments() == {
        # declared uses
        ("id_backend", "kv_vault", roles.KEY_VAULT_SECRETS_USER.id),
        ("id_backend", "blob_uploads", roles.STORAGE_BLOB_DATA_CONTRIBUTOR.id),
        ("id_ocr_fn", "blob_uploads", roles.STORAGE_BLOB_DATA_READER.id),
        ("id_ocr_fn", "cog_ocr", roles.COGNITIVE_SERVICES_USER.id),
        # pulling the workload's own image
        ("id_frontend", "cr_acr", roles.ACR_PULL.id),
        ("id_backend", "cr_acr", roles.ACR_PULL.id),
        # the Functions host, its telemetry and its trigger queue
        ("id_ocr_fn", "st_ocr_fn_host", roles.STORAGE_BLOB_DATA_OWNER.id),
        ("id_ocr_fn", "appi_ocr_fn", roles.MONITORING_METRICS_PUBLISHER.id),
        ("id_ocr_fn", "queue_ocr_fn_events", roles.STORAGE_QUEUE_DATA_MESSAGE_PROCESSOR.id),
        # Event Grid delivering blob events into that queue
        ("id_evgt_data", "queue_ocr_fn_events", roles.STORAGE_QUEUE_DATA_MESSAGE_SENDER.id),
    }


def test_cosmos_data_access_uses_the_built_in_roles_on_the_database() -> None:
    found = set()
    for resource in example_bicep()["resources"].values():
        if resource["type"] != "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments":
            continue
        conf = resource["config"]
        identity = conf["properties"]["principalId"]["operator"]["operands"]["operand_1"]
        role = conf["properties"]["roleDefinitionId"]["function"]
        assert role["type"] == "resource_id"
        assert role["parameters"]["resource_type"] == (
            "Microsoft.DocumentDB/databaseAccounts/sqlRoleDefinitions"
        )
        assert conf["properties"]["scope"] == (
            "${cosmos_documents.id}/dbs/${cosmos_documents_db.name}"
        )
        found.add((identity, role["parameters"]["resource_name_2"]))
    assert found == {
        ("id_backend", "00000000-0000-0000-0000-000000000001"),
        ("id_ocr_fn", "00000000-0000-0000-0000-000000000002"),
    }


def test_no_assignment_is_scoped_to_a_resource_group_or_subscription() -> None:
    lines = example_files()["azure/bicep/main.bicep"].splitlines()
    text = "\n".join(line for line in lines if line.strip().startswith("scope:"))
    assert "resourceGroup()" not in text and "subscription()" not in text
    assert "Owner'" not in text and "Contributor'" not in text


def test_a_declared_service_principal_replaces_the_derived_grants() -> None:
    bp = load_example("azure-container-apps").blueprint
    data = bp.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data["identity"] = {
        "principals": {
            "backend-runtime": {
                "kind": "service",
                "workload": "backend",
                "grants": [{"resource": "vault", "access": "read"}],
            }
        }
    }
    plan = build_plan(SystemView.of(Blueprint.model_validate(data)))
    backend = {(ra.scope_symbol, ra.role.name) for ra in plan.role_assignments}
    assert ("kv_vault", "Key Vault Secrets User") in backend
    assert not any(ra.identity_symbol == "id_backend" for ra in plan.cosmos_role_assignments)
    assert ("blob_uploads", "Storage Blob Data Contributor") not in {
        (ra.scope_symbol, ra.role.name)
        for ra in plan.role_assignments
        if ra.identity_symbol == "id_backend"
    }


def test_role_table() -> None:
    assert roles.role_for(roles.ResourceKind.BUCKET, roles.Access.READ).name == (
        "Storage Blob Data Reader"
    )
    with pytest.raises(roles.UnsupportedGrantError, match="no least-privilege Azure built-in"):
        roles.role_for(roles.ResourceKind.BUCKET, roles.Access.ADMIN)


def test_wildcard_grants_are_refused() -> None:
    # Refused at validation (docs/support.md); the generator's own check stays as a backstop.
    with pytest.raises(BlueprintError, match="a wildcard grant is not rendered for azure"):
        load_text(
            """
        name: wild
        platforms: {azure: {location: uksouth}}
        services:
          web:
            platform: azure-container-apps
            image: {registry: docker.io, repository: library/nginx, tag: "1.27"}
        resources:
          box: {kind: bucket}
        identity:
          principals:
            web-runtime:
              kind: service
              workload: web
              grants: [{resource: "*", access: read}]
        """
        )
