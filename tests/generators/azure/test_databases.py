"""PostgreSQL and MySQL flexible servers, read back from the rendered Bicep (pycep)."""

from __future__ import annotations

from typing import Any

import pytest

from generators.azure.plan.flexible import storage_size, tier_of
from tests.generators.azure.bicep_support import MAIN, parse, render
from tests.support import load_text

SYSTEM = """\
name: shop
platforms:
  azure: {{location: westeurope}}
networks:
  main:
    cidr: 10.40.0.0/16
    subnets:
      apps: {{cidr: 10.40.0.0/23}}
      database: {{cidr: 10.40.4.0/24}}
services:
  web:
    platform: azure-container-apps
    image: {{registry: ghcr.io, repository: shop/web, tag: "1.0.0"}}
    subnets: [apps]
    uses: [{{resource: db, access: write}}]
  admin:
    platform: azure-container-apps
    image: {{registry: ghcr.io, repository: shop/admin, tag: "1.0.0"}}
    subnets: [apps]
    uses: [{{resource: db, access: write}}, {{resource: db, access: read}}]
  report:
    platform: azure-container-apps
    image: {{registry: ghcr.io, repository: shop/report, tag: "1.0.0"}}
    subnets: [apps]
    uses: [{{resource: db, access: read}}]
resources:
  db: {{kind: database, {db}}}
environments:
  prod:
    resources:
      db: {{high_availability: true, backup_retention_days: 35}}
  dev:
    resources:
      db: {{deletion_protection: false}}
"""


def _render(db: str, environment: str | None = None) -> dict[str, Any]:
    loaded = load_text(SYSTEM.format(db=db), environment=environment)
    parsed: dict[str, Any] = parse(render(loaded.blueprint)[MAIN])
    return parsed


def _server(parsed: dict[str, Any]) -> dict[str, Any]:
    (server,) = (
        r["config"] for r in parsed["resources"].values() if r["type"].endswith("/flexibleServers")
    )
    found: dict[str, Any] = server
    return found


def _types(parsed: dict[str, Any]) -> dict[str, str]:
    return {s: r["type"] for s, r in parsed["resources"].items()}


def test_postgres_is_private_entra_only_with_its_writers_as_administrators() -> None:
    parsed = _render("engine: postgres, subnets: [database]")
    server = _server(parsed)
    props = server["properties"]
    assert props["authConfig"]["passwordAuth"] == "Disabled"
    assert props["authConfig"]["activeDirectoryAuth"] == "Enabled"
    assert props["network"]["publicNetworkAccess"] == "Disabled"
    assert props["network"]["delegatedSubnetResourceId"]["operator"]["operands"]["operand_1"] == (
        "snet_database"
    )
    zone = props["network"]["privateDnsZoneArmResourceId"]["operator"]["operands"]["operand_1"]
    assert parsed["resources"][zone]["config"]["name"] == "shop.private.postgres.database.azure.com"
    vnet = parsed["resources"]["vnet_main"]["config"]["properties"]["subnets"]
    (database,) = (s for s in vnet if s["name"] == "database")
    (delegation,) = database["properties"]["delegations"]
    assert delegation["properties"]["serviceName"] == "Microsoft.DBforPostgreSQL/flexibleServers"
    admins = {
        m["config"]["params"]["principalName"]
        for m in parsed["modules"].values()
        if m["detail"]["path"] == "modules/postgres-administrator.bicep"
    }
    assert admins == {"id-web", "id-admin"}  # the writers; admin's read is within its write
    sql = parsed["outputs"]["psql_db_principals_sql"]["value"]
    assert "pgaadauth_create_principal(\\'id-report\\', false, false)" in sql
    assert 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "id-report"' in sql
    assert "id-web" not in sql and "id-admin" not in sql
    assert "Microsoft.Authorization/locks" in _types(parsed).values()  # deletion_protection


