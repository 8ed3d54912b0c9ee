"""The README's blueprint reference names every key of the model, and its quick start is the
two commands CI runs."""

from __future__ import annotations

import re

from blueprint.model import Blueprint
from tests.support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _reference_sections() -> dict[str, set[str]]:
    """Model name -> keys listed in the table under the heading that names it."""
    sections: dict[str, set[str]] = {}
    reference = README.split("## Blueprint reference", 1)[1].split("\n## ", 1)[0]
    for block in re.split(r"^### ", reference, flags=re.MULTILINE)[1:]:
        heading, _, body = block.partition("\n")
        models = re.findall(r"\(([A-Za-z, ]+)\)", heading)
        keys: set[str] = set()
        for cell in re.findall(r"^\| ([^|]+) \|", body, flags=re.MULTILINE):
            keys.update(re.findall(r"`([^`]+)`", cell))
        for group in models:
            for model in group.split(","):
                sections.setdefault(model.strip(), set()).update(keys)
    return sections


def test_reference_lists_every_key_of_every_model() -> None:
    schema = Blueprint.model_json_schema()
    models = {name: d for name, d in schema["$defs"].items() if d.get("properties")}
    models["Blueprint"] = schema
    sections = _reference_sections()
    missing = {
        name: sorted(set(d["properties"]) - sections.get(name, set()))
        for name, d in models.items()
        if set(d["properties"]) - sections.get(name, set())
    }
    assert missing == {}


def test_quick_start_is_make_demo_and_make_test() -> None:
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", quick, flags=re.DOTALL)
    assert block is not None
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    assert commands == ["make demo", "make test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci.splitlines()[-1]
