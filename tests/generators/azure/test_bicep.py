"""The rendered Bicep of the azure-container-apps example, read back through pycep-parser."""

from __future__ import annotations

import json
from typing import Any

from generators.azure import roles
from tests.generators.azure.bicep_support import MAIN, decode, example_bicep, example_files


def resources() -> dict[str, Any]:
    found: dict[str, Any] = example_bicep()["resources"]
    return found


def config(symbol: str) -> dict[str, Any]:
    found: dict[str, Any] = resources()[symbol]["config"]
    return found


def test_renders_the_four_files() -> None:
    assert sorted(example_files()) == [
        "azure/azure-pipelines.yml",
        "azure/bicep/main.bicep",
        "azure/bicep/main.parameters.json",
        "azure/github-workflow.yml",
    ]


def test_api_versions_are_the_chosen_ga_versions() -> None:
    versions = {(r["type"], r["api_version"]) for r in resources().values()}
    assert versions == {
        ("Microsoft.App/containerApps", "2024-03-01"),
        ("Microsoft.App/managedEnvironments", "2024-03-01"),
        ("Microsoft.Authorization/roleAssignments", "2022-04-01"),
        ("Microsoft.CognitiveServices/accounts", "2024-10-01"),
        ("Microsoft.ContainerRegistry/registries", "2023-07-01"),
        ("Microsoft.DocumentDB/databaseAccounts", "2024-11-15"),
        ("Microsoft.DocumentDB/databaseAccounts/sqlDatabases", "2024-11-15"),
        ("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers", "2024-11-15"),
        ("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments", "2024-11-15"),
        ("Microsoft.EventGrid/systemTopics", "2022-06-15"),
        ("Microsoft.EventGrid/systemTopics/eventSubscriptions", "2022-06-15"),
        ("Microsoft.Insights/components", "2020-02-02"),
        ("Microsoft.Insights/diagnosticSettings", "2021-05-01-preview"),
        ("Microsoft.KeyVault/vaults", "2023-07-01"),
        ("Microsoft.ManagedIdentity/userAssignedIdentities", "2023-01-31"),
        ("Microsoft.Network/networkSecurityGroups", "2024-01-01"),
        ("Microsoft.Network/privateDnsZones", "2020-06-01"),
        ("Microsoft.Network/privateDnsZones/virtualNetworkLinks", "2020-06-01"),
        ("Microsoft.Network/privateEndpoints", "2024-01-01"),
        ("Microsoft.Network/privateEndpoints/privateDnsZoneGroups", "2024-01-01"),
        ("Microsoft.Network/virtualNetworks", "2024-01-01"),
        ("Microsoft.Network/virtualNetworks/subnets", "2024-01-01"),
        ("Microsoft.OperationalInsights/workspaces", "2023-09-01"),
        ("Microsoft.Storage/storageAccounts", "2023-05-01"),
        ("Microsoft.Storage/storageAccounts/blobServices", "2023-05-01"),
        ("Microsoft.Storage/storageAccounts/blobServices/containers", "2023-05-01"),
        ("Microsoft.Storage/storageAccounts/queueServices", "2023-05-01"),
        ("Microsoft.Storage/storageAccounts/queueServices/queues", "2023-05-01"),
        ("Microsoft.Web/serverfarms", "2024-04-01"),
        ("Microsoft.Web/sites", "2024-04-01"),
    }


def test_one_user_assigned_identity_per_workload_and_one_for_event_delivery() -> None:
    identities = sorted(
        c["config"]["name"]
        for c in resources().values()
        if c["type"] == "Microsoft.ManagedIdentity/userAssignedIdentities"
    )
    assert identities == ["id-backend", "id-evgt-data", "id-frontend", "id-ocr-fn"]


