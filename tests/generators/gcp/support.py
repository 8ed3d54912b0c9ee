"""Rendering blueprints with the gcp generator, and reading what it renders."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from blueprint.model import Blueprint
from generators import RenderContext
from generators.gcp import GENERATOR
from tests.conftest import TEST_DATA
from tests.support import load_example, load_text

HERE = Path(__file__).parent
RICH = HERE / "rich-system.yaml"
KITCHEN_SINK = HERE / "kitchen-sink.yaml"
SCHEMAS = TEST_DATA / "schemas" / "crds"


def render(bp: Blueprint) -> dict[str, str]:
    return GENERATOR.render(RenderContext(blueprint=bp))


def example(name: str) -> Blueprint:
    return load_example(name).blueprint


def rich() -> Blueprint:
    return load_text(RICH.read_text(encoding="utf-8"), name="rich-system.yaml").blueprint


def kitchen_sink() -> Blueprint:
    text = KITCHEN_SINK.read_text(encoding="utf-8")
    return load_text(text, name="kitchen-sink.yaml").blueprint


def write_tree(files: dict[str, str], root: Path) -> Path:
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
    return root


def yaml_documents(files: dict[str, str], folder: str) -> dict[str, Any]:
    """The documents directly in gcp/<folder>/ (not in its subfolders)."""
    return {
        path: yaml.safe_load(text)
        for path, text in sorted(files.items())
        if path.startswith(f"gcp/{folder}/") and "/" not in path[len(f"gcp/{folder}/") :]
    }


@cache
def _validator(relative: str) -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMAS / relative).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def knative_errors(document: Any) -> list[str]:
    return _errors("serving.knative.dev/service_v1.json", document)


def run_service_errors(document: Any) -> list[str]:
    return _errors("run.cnrm.cloud.google.com/runservice_v1beta1.json", document)


def run_job_errors(document: Any) -> list[str]:
    return _errors("run.cnrm.cloud.google.com/runjob_v1beta1.json", document)


def _errors(relative: str, document: Any) -> list[str]:
    return sorted(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in _validator(relative).iter_errors(document)
    )
