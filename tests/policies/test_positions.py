"""The fast position index agrees with the exact PyYAML-composed SourceMap everywhere it
answers, and defers to it where it does not follow the YAML."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from benchmarks.check_scaling import synthetic
from blueprint.positions import SourceMap
from policies.positions import FastPositions
from tests.conftest import EXAMPLES, ROOT, TEST_DATA

TRICKY = """\
# comment
name: x   # trailing
description: |
  multi: line
  - not an item
services:
  "quoted key": {a: 1, "b c": [x, 'y''z', {d: e}], f: }
  'single': "va: lue"
  web:
    env:
      URL: http://a:b@c
      K: "a \\" quote: x"
    uses:
    - {resource: a, access: read}
    -   resource: b
        access: write
    - - nested
    - plain item
    calls: [
      x, y]
    anchors: &a {x: 1}
    alias: *a
    folded: >-
      text: here
    plain: long text
      continued here
    ports:
      8080: web
      443: x
jobs: []
empty: {}
last:
"""


def paths(node: yaml.Node, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    yield prefix
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from paths(value, (*prefix, str(key.value)))
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            yield from paths(value, (*prefix, i))


def compare(text: str) -> tuple[int, int]:
    exact = SourceMap(text)
    fast = FastPositions(text)
    answered = deferred = 0
    for path in paths(yaml.compose(text, Loader=yaml.SafeLoader)):
        for probe in (path, (*path, "absent")):
            for at_key in (True, False):
                got = fast.locate(probe, at_key=at_key)
                if got is None:
                    deferred += 1
                    continue
                answered += 1
                assert got == exact.locate(probe, at_key=at_key), (probe, at_key)
    return answered, deferred


@pytest.mark.parametrize("name", EXAMPLES)
def test_examples_are_fully_indexed(name: str) -> None:
    text = (ROOT / "examples" / name / "blueprint.yaml").read_text(encoding="utf-8")
    answered, deferred = compare(text)
    assert answered > 0
    assert deferred == 0


def test_seed_defects_and_synthetic_agree() -> None:
    for path in sorted(Path(TEST_DATA / "seed_defects").glob("*.yaml")):
        compare(path.read_text(encoding="utf-8"))
    assert compare(synthetic(30))[1] == 0


def test_tricky_yaml_agrees_or_defers() -> None:
    answered, deferred = compare(TRICKY)
    assert answered > 0
    assert deferred > 0  # the multi-line flow, the alias and the nested sequence
