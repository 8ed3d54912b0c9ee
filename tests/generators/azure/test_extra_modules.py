"""Bicep overrides (issue 12, item 5): extra modules written as given next to main.bicep and
deployed from it with the declared params; pycep (checkov's parser) reads both files, params
are quoted literals, and what would not deploy is refused at validation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests.blueprint.support_samples import base
from tests.generators.azure.bicep_support import decode, parse
from tests.support import run_cli

MODULE = """\
@description('Where the account lives.')
param location string
param sku string
param retentionDays int = 7
param versioning bool
param tags object = {}

resource archive 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'starchive${uniqueString(resourceGroup().id)}'
  location: location
  sku: {
    name: sku
  }
  kind: 'StorageV2'
  tags: tags
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    supportsHttpsTrafficOnly: true
  }
}

output archiveName string = archive.name
"""
# A value that would end the string and open an interpolation, were it not quoted.
HOSTILE = "Standard_LRS' }\nresource x 'y' = { ${location}"


def _blueprint(modules: dict[str, Any]) -> dict[str, Any]:
    data = base("azure")
    data["overrides"] = {"bicep": {"modules": modules}}
    return data


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "blueprint.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _render(tmp_path: Path, modules: dict[str, Any]) -> Path:
    path = _write(tmp_path, _blueprint(modules))
    code, _out, err = run_cli("render", str(path), "--out", str(tmp_path / "out"))
    assert (code, err) == (0, "")
    return tmp_path / "out/azure/bicep"


def _module_declarations(main: dict[str, Any]) -> dict[str, Any]:
    return {m["name"]: m for m in main["modules"].values()} if "modules" in main else {}


def test_modules_are_written_as_given_and_deployed_from_main(tmp_path: Path) -> None:
    folder = _render(
        tmp_path,
        {
            "archive.bicep": {"content": MODULE, "params": {"sku": HOSTILE, "versioning": True}},
            "net/peering.bicep": {
                "content": "param peerName string\n",
                "params": {"peerName": "a"},
            },
        },
    )
    written = (folder / "archive.bicep").read_text(encoding="utf-8")
    assert written.endswith(MODULE)  # after the provenance header
    parse(written)
    parse((folder / "net/peering.bicep").read_text(encoding="utf-8"))
    main_text = (folder / "main.bicep").read_text(encoding="utf-8")
    main = parse(main_text)
    modules = main["modules"]
    assert sorted(modules) == ["override_archive", "override_net_peering"]
    archive = modules["override_archive"]["config"]
    assert decode(modules["override_archive"]["detail"]["path"]) == "archive.bicep"
    assert decode(modules["override_net_peering"]["detail"]["path"]) == "net/peering.bicep"
    assert decode(archive["name"]) == "override-archive"
    params = archive["params"]
    assert decode(params["sku"]) == HOSTILE
    assert params["versioning"] is True
    assert params["location"] == "location"  # main.bicep's own, for a declared `location`
    assert set(params) == {"location", "sku", "versioning"}


def _refused(tmp_path: Path, data: dict[str, Any]) -> list[str]:
    path = _write(tmp_path, data)
    code, out, err = run_cli("validate", str(path))
    assert (code, out) == (2, "")
    return [line.removeprefix(f"{path}:") for line in err.splitlines()]


def test_params_must_match_the_declarations(tmp_path: Path) -> None:
    assert _refused(
        tmp_path,
        _blueprint(
            {
                "a.bicep": {"content": MODULE, "params": {"sku": "x", "versionin": True}},
                "b.bicep": {"content": MODULE, "params": {"sku": 3, "versioning": True}},
                "c.bicep": {"content": MODULE, "params": {"sku": "x", "tags": "x"}},
                "d.bicep": {"content": MODULE, "params": {"sku": "x"}},
                "e.bicep": {"content": "targetScope = 'subscription'\n"},
            }
        ),
    ) == [
        "16:7: found param 'versionin', which the module does not declare; expected one of its "
        "params (location, retentionDays, sku, tags, versioning)",
        "28:7: found 3 for param 'sku' of type string; expected a string",
        "40:7: found 'x' for param 'tags' of type object; expected a param of type string, int "
        "or bool",
        "52:7: missing param 'versioning', which the module declares without a default; "
        "expected it in params",
        "63:7: found targetScope 'subscription'; expected a module at resource-group scope, as "
        "main.bicep deploys it",
    ]


def test_the_generator_s_own_files_are_not_module_names(tmp_path: Path) -> None:
    modules = {"main.bicep": {"content": ""}, "modules/x.bicep": {"content": ""}}
    assert _refused(tmp_path, _blueprint(modules)) == [
        "16:7: found 'main.bicep', the file blueprint renders into azure/bicep/; expected "
        "another name",
        "18:7: found 'modules/x.bicep', in azure/bicep/modules/, where blueprint writes its own "
        "modules; expected another name",
    ]


def test_identity_and_network_security_need_a_justification(tmp_path: Path) -> None:
    nsg = "resource nsg 'Microsoft.Network/networkSecurityGroups@2023-11-01' = {}\n"
    identity = "resource id 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {}\n"
    assert _refused(
        tmp_path, _blueprint({"nsg.bicep": {"content": nsg}, "id.bicep": {"content": identity}})
    ) == [
        "16:7: found an override of Microsoft.Network/networkSecurityGroups, an identity or "
        "network-security object; expected a justification: {owner, reason, expires} "
        "(overrides there bypass the access rules)",
        "21:7: found an override of Microsoft.ManagedIdentity/userAssignedIdentities, an "
        "identity or network-security object; expected a justification: {owner, reason, "
        "expires} (overrides there bypass the access rules)",
    ]


def test_modules_for_a_blueprint_without_bicep_are_refused(tmp_path: Path) -> None:
    data = base("kubernetes")
    data["platforms"]["azure"] = {"location": "westeurope"}
    data["overrides"] = {"bicep": {"modules": {"a.bicep": {"content": "param p string = 'x'\n"}}}}
    assert _refused(tmp_path, data) == [
        "16:3: found overrides for azure/bicep/, which this blueprint does not render; expected "
        "a workload or a resource on azure",
    ]


def test_check_notes_the_modules(tmp_path: Path) -> None:
    path = _write(tmp_path, _blueprint({"archive.bicep": {"content": MODULE_LITE}}))
    code, out, err = run_cli("check", str(path))
    notes = [line.removeprefix(f"{path}:") for line in out.splitlines() if "BP6002" in line]
    assert notes == [
        "14:3: note BP6002 overrides.bicep: 1 Bicep module is not verified by the rules: "
        "archive.bicep",
    ]
    assert (code, err) == (0, "")


MODULE_LITE = "param location string\noutput where string = location\n"