def test_only_the_frontend_is_reachable_from_the_internet() -> None:
    frontend = config("ca_frontend")["properties"]["configuration"]["ingress"]
    backend = config("ca_backend")["properties"]["configuration"]["ingress"]
    assert (frontend["external"], frontend["targetPort"]) == (True, 3000)
    assert (backend["external"], backend["targetPort"]) == (False, 8000)
    assert frontend["allowInsecure"] is False and backend["allowInsecure"] is False


def test_replicas_probes_and_sizes() -> None:
    frontend = config("ca_frontend")["properties"]["template"]
    backend = config("ca_backend")["properties"]["template"]
    assert (frontend["scale"]["minReplicas"], frontend["scale"]["maxReplicas"]) == (2, 5)
    assert (backend["scale"]["minReplicas"], backend["scale"]["maxReplicas"]) == (2, 2)
    assert [r["name"] for r in frontend["scale"]["rules"]] == ["http", "cpu"]
    probes = backend["containers"][0]["probes"]
    assert [(p["type"], p["httpGet"]["path"], p["httpGet"]["port"]) for p in probes] == [
        ("Liveness", "/healthz", 8000),
        ("Readiness", "/healthz", 8000),
    ]
    assert backend["containers"][0]["resources"]["memory"] == "1Gi"


def test_images_are_pulled_with_the_app_identity_and_no_password() -> None:
    bicep = example_files()[MAIN]
    assert "passwordSecretRef" not in bicep
    assert "listCredentials" not in bicep and "listKeys" not in bicep
    for app in ("frontend", "backend"):
        registries = config(f"ca_{app}")["properties"]["configuration"]["registries"]
        assert len(registries) == 1
        assert registries[0]["identity"]["operator"]["operands"]["operand_1"] == f"id_{app}"
    acr = config("cr_acr")["properties"]
    assert acr["adminUserEnabled"] is False and acr["anonymousPullEnabled"] is False


def test_secrets_are_key_vault_references_read_with_the_app_identity() -> None:
    secrets = config("ca_backend")["properties"]["configuration"]["secrets"]
    assert len(secrets) == 1
    secret = secrets[0]
    assert secret["name"] == "cosmos-endpoint"
    url = secret["keyVaultUrl"]["function"]
    assert url["type"] == "format"
    assert url["parameters"]["format_string"] == "{0}secrets/{1}"
    assert url["parameters"]["arg_2"] == "cosmos-endpoint"
    assert secret["identity"]["operator"]["operands"]["operand_1"] == "id_backend"
    env = config("ca_backend")["properties"]["template"]["containers"][0]["env"]
    assert {"name": "COSMOS_ENDPOINT", "secretRef": "cosmos-endpoint"} in env


def test_key_vault_uses_rbac_purge_protection_and_no_public_network() -> None:
    vault = config("kv_vault")["properties"]
    assert vault["enableRbacAuthorization"] is True
    assert vault["enablePurgeProtection"] is True
    assert vault["enableSoftDelete"] is True
    assert vault["publicNetworkAccess"] == "Disabled"
    assert vault["networkAcls"]["defaultAction"] == "Deny"
    assert "accessPolicies" not in vault


def test_storage_accounts_take_no_keys_and_no_anonymous_reads() -> None:
    for symbol in ("st_data", "st_ocr_fn_host"):
        props = config(symbol)["properties"]
        assert props["allowBlobPublicAccess"] is False
        assert props["allowSharedKeyAccess"] is False
        assert props["minimumTlsVersion"] == "TLS1_2"
        assert props["supportsHttpsTrafficOnly"] is True
        assert props["networkAcls"]["defaultAction"] == "Deny"
    assert config("blob_uploads")["name"] == "uploads"
    assert config("queue_ocr_fn_events")["name"] == "ocr-fn-events"


def test_cosmos_is_rbac_only() -> None:
    props = config("cosmos_documents")["properties"]
    assert props["disableLocalAuth"] is True
    assert props["disableKeyBasedMetadataWriteAccess"] is True
    assert props["publicNetworkAccess"] == "Disabled"
    assert config("cosmos_documents_pages")["name"] == "pages"


