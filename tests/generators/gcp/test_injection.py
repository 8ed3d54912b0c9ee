"""Hostile strings in every free-text field that reaches the output round-trip exactly, in the
YAML (read as YAML 1.1 and 1.2) and in the HCL (decoded strictly, no live template sequence)."""

from __future__ import annotations

import re
import tempfile
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import yaml
import yaml_rs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint.model import Blueprint
from blueprint.model import HealthCheck as Health
from blueprint.model.base import nfc
from generators.common.quoting import kubelet_literal
from tests.conftest import slow_examples
from tests.generators.gcp.hcl_literal import decode
from tests.generators.gcp.support import render, rich
from tests.generators.gcp.terraform_support import (
    neutralise_template_escapes,
    of_type,
    resources,
    terraform_evaluate,
)

HOSTILE = [
    '"',
    "'",
    "\\",
    "\\n",
    "${var.project}",
    "%{ if true }x%{ endif }",
    "$${",
    "$$${x}",
    "%%{",
    "\n",
    "\r\n",
    "\t",
    "line one\nline two",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "1e3",
    "0o17",
    "0x1F",
    "0X0",
    "0O17",
    "0B1",
    "+0o7",
    "~",
    "null",
    "true",
    "2024-01-01",
    "12:30",
    ": ",
    "a: b",
    " #",
    "a #comment",
    "- item",
    "[x]",
    "{x}",
    "&anchor",
    "*alias",
    "!tag",
    "|",
    ">",
    "%YAML",
    "---",
    "...",
    " leading",
    "trailing ",
    "",
    "é ü 中文 🚀",
    "\u2028\u2029\x85",
    "a\x85b",
    "0\u20280",
    "\x00\x07\x1b\x7f",
    "${" * 700,
    "x" * 4096,
]

free_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=200),
    st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=6).map("".join),
).map(lambda s: nfc(s[:4096]))

# A health path: "/" then no whitespace (the model's pattern), hostile otherwise.
_INVISIBLE = ("Cc", "Cf", "Cs", "Zs", "Zl", "Zp")  # refused by the model in paths
path_text = st.one_of(
    st.sampled_from([h for h in HOSTILE if not re.search(r"\s", h)]),
    st.text(st.characters(blacklist_categories=_INVISIBLE), max_size=60),
).map(lambda s: "/" + "".join(c for c in s if unicodedata.category(c) not in _INVISIBLE))
path_text = path_text.map(lambda p: nfc(p[:1024]))  # the model's limit for an HTTP path


@cache
def _base() -> Blueprint:
    return rich()


def _hostile(description: str, env_value: str, repo_description: str, path: str) -> Blueprint:
    bp = _base()
    web = bp.services["web"]
    assert web.health is not None
    web = web.model_copy(
        update={
            "description": description,
            "env": {"HOSTILE": env_value, "LOG_LEVEL": "info"},
            "health": Health(path=path, interval_seconds=30, timeout_seconds=5),
        }
    )
    registry = bp.resources["containers"].model_copy(update={"description": repo_description})
    return bp.model_copy(
        update={
            "services": {**bp.services, "web": web},
            "resources": {**bp.resources, "containers": registry},
        }
    )


def _both_yaml_readers(text: str) -> dict[str, Any]:
    one_one: dict[str, Any] = yaml.safe_load(text)
    # parse_datetime=False: YAML 1.2's core schema has no timestamps, and yaml-rs would read
    # even a quoted "2024-01-01" as a date.
    assert yaml_rs.loads(text, parse_datetime=False) == one_one
    return one_one


def _block(text: str, header: str) -> str:
    start = text.index(header)
    return text[start : text.index("\n}\n", start)]


def _literal(block: str, pattern: str) -> list[str]:
    """The raw literals of an attribute (hcl_string output is always one line)."""
    return re.findall(pattern + r'(".*")$', block, flags=re.MULTILINE)


@settings(
    max_examples=slow_examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(description=free_text, env_value=free_text, repo_description=free_text, path=path_text)
def test_free_text_round_trips_in_yaml_and_hcl(
    description: str, env_value: str, repo_description: str, path: str
) -> None:
    files = render(_hostile(description, env_value, repo_description, path))

    knative = _both_yaml_readers(files["gcp/cloudrun/web.yaml"])
    assert knative["metadata"]["annotations"]["run.googleapis.com/description"] == description
    (container,) = knative["spec"]["template"]["spec"]["containers"]
    assert container["env"] == [
        {"name": "HOSTILE", "value": kubelet_literal(env_value)},  # Cloud Run expands $(NAME)
        {"name": "LOG_LEVEL", "value": "info"},
    ]
    assert container["startupProbe"]["httpGet"]["path"] == path
    assert container["livenessProbe"]["httpGet"]["path"] == path

    kcc = _both_yaml_readers(files["gcp/config-connector/web.yaml"])
    assert kcc["spec"]["description"] == description
    (container,) = kcc["spec"]["template"]["containers"]
    assert container["env"] == [
        {"name": "HOSTILE", "value": kubelet_literal(env_value)},  # Cloud Run expands $(NAME)
        {"name": "LOG_LEVEL", "value": "info"},
    ]
    assert container["startupProbe"]["httpGet"]["path"] == path

    # HCL, structure: the hostile values added no attribute, block or resource.
    services = files["gcp/terraform/services.tf"]
    registry_tf = files["gcp/terraform/registry.tf"]
    found = resources(
        {p: neutralise_template_escapes(files[p]) for p in files if p.endswith(".tf")}
    )
    web = of_type(found, "google_cloud_run_v2_service")["web"]
    (box,) = web["template"][0]["containers"]
    assert [e["name"] for e in box["env"]] == ["HOSTILE", "LOG_LEVEL"]
    assert sorted(found) == sorted(resources(render(_base())))

    # HCL, values: each literal decodes strictly (no live ${ or %{) to the exact value.
    web_block = _block(services, 'resource "google_cloud_run_v2_service" "web" {')
    repo_block = _block(
        registry_tf, 'resource "google_artifact_registry_repository" "containers" {'
    )
    literals = [
        *_literal(web_block, r"^  description\s+= "),
        *_literal(web_block, r'^        name  = "HOSTILE"\n        value = '),
        *_literal(web_block, r"^          path = "),
        *_literal(repo_block, r"^  description\s+= "),
    ]
    expected = [description, kubelet_literal(env_value), path, path, repo_description]
    assert [decode(lit) for lit in literals] == expected
    # And Terraform itself reads them so (terraform console, offline).
    with tempfile.TemporaryDirectory() as workdir:
        assert terraform_evaluate(literals, Path(workdir)) == expected


def test_strict_decoder_rejects_live_interpolation() -> None:
    """The decoder is what makes the HCL round trip meaningful: it must refuse `${`."""
    import pytest

    from tests.generators.gcp.hcl_literal import LiveTemplateError

    with pytest.raises(LiveTemplateError):
        decode('"${var.project}"')
    with pytest.raises(LiveTemplateError):
        decode('"%{ if true }"')
    assert decode('"$${var.project} %%{x} \\\\ \\" \\n \\u00e9"') == '${var.project} %{x} \\ " \n é'
