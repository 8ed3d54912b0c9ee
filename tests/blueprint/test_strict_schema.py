"""`Model.__get_pydantic_core_schema__` marks each model's own scalars strict and leaves a
nested model's schema alone (its own hook has done it): every core schema must be exactly what
walking the whole schema at every level gave."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from tests.conftest import ROOT

DUMP = """
import json, sys
from typing import Any
import blueprint.model.base as base

def whole_walk(schema: Any, model: Any = None) -> None:  # the walk before the change
    if isinstance(schema, dict):
        kind = schema.get("type")
        if isinstance(kind, str) and kind in base._STRICT_TYPES:
            schema["strict"] = True
        for value in schema.values():
            whole_walk(value)
    elif isinstance(schema, list):
        for value in schema:
            whole_walk(value)

if sys.argv[1] == "whole":
    base._strict_scalars = whole_walk
import blueprint.model, blueprint.model.environments

def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)

schemas = {}
for cls in sorted(set(subclasses(base.Model)), key=lambda c: (c.__module__, c.__qualname__)):
    cls.model_rebuild()
    schemas[f"{cls.__module__}.{cls.__qualname__}"] = cls.__pydantic_core_schema__
named = lambda o: f"{getattr(o, '__module__', '')}.{getattr(o, '__qualname__', repr(o))}"
print(json.dumps(schemas, default=named))
"""


def core_schemas(walk: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", DUMP, walk], cwd=ROOT, capture_output=True, text=True, check=True
    )
    # A definition's ref names its class with the class's id, which differs between processes.
    schemas: dict[str, object] = json.loads(re.sub(r"(\w):\d+\b", r"\1:ID", done.stdout))
    return schemas


def test_every_core_schema_is_what_the_whole_walk_gave() -> None:
    fast, whole = core_schemas("fast"), core_schemas("whole")
    assert len(fast) > 50
    assert "blueprint.model.blueprint.Blueprint" in fast
    assert '"strict": true' in json.dumps(fast["blueprint.model.blueprint.Blueprint"])
    assert fast == whole