def test_ocr_is_computer_vision_without_keys() -> None:
    ocr = config("cog_ocr")
    assert ocr["kind"] == "ComputerVision"
    assert ocr["properties"]["disableLocalAuth"] is True


def test_container_apps_environment_is_in_the_delegated_subnet() -> None:
    env = config("cae_apps_infra")["properties"]
    assert env["vnetConfiguration"]["internal"] is False
    assert env["vnetConfiguration"]["infrastructureSubnetId"]["operator"]["operands"] == {
        "operand_1": "snet_apps_infra",
        "operand_2": "id",
    }
    subnets = {s["name"]: s["properties"] for s in config("vnet_apps")["properties"]["subnets"]}
    delegated = {
        name: [d["properties"]["serviceName"] for d in props.get("delegations", [])]
        for name, props in subnets.items()
    }
    assert delegated == {
        "apps-infra": ["Microsoft.App/environments"],
        "functions": ["Microsoft.App/environments"],
        "data": [],
    }


def test_function_app_is_flex_consumption_python_with_identity_based_storage() -> None:
    plan = config("plan_ocr_fn")
    assert plan["sku"] == {"tier": "FlexConsumption", "name": "FC1"}
    site = config("func_ocr_fn")["properties"]
    assert site["functionAppConfig"]["runtime"] == {"name": "python", "version": "3.11"}
    auth = site["functionAppConfig"]["deployment"]["storage"]["authentication"]
    assert auth["type"] == "UserAssignedIdentity"
    settings = {s["name"]: s["value"] for s in site["siteConfig"]["appSettings"]}
    assert "AzureWebJobsStorage" not in settings
    assert settings["AzureWebJobsStorage__credential"] == "managedidentity"
    assert set(settings) >= {
        "AzureWebJobsStorage__accountName",
        "AzureWebJobsStorage__clientId",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
        "EventsQueue__queueServiceUri",
        "EventsQueue__credential",
        "EventsQueue__clientId",
        "EVENTS_QUEUE_NAME",
    }
    assert "AccountKey" not in example_files()[MAIN]
    insights = config("appi_ocr_fn")["properties"]
    assert insights["DisableLocalAuth"] is True
    assert insights["WorkspaceResourceId"]["operator"]["operands"]["operand_1"] == "log"


def test_blob_created_events_reach_the_function_queue_with_a_managed_identity() -> None:
    topic = config("evgt_data")
    assert topic["properties"]["topicType"] == "Microsoft.Storage.StorageAccounts"
    sub = config("evgs_ocr_fn")["properties"]
    assert sub["filter"]["includedEventTypes"] == ["Microsoft.Storage.BlobCreated"]
    assert decode(sub["filter"]["subjectBeginsWith"]) == "/blobServices/default/containers/uploads/"
    delivery = sub["deliveryWithResourceIdentity"]
    assert delivery["identity"]["type"] == "UserAssigned"
    assert delivery["destination"]["endpointType"] == "StorageQueue"
    assert sub["retryPolicy"]["maxDeliveryAttempts"] == 5


def test_role_definitions_come_from_the_roles_table_only() -> None:
    known = {r.id for r in vars(roles).values() if isinstance(r, roles.Role)}
    for resource in resources().values():
        if resource["type"] == "Microsoft.Authorization/roleAssignments":
            role = resource["config"]["properties"]["roleDefinitionId"]["function"]
            assert role["parameters"]["resource_name_1"] in known
        if resource["type"] == "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments":
            role = resource["config"]["properties"]["roleDefinitionId"]["function"]
            assert role["parameters"]["resource_name_2"] in {
                roles.COSMOS_DATA_READER.id,
                roles.COSMOS_DATA_CONTRIBUTOR.id,
            }


def test_parameters_file() -> None:
    document = json.loads(example_files()["azure/bicep/main.parameters.json"])
    assert document == {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {"location": {"value": "uksouth"}},
    }
    assert set(document["parameters"]) <= set(example_bicep()["parameters"])
