"""Rendering AWS examples and reading the output back with the tools engineers use."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import hcl2
from hcl2 import SerializationOptions

from blueprint.loader import load
from blueprint.model import Blueprint
from generators import RenderContext
from generators.aws import GENERATOR
from tests.support import ROOT, load_example

AWS_EXAMPLES = ("aws-fargate-api", "company-iam", "aws-three-tier", "aws-kafka-workers")
# Test systems (tests/data/systems/NAME.yaml) rendered like the examples.
AWS_SYSTEMS = ("aws-data-kitchen-sink", "aws-async-kitchen-sink")
HCL_OPTIONS = SerializationOptions(strip_string_quotes=True)
_CALL = re.compile(r"^\$\{(jsonencode)\((.*)\)\}$", re.DOTALL)


def render(bp: Blueprint) -> dict[str, str]:
    return GENERATOR.render(RenderContext(blueprint=bp))


def render_example(name: str, environment: str | None = None) -> dict[str, str]:
    return dict(_render_example(name, environment))


@functools.lru_cache(maxsize=16)
def _render_example(name: str, environment: str | None) -> tuple[tuple[str, str], ...]:
    if name in AWS_SYSTEMS:
        system = ROOT / "tests" / "data" / "systems" / f"{name}.yaml"
        return tuple(render(load(system, environment=environment).blueprint).items())
    if environment is None:
        return tuple(render(load_example(name).blueprint).items())
    path = ROOT / "examples" / name / "blueprint.yaml"
    return tuple(render(load(path, environment=environment).blueprint).items())


def write(files: dict[str, str], root: Path) -> Path:
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


@functools.lru_cache(maxsize=256)
def _parse_cached(text: str) -> str:
    return json.dumps(hcl2.loads(text, serialization_options=HCL_OPTIONS))


def parse_hcl(text: str) -> dict[str, Any]:
    """python-hcl2's document (parsing is slow, so each text is parsed once per process)."""
    result: dict[str, Any] = json.loads(_parse_cached(text))
    return result


def terraform(files: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Every Terraform file parsed: {file name: python-hcl2 document}."""
    return {
        path.rsplit("/", 1)[1]: parse_hcl(text)
        for path, text in files.items()
        if path.startswith("aws/terraform/")
    }


def resources(files: dict[str, str], rtype: str) -> dict[str, dict[str, Any]]:
    """label -> attributes of every Terraform resource of `rtype`."""
    out: dict[str, dict[str, Any]] = {}
    for doc in terraform(files).values():
        for block in doc.get("resource", []):
            for label, attrs in block.get(rtype, {}).items():
                assert label not in out, f"duplicate {rtype}.{label}"
                out[label] = attrs
    return out


def call_argument(expression: str) -> Any:
    """The argument of a `jsonencode(...)` attribute, parsed (python-hcl2 gives calls as text)."""
    match = _CALL.match(expression)
    assert match is not None, f"not a jsonencode call: {expression[:80]}"
    return parse_hcl("x = " + match.group(2) + "\n")["x"]


def cloudformation(files: dict[str, str]) -> dict[str, Any]:
    template: dict[str, Any] = json.loads(files["aws/cloudformation/template.json"])
    return template
