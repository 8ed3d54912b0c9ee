"""`blueprint schema`: a valid JSON Schema, equal to the committed editor schema, and honest:
every example validates against it and schema-level mistakes fail it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml_rs

from tests.conftest import EXAMPLES, ROOT, TEST_DATA
from tests.support import run_cli

COMMITTED = ROOT / "docs" / "blueprint.schema.json"


def schema() -> dict[str, Any]:
    code, out, err = run_cli("schema")
    assert (code, err) == (0, "")
    parsed: dict[str, Any] = json.loads(out)
    return parsed


def as_json(path: Path) -> Any:
    """The document as an editor's YAML language server sees it: keys become strings."""
    return json.loads(json.dumps(yaml_rs.loads(path.read_text("utf-8"), parse_datetime=False)))


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())


def test_schema_equals_the_committed_editor_schema() -> None:
    code, out, _ = run_cli("schema")
    assert code == 0
    assert out == COMMITTED.read_text("utf-8"), "run: blueprint schema > docs/blueprint.schema.json"


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_validates_against_the_schema(name: str) -> None:
    validator = jsonschema.Draft202012Validator(schema())
    errors = [
        e.message
        for e in validator.iter_errors(as_json(ROOT / "examples" / name / "blueprint.yaml"))
    ]
    assert errors == []


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_names_the_schema_in_its_modeline(name: str) -> None:
    first = (ROOT / "examples" / name / "blueprint.yaml").read_text("utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../docs/blueprint.schema.json"


# Mistakes of shape (not of cross-references) that an editor must flag as the loader does.
SHAPE_MISTAKES = [
    "access-typo",
    "forward-port-out-of-range",
    "image-tag-unquoted-number",
    "ingress-kind-typo",
    "ingress-missing-kind",
    "job-trigger-without-kind",
    "missing-name",
    "missing-network-cidr",
    "missing-resource-kind",
    "name-underscore",
    "name-uppercase",
    "platform-typo",
    "port-is-a-word",
    "port-out-of-range",
    "replicas-fractional",
    "resource-kind-typo",
    "route-bad-method",
    "services-is-a-list",
    "unknown-key-nested",
    "unknown-key-top-level",
    "waiver-bad-rule-id",
    "waiver-reason-too-short",
]


@pytest.mark.parametrize("name", SHAPE_MISTAKES)
def test_the_schema_rejects_shape_mistakes(name: str) -> None:
    validator = jsonschema.Draft202012Validator(schema())
    assert not validator.is_valid(as_json(TEST_DATA / "invalid" / f"{name}.yaml"))