def test_the_administrator_module_is_rendered_next_to_main() -> None:
    files = render(load_text(SYSTEM.format(db="engine: postgres")).blueprint)
    module = files["azure/bicep/modules/postgres-administrator.bicep"]
    parsed = parse(module)
    assert set(parsed["parameters"]) == {"serverName", "principalId", "principalName"}


SKU_CASES = [
    ("engine: postgres", "Standard_B2s", "Burstable", False),
    ("engine: postgres, size: large", "Standard_D4ds_v5", "GeneralPurpose", False),
    # Burstable cannot be zone-redundant: high availability takes the medium SKU
    ("engine: postgres, high_availability: true", "Standard_D2ds_v5", "GeneralPurpose", True),
    (
        "engine: postgres, instance_class: Standard_E4ds_v5",
        "Standard_E4ds_v5",
        "MemoryOptimized",
        False,
    ),
    ("engine: mysql, size: xlarge", "Standard_E8ds_v4", "MemoryOptimized", False),
]


@pytest.mark.parametrize(("db", "sku", "tier", "ha"), SKU_CASES)
def test_sku_high_availability_and_geo_backups(db: str, sku: str, tier: str, ha: bool) -> None:
    server = _server(_render(db))
    assert (server["sku"]["name"], server["sku"]["tier"]) == (sku, tier)
    props = server["properties"]
    assert props["highAvailability"]["mode"] == ("ZoneRedundant" if ha else "Disabled")
    assert props["backup"]["geoRedundantBackup"] == ("Enabled" if ha else "Disabled")


def test_each_environment_sets_backups_high_availability_and_deletion_protection() -> None:
    prod = _render("engine: postgres", "prod")
    props = _server(prod)["properties"]
    assert props["backup"] == {"backupRetentionDays": 35, "geoRedundantBackup": "Enabled"}
    assert props["highAvailability"]["mode"] == "ZoneRedundant"
    dev = _render("engine: postgres", "dev")
    assert "Microsoft.Authorization/locks" not in _types(dev).values()
    assert _server(dev)["properties"]["backup"]["backupRetentionDays"] == 7


def test_mysql_is_entra_only_with_one_administrator_and_the_others_made_in_sql() -> None:
    parsed = _render("engine: mysql, subnets: [database]")
    resources = parsed["resources"]
    assert resources["mysql_db_entra_only"]["config"]["name"] == "aad_auth_only"
    assert resources["mysql_db_entra_only"]["config"]["properties"]["value"] == "ON"
    (admin,) = (r["config"] for r in resources.values() if r["type"].endswith("/administrators"))
    assert admin["properties"]["login"] == "id-web"
    assert _server(parsed)["identity"]["type"] == "UserAssigned"
    sql = parsed["outputs"]["mysql_db_principals_sql"]["value"]["function"]
    assert sql["type"] == "format"
    text = sql["parameters"]["format_string"]
    assert "CREATE AADUSER \\'id-admin\\' IDENTIFIED BY \\'{0}\\'" in text
    assert "GRANT SELECT, INSERT, UPDATE, DELETE ON `db`.* TO \\'id-admin\\'" in text
    assert "GRANT SELECT ON `db`.* TO \\'id-report\\'" in text


def test_without_subnets_the_server_admits_azure_addresses_only() -> None:
    parsed = _render("engine: postgres")
    assert _server(parsed)["properties"]["network"] == {"publicNetworkAccess": "Enabled"}
    (rule,) = (
        r["config"] for r in parsed["resources"].values() if r["type"].endswith("/firewallRules")
    )
    assert rule["properties"] == {"startIpAddress": "0.0.0.0", "endIpAddress": "0.0.0.0"}


def test_storage_sizes_and_tiers() -> None:
    assert [storage_size("postgres", gb, "db") for gb in (20, 32, 33, 100, 32767)] == [
        32,
        32,
        64,
        128,
        32767,
    ]
    assert storage_size("mysql", 20, "db") == 20
    assert [tier_of(s) for s in ("Standard_B1ms", "Standard_D2ds_v5", "Standard_E4ds_v5")] == [
        "Burstable",
        "GeneralPurpose",
        "MemoryOptimized",
    ]
