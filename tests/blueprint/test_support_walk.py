"""The support matrix holds: for every cell, a minimal blueprint using the concept on the target
either renders (output that changes with the concept and parses in its own format), renders
with a BP6001 note, or is refused at validation with the cell's message. Never an exception in
render, never silence."""

from __future__ import annotations

import functools
import json

import hcl2
import pytest
import yaml

from blueprint.errors import BlueprintError
from blueprint.loader import Loaded, load_source, source_from_bytes
from blueprint.pipeline import render_files
from blueprint.support.matrix import CONCEPTS, Concept
from policies.engine import run_checks
from policies.registry import BY_ID as RULES
from tests.blueprint.support_samples import Data, base, sample

CELLS = [
    pytest.param(concept, target, id=f"{concept.id}@{target}")
    for concept in CONCEPTS
    for target in concept.cells
]


def _load(data: Data) -> Loaded:
    text = yaml.safe_dump(data, sort_keys=False)
    return load_source(source_from_bytes(text.encode(), "blueprint.yaml"))


def _parses(files: dict[str, str]) -> None:
    """Every rendered file is well-formed in its own language."""
    for path, text in files.items():
        if path.endswith(".tf"):
            _well_formed("hcl", text)
        elif path.endswith(".json"):
            _well_formed("json", text)
        elif path.endswith((".yaml", ".yml")) and "/templates/" not in path:
            _well_formed("yaml", text)


@functools.cache
def _well_formed(language: str, text: str) -> None:
    """Parses `text` or raises; a text that parsed once is not parsed again (most files of a
    cell's render, the provider and variables, are the same in every cell of its target).
    A failure raises each time: exceptions are not cached."""
    if language == "hcl":
        hcl2.loads(text)
    elif language == "json":
        json.loads(text)
    else:
        list(yaml.safe_load_all(text))


@functools.cache
def _base_render(target: str) -> tuple[tuple[str, str], ...]:
    """The render of the target's base blueprint, once per test process: every cell of the
    target compares its own render with it. Sorted items: equal exactly when the dicts are."""
    return tuple(sorted(render_files(_load(base(target))).items()))


def _notes(loaded: Loaded) -> list[str]:
    return [
        f.message for f in run_checks(loaded, rules=(RULES["BP6001"],)) if f.rule_id == "BP6001"
    ]


@pytest.mark.parametrize(("concept", "target"), CELLS)
def test_every_cell_renders_notes_or_refuses(concept: Concept, target: str) -> None:
    cell = concept.cells[target]
    data = sample(concept.id, target)
    said = f"{concept.title} is not"
    if cell.status == "refused":
        with pytest.raises(BlueprintError) as raised:
            _load(data)
        messages = [d.message for d in raised.value.diagnostics]
        wanted = f"{concept.title} is not rendered for {target}"
        assert any(wanted in m for m in messages), messages
        return
    loaded = _load(data)
    files = render_files(loaded)
    _parses(files)
    notes = _notes(loaded)
    if cell.status == "noted":
        assert any(f"{concept.title} is not fully rendered for {target}" in n for n in notes), notes
        return
    assert not any(said in n for n in notes), notes
    if data != base(target):
        assert tuple(sorted(files.items())) != _base_render(target), "the concept changed nothing"


def test_every_cell_has_a_sample_and_every_target_a_column() -> None:
    assert len(CELLS) > 100
    for concept in CONCEPTS:
        for target in concept.cells:
            sample(concept.id, target)


def test_the_base_render_cache_answers_as_a_fresh_render() -> None:
    for target in ("aws", "kubernetes"):
        fresh = render_files(_load(base(target)))
        assert _base_render(target) == tuple(sorted(fresh.items()))
        assert dict(_base_render(target)) == fresh
