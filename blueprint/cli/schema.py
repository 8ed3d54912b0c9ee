"""`blueprint schema`: the JSON Schema of blueprint.yaml, for editors."""

from __future__ import annotations

import argparse
import json
from typing import Any

from blueprint import exit_codes
from blueprint.cli.common import add_example

SCHEMA_ID = "https://blueprint.dev/schema/blueprint.schema.json"


# A JSON object key that is a TCP/UDP port, 1 to 65535 (YAML's integer keys become strings).
PORT_KEY_PATTERN = (
    r"^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$"
)


def blueprint_schema() -> dict[str, Any]:
    from blueprint.model import Blueprint
    from blueprint.model.field_docs import DocumentedFields

    generated = Blueprint.model_json_schema(schema_generator=DocumentedFields)
    schema = _unwrapped(_nullable_scalars(_closed_key_patterns(generated)))
    forwards = schema["$defs"]["LoadBalancer"]["properties"]["forwards"]
    forwards["propertyNames"] = {"pattern": PORT_KEY_PATTERN}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def _closed_key_patterns(node: Any) -> Any:
    """Pydantic describes constrained mapping keys with patternProperties alone, which lets
    every key that does not match through unchecked; editors should flag `Web:` or `my_api:`
    as the loader does. One key pattern becomes propertyNames + additionalProperties."""
    if isinstance(node, list):
        return [_closed_key_patterns(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _closed_key_patterns(value) for key, value in node.items()}
    patterns = node.get("patternProperties")
    if isinstance(patterns, dict) and len(patterns) == 1 and "properties" not in node:
        ((pattern, values),) = patterns.items()
        del node["patternProperties"]
        node["propertyNames"] = {**node.get("propertyNames", {}), "pattern": pattern}
        node["additionalProperties"] = values
    return node


def _nullable_scalars(node: Any) -> Any:
    """Pydantic spells an optional scalar as anyOf [scalar, null]; editors then show the title
    once per branch ("Port || Port"). One schema with `type: [scalar, "null"]` says the same."""
    if isinstance(node, list):
        return [_nullable_scalars(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _nullable_scalars(value) for key, value in node.items()}
    branches = node.get("anyOf")
    if isinstance(branches, list) and len(branches) == 2 and {"type": "null"} in branches:
        (scalar,) = [b for b in branches if b != {"type": "null"}]
        # Only plain scalars: an enum or const would refuse the null the type admits.
        if (
            isinstance(scalar, dict)
            and scalar.get("type") in {"string", "integer", "number", "boolean"}
            and not set(scalar) & ({"enum", "const"} | set(node))
        ):
            del node["anyOf"]
            node.update(scalar)
            node["type"] = [scalar["type"], "null"]
    return node


def _unwrapped(node: Any) -> Any:
    """Descriptions come from docstrings wrapped at the line length; editors render each line
    break as a paragraph break, so lines are joined (blank lines still separate paragraphs)."""
    if isinstance(node, list):
        return [_unwrapped(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _unwrapped(value) for key, value in node.items()}
    if isinstance(out.get("description"), str):
        paragraphs = out["description"].split("\n\n")
        out["description"] = "\n\n".join(" ".join(p.split()) for p in paragraphs)
    return out


def add_parser(sub: Any) -> None:
    p = sub.add_parser("schema", help="print the JSON Schema of blueprint.yaml (for editors)")
    add_example(p, "blueprint schema > blueprint.schema.json")


def run(args: argparse.Namespace) -> int:
    del args
    print(json.dumps(blueprint_schema(), indent=2, sort_keys=True))
    return exit_codes.OK
