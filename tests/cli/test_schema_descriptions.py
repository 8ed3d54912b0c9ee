"""Editor docs: every field of `blueprint schema` carries a description, shown on hover."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

from tests.conftest import ROOT
from tests.support import run_cli


def schema() -> dict[str, Any]:
    code, out, err = run_cli("schema")
    assert (code, err) == (0, "")
    parsed: dict[str, Any] = json.loads(out)
    return parsed


def fields(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property of every object in the schema, wherever it is nested."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from fields(item, f"{where}[{i}]")
    elif isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            yield f"{where}.{key}", value
        for key, value in node.items():
            if key != "properties":
                yield from fields(value, f"{where}/{key}")
            else:
                for name, prop in value.items():
                    yield from fields(prop, f"{where}.{name}")


def test_every_schema_field_has_a_description() -> None:
    undocumented = [where for where, prop in fields(schema(), "#") if not prop.get("description")]
    assert undocumented == [], (
        "fields without a description (add a docstring under the field in blueprint/model): "
        + ", ".join(undocumented)
    )


def test_the_walk_finds_the_fields_it_must_check() -> None:
    # A walk that found nothing would pass the test above vacuously.
    found = {where for where, _ in fields(schema(), "#")}
    assert "#/$defs/Service.port" in found
    assert "#.services" in found
    assert len(found) > 150


def test_fields_whose_format_is_not_obvious_show_an_example() -> None:
    defs = schema()["$defs"]
    for model, field in [
        ("Network", "cidr"),
        ("Subnet", "cidr"),
        ("ApiGateway", "routes"),
        ("LoadBalancer", "forwards"),
        ("ScheduleTrigger", "schedule"),
        ("Image", "digest"),
        ("Job", "runtime"),
        ("Waiver", "expires"),
        ("Service", "secrets"),
    ]:
        description = defs[model]["properties"][field]["description"]
        assert re.search(r"Example:\s+`", description), f"{model}.{field}: {description}"


def test_a_field_description_is_the_docstring_under_the_field() -> None:
    port = schema()["$defs"]["Service"]["properties"]["port"]
    assert port["description"] == (
        "The port the container listens on (default 8080); null for a service that serves"
        " no port, such as a load generator: it gets no Service and no probe on a port."
    )


# The model as it was configured before field_docs.py: pydantic reads each docstring while it
# creates the class.
PYDANTIC_READS_DOCSTRINGS = """
import json
import pydantic
config = pydantic.ConfigDict
pydantic.ConfigDict = lambda **options: config(**options, use_attribute_docstrings=True)
from blueprint.model import Blueprint
assert Blueprint.model_fields["name"].description
print(json.dumps(Blueprint.model_json_schema()))
"""


def test_descriptions_are_where_pydantic_puts_the_docstrings() -> None:
    """The model reads no docstring at import (field_docs.py reads them for the schema):
    pydantic reading them itself at class creation gives the same schema, key order included."""
    from blueprint.model import Blueprint
    from blueprint.model.field_docs import DocumentedFields

    pydantic_reads = subprocess.run(
        [sys.executable, "-c", PYDANTIC_READS_DOCSTRINGS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = json.dumps(Blueprint.model_json_schema(schema_generator=DocumentedFields))
    assert ours == pydantic_reads
    assert Blueprint.model_fields["name"].description is None  # nothing read at import
