"""Custom domains on Container Apps: the host bound on the app at `/`, its managed certificate
issued in the second deployment, and the records Azure validates it by as outputs."""

from __future__ import annotations

from tests.generators.azure.bicep_support import MAIN, parse, render
from tests.generators.azure.test_trigger_bindings import sink
from tests.support import load_text

TWO_APPS = """\
name: shop
platforms:
  azure: {location: westeurope}
ingress:
  site:
    kind: http
    host: shop.example.com
    routes: {/api: api, /: web}
services:
  web:
    platform: azure-container-apps
    image: {registry: ghcr.io, repository: shop/web, tag: "1.0.0"}
  api:
    platform: azure-container-apps
    image: {registry: ghcr.io, repository: shop/api, tag: "1.0.0"}
"""


def test_the_host_is_bound_on_its_app_once_the_certificate_exists() -> None:
    _, parsed = sink()
    resources = parsed["resources"]
    ingress = resources["ca_web"]["config"]["properties"]["configuration"]["ingress"]
    (domain,) = ingress["customDomains"]
    assert domain["name"] == "shop.example.com"
    cert = resources["mc_web_site"]
    assert cert["type"] == "Microsoft.App/managedEnvironments/managedCertificates"
    assert cert["config"]["condition"] == "bindCustomDomains"
    props = cert["config"]["config"]["properties"]
    assert (props["subjectName"], props["domainControlValidation"]) == ("shop.example.com", "CNAME")
    assert parsed["parameters"]["bindCustomDomains"]["default"] is False


def test_the_validation_records_are_outputs() -> None:
    _, parsed = sink()
    outputs = parsed["outputs"]
    assert outputs["dns_web_site_record_type"]["value"] == "CNAME"
    assert outputs["dns_web_site_record_name"]["value"] == "shop.example.com"
    assert outputs["dns_web_site_txt_name"]["value"] == "asuid.shop.example.com"
    txt = outputs["dns_web_site_txt_value"]["value"]
    assert txt["operator"]["operands"]["operand_1"] == "cae_apps"


def test_without_path_routing_the_host_goes_to_the_app_at_the_root() -> None:
    parsed = parse(render(load_text(TWO_APPS).blueprint)[MAIN])
    resources = parsed["resources"]
    web = resources["ca_web"]["config"]["properties"]["configuration"]["ingress"]
    api = resources["ca_api"]["config"]["properties"]["configuration"]["ingress"]
    assert [d["name"] for d in web["customDomains"]] == ["shop.example.com"]
    assert "customDomains" not in api
