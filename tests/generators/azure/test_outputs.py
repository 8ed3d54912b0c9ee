"""Connection wiring on Azure: env values from resource outputs are Bicep references to the
resource (never copied values), and the outputs Azure has no form for are refused at
validation with the reason."""

from __future__ import annotations

from typing import Any

import pytest

from blueprint.errors import BlueprintError
from tests.generators.azure.bicep_support import MAIN, parse, render
from tests.support import load_example, load_text


def _env(parsed: dict[str, Any], symbol: str) -> dict[str, Any]:
    resource = parsed["resources"][symbol]["config"]["properties"]
    (container,) = resource["template"]["containers"]
    return {e["name"]: e.get("value", e.get("secretRef")) for e in container["env"]}


def _path(value: Any) -> list[str]:
    parts = []
    while isinstance(value, dict):
        operands = value["operator"]["operands"]
        parts.append(operands["operand_1"])
        value = operands["operand_2"]
    return [*parts, value]


@pytest.fixture(scope="module")
def orders() -> dict[str, Any]:
    return parse(render(load_example("azure-orders").blueprint)[MAIN])


def test_database_outputs_reference_the_server(orders: dict[str, Any]) -> None:
    env = _env(orders, "ca_api")
    assert _path(env["DATABASE_HOST"]) == ["psql_db", "properties", "fullyQualifiedDomainName"]
    assert (env["DATABASE_PORT"], env["DATABASE_NAME"], env["DATABASE_USER"]) == (
        "5432",
        "db",
        "id-api",  # its Entra principal: the identity's name
    )
    assert env["LOG_LEVEL"] == "info"


def test_queue_outputs_reference_the_queue_where_it_lives(orders: dict[str, Any]) -> None:
    env = _env(orders, "ca_api")
    assert _path(env["ORDERS_QUEUE"]) == ["sbq_orders", "name"]
    job = _env(orders, "caj_fulfil")
    assert job["RECEIPTS_QUEUE_URL"] == (
        "${st_data.properties.primaryEndpoints.queue}${queue_receipts.name}"
    )
    assert _path(job["DATABASE_HOST"]) == ["psql_db", "properties", "fullyQualifiedDomainName"]
    assert job["DATABASE_USER"] == "id-fulfil"


REFUSED = """\
name: shop
platforms:
  azure: {{location: westeurope}}
services:
  web:
    platform: azure-container-apps
    image: {{registry: ghcr.io, repository: shop/web, tag: "1.0.0"}}
    env:
      DB_SECRET: {{resource: db, output: {output}}}
    uses: [{{resource: db, access: read}}]
resources:
  db: {{kind: database{engine}}}
"""


@pytest.mark.parametrize(
    ("output", "engine", "why"),
    [
        ("password", ", engine: postgres", "every Azure data store here takes Microsoft Entra"),
        ("password", "", "every Azure data store here takes Microsoft Entra"),
        ("user", "", "a Cosmos DB account has no port or user"),
    ],
)
def test_outputs_azure_has_no_form_for_are_refused_with_the_reason(
    output: str, engine: str, why: str
) -> None:
    with pytest.raises(BlueprintError) as raised:
        load_text(REFUSED.format(output=output, engine=engine))
    (message,) = [d.message for d in raised.value.diagnostics]
    assert message.startswith(
        f"services.web.env.DB_SECRET: output '{output}' of database 'db' is not rendered for "
        f"azure-container-apps: {why}"
    ), message


def test_storage_beyond_a_flexible_servers_largest_is_refused_with_the_limit() -> None:
    text = REFUSED.format(output="host", engine=", engine: mysql, storage_gb: 20000")
    with pytest.raises(BlueprintError) as raised:
        load_text(text)
    (message,) = [d.message for d in raised.value.diagnostics]
    assert message.startswith(
        "resources.db: storage_gb 20000 is not rendered for azure: a mysql flexible server holds "
        "at most 16384 GiB"
    ), message


def test_a_certificate_by_reference_is_refused_on_container_apps() -> None:
    text = """\
    name: shop
    platforms:
      azure: {location: westeurope}
    ingress:
      site:
        kind: http
        host: shop.example.com
        tls: {certificate: "https://vault.vault.azure.net/secrets/shop"}
        routes: {/: web}
    services:
      web:
        platform: azure-container-apps
        image: {registry: ghcr.io, repository: shop/web, tag: "1.0.0"}
    """
    with pytest.raises(BlueprintError) as raised:
        load_text(text)
    (message,) = [d.message for d in raised.value.diagnostics]
    assert message.startswith(
        "ingress.site: a certificate by reference is not rendered for azure: Container Apps "
        "bind managed certificates here; use certificate: managed"
    ), message
