"""Hostile strings in every free-text field stay one Bicep string literal and round-trip exactly.

The rendered template is parsed with pycep-parser; each value is read back from where it was
rendered and decoded (failing on any unescaped quote or `${`).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from blueprint.model import Blueprint
from blueprint.model.base import nfc
from tests.conftest import slow_examples
from tests.generators.azure.bicep_support import MAIN, decode, description, parse, render

HOSTILE = [
    "'",
    "\\",
    "\\'",
    "${nameSuffix}",
    "'${subscription().id}'",
    "%{ if true }x%{ endif }",
    "' \nresource evil 'Microsoft.Foo/bar@2020-01-01' = {}\n//",
    "*/ /* // ",
    "\r\n\t\x00\x1b\x7f",
    "\u2028\u2029\ufeff",
    "é ü 雪 😀 \U0001f600",
    "$",
    "{{ x }}",
    "''''",
    "\\u{41}",
    "\\$\\{",
]

text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=120),
    st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=8).map("".join),
    # very long: the model's limit of 4096 characters, built from a hostile piece
    st.sampled_from(HOSTILE).map(lambda piece: (piece * 4096)[:4096]),
).map(nfc)
secret_key = st.from_regex(r"\A[0-9A-Za-z-]{1,127}\Z")  # Key Vault secret names
health_path = st.text(
    alphabet=st.characters(blacklist_categories=("Zs", "Zl", "Zp", "Cc", "Cs")), max_size=60
).map(lambda s: "/" + nfc(s))


def blueprint(values: dict[str, Any]) -> Blueprint:
    return Blueprint.model_validate(
        {
            "name": "hostile",
            "description": values["bp_description"],
            "platforms": {"azure": {"location": "uksouth"}},
            "ingress": {"web": {"kind": "http", "routes": {values["route"]: "web"}}},
            "services": {
                "web": {
                    "platform": "azure-container-apps",
                    "description": values["service_description"],
                    "image": {"registry": "images", "repository": "web", "tag": "1"},
                    "health": {"path": values["health_path"]},
                    "env": {"GREETING": values["env"]},
                    "secrets": {"TOKEN": {"store": "vault", "key": values["key"]}},
                    "uses": [{"resource": "vault", "access": "read"}],
                }
            },
            "jobs": {
                "fn": {
                    "platform": "azure-functions",
                    "description": values["job_description"],
                    "trigger": {"event": "created", "resource": "box"},
                    "env": {"MODE": values["job_env"]},
                    "secrets": {"TOKEN": {"store": "vault", "key": values["key"]}},
                    "uses": [
                        {"resource": "box", "access": "read"},
                        {"resource": "vault", "access": "read"},
                    ],
                }
            },
            "resources": {
                "images": {"kind": "registry", "description": values["resource_description"]},
                "vault": {"kind": "secret-store", "description": values["resource_description"]},
                "box": {"kind": "bucket", "description": values["resource_description"]},
                "docs": {"kind": "database", "description": values["resource_description"]},
                "ocr": {"kind": "ocr", "description": values["resource_description"]},
            },
            "identity": {"scopes": {"readers": {"description": values["scope_description"]}}},
        }
    )


def _setting(settings_list: list[dict[str, Any]], name: str) -> Any:
    return next(s["value"] for s in settings_list if s["name"] == name)


@settings(
    max_examples=slow_examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    report_multiple_bugs=False,
)
@given(
    bp_description=text,
    service_description=text,
    job_description=text,
    resource_description=text,
    scope_description=text,
    env=text,
    job_env=text,
    key=secret_key,
    health_path=health_path,
    route=health_path,
)
def test_free_text_round_trips_through_bicep(**values: Any) -> None:
    try:
        bp = blueprint(values)
    except ValidationError:
        assume(False)
        raise
    parsed = parse(render(bp)[MAIN])
    resources = parsed["resources"]

    assert decode(parsed["metadata"]["description"]["value"]) == values["bp_description"]
    assert description(resources["id_web"]) == values["service_description"]
    assert description(resources["ca_web"]) == values["service_description"]
    assert description(resources["func_fn"]) == values["job_description"]
    for symbol in ("cr_images", "kv_vault", "blob_box", "cosmos_docs", "cog_ocr"):
        assert description(resources[symbol]) == values["resource_description"]

    app = resources["ca_web"]["config"]["properties"]
    container = app["template"]["containers"][0]
    env = {e["name"]: e for e in container["env"]}
    assert decode(env["GREETING"]["value"]) == values["env"]
    assert [decode(p["httpGet"]["path"]) for p in container["probes"]] == [
        values["health_path"]
    ] * 2
    secret = app["configuration"]["secrets"][0]["keyVaultUrl"]["function"]["parameters"]
    assert decode(secret["arg_2"]) == values["key"]

    app_settings = resources["func_fn"]["config"]["properties"]["siteConfig"]["appSettings"]
    assert decode(_setting(app_settings, "MODE")) == values["job_env"]
    reference = _setting(app_settings, "TOKEN")["function"]["parameters"]
    assert decode(reference["arg_2"]) == values["key"]
