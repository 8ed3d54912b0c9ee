"""`blueprint schema`: the JSON Schema of blueprint.yaml, for editors."""

from __future__ import annotations

import argparse
import json
from typing import Any

from blueprint import exit_codes
from blueprint.cli.common import add_example

SCHEMA_ID = "https://blueprint.dev/schema/blueprint.schema.json"


def blueprint_schema() -> dict[str, Any]:
    from blueprint.model import Blueprint

    schema = Blueprint.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def add_parser(sub: Any) -> None:
    p = sub.add_parser("schema", help="print the JSON Schema of blueprint.yaml (for editors)")
    add_example(p, "blueprint schema > blueprint.schema.json")


def run(args: argparse.Namespace) -> int:
    del args
    print(json.dumps(blueprint_schema(), indent=2, sort_keys=True))
    return exit_codes.OK
