"""The fast position index agrees with the exact PyYAML-composed SourceMap everywhere it
answers, and defers to it where it does not follow the YAML."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from benchmarks.check_scaling import synthetic
from blueprint.positions import SourceMap
from policies import positions
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


def _random_node(r: random.Random, depth: int = 0) -> object:
    scalars = ["a", "b c", "x: y", "# no", "1", "true", "", "two\nlines", "'q'", "-", "- x", "k:"]
    scalars += ["{a}", "[b]", "&x", "*y", "!t", "long text here"]
    roll = r.random()
    if depth > 4 or roll < 0.3:
        return r.choice([*scalars, 7, None, 3.5])
    if roll < 0.65:
        size = r.randint(0, 4)
        return {
            f"{r.choice(scalars)}{r.randint(0, 9)}": _random_node(r, depth + 1) for _ in range(size)
        }
    return [_random_node(r, depth + 1) for _ in range(r.randint(0, 4))]


def _with_comments(r: random.Random, text: str) -> str:
    out = []
    for line in text.split("\n"):
        if r.random() < 0.05:
            out.append("")
        if r.random() < 0.05:
            out.append(" " * r.randint(0, 6) + "# comment")
        if r.random() < 0.05 and line and not line.endswith(":"):
            line += "  # trailing"
        out.append(line)
    return "\n".join(out)


class _IndentedSequences(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


@pytest.mark.parametrize("short", [0, 64])
def test_random_documents_agree_or_defer(monkeypatch: pytest.MonkeyPatch, short: int) -> None:
    """Generated documents in both sequence styles, with comments and blank lines anywhere,
    every mapping searched key by key (short) or indexed by a regular expression (0)."""
    monkeypatch.setattr(positions, "_SHORT", short)
    r = random.Random(short)
    answered = 0
    for _ in range(80):
        data = {f"k{i}": _random_node(r) for i in range(r.randint(1, 5))}
        dumper = _IndentedSequences if r.random() < 0.3 else yaml.SafeDumper
        text = yaml.dump(
            data, Dumper=dumper, default_flow_style=r.choice([False, None]), sort_keys=False
        )
        answered += compare(_with_comments(r, text))[0]
    assert answered > 2_000
