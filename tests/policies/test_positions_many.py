"""`FastPositions.locate_many` answers each path exactly as `locate` does, path by path.

`locate_many` reads `section.name.key.index` straight from the lines when the containers on
its way are untouched and plain, and leaves everything else to `locate` at its turn. Here it
is compared with a fresh index's `locate` called on the same paths in the same order, on
generated blueprint-like documents with many sibling containers, duplicate and quoted keys,
flow collections, comments, blank lines, tabs, anchors and aliases; and, where `locate`
answers, with the exact `SourceMap`.
"""

from __future__ import annotations

from unittest import mock

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from blueprint.positions import SourceMap, _loader
from policies import positions
from policies.positions import FastPositions
from tests.conftest import slow_examples
from tests.policies.test_positions import paths as all_paths

# Mostly plain, as blueprints are; the others make the batch step aside for the section or
# the container.
NAMES = ["s0", "s1", "s2", "s3", "s4", "s5", "s1", "s2 ", "'s1'", '"s2"', "s3:x"]
KEYS = ["uses", "uses", "uses", "image", "calls", "'uses'", "usesX", "uses ", "uses #c", "env"]
VALUES = ["", "", "", " # c", " x", " [a, b]", " {a: 1}", " !t x", " *anchor", " 'q'"]
ITEMS = [
    "- {resource: r, access: read}",
    "- {resource: r, access: read}",
    "- x",
    "- x",
    "- !t x",
    "- *a",
    "- 'q': 1",
    "- k: v",
    "-",
    "  - nested",
    "- - x",
    "- ? c",
    "-\tx",
    "# c",
    "",
    "  k: v",
    "\t- tab",
]


@st.composite
def containers(draw: st.DrawFn, number: int) -> str:
    """A sibling container: `name:` then keys at 4, some holding items at 4, 6 or 8; mostly
    plain like a blueprint's, each line sometimes swapped for an odd one."""

    def odd(plain: str, others: list[str]) -> str:  # one line in eight or so is odd
        return draw(st.sampled_from(others)) if draw(st.integers(0, 7)) == 7 else plain

    out = ["  " + odd(f"s{number}", NAMES) + ":" + odd("", [" # c"])]
    for _ in range(draw(st.integers(1, 3))):
        value = odd("", VALUES)
        out.append("    " + odd("uses", KEYS) + ":" + value)
        if value in ("", " # c"):  # a block below
            pad = " " * int(odd("6", ["4", "8"]))
            items = [odd("- x", ITEMS) for _ in range(draw(st.integers(0, 3)))]
            out += [pad + item if item else "" for item in items]
    return "\n".join(out)


@st.composite
def documents(draw: st.DrawFn) -> str:
    anchors = "a: &a 1\nanchor: &anchor {k: v}\n"  # aliases below need them defined first
    head = anchors + draw(st.sampled_from(["", "# lead\n", "version: 1\n"]))
    body = [draw(containers(number)) for number in range(draw(st.integers(3, 12)))]
    tail = draw(st.sampled_from(["", "resources:\n  r: {kind: x}\n", "services: 1\n"]))
    return head + "services:\n" + "\n".join(body) + "\n" + tail


def _probes(root: yaml.Node, data: st.DataObject) -> list[tuple[str | int, ...]]:
    """Paths of the document and item paths the batch reads or misses, in any order."""
    found = [p for p in all_paths(root) if p]
    extra: list[tuple[str | int, ...]] = [
        ("services", name.strip("'\""), key, index)
        for name in ("s0", "s1", "s2", "s3", "s4", "s5", "nope")
        for key in ("uses", "image", "'uses'")
        for index in (0, 1, 2, 5, -1)
    ]
    extra += [("services", "nope"), ("services", "s1", "nope"), ("services", "s1", "uses")]
    items = [p for p in found if len(p) == 4 and p[0] == "services"]  # what the batch reads
    chosen = data.draw(st.lists(st.sampled_from(found + extra), max_size=30))
    return data.draw(st.permutations(items + chosen))


def _duplicate_keys(node: yaml.Node) -> bool:
    if isinstance(node, yaml.MappingNode):
        keys = [str(key.value) for key, _ in node.value]
        return len(set(keys)) < len(keys) or any(_duplicate_keys(v) for _, v in node.value)
    if isinstance(node, yaml.SequenceNode):
        return any(_duplicate_keys(v) for v in node.value)
    return False


@settings(max_examples=slow_examples(400), deadline=None)
@given(text=documents(), data=st.data(), short=st.sampled_from([6, 8, 12, 64]))
def test_locate_many_answers_as_locate_path_by_path(
    text: str, data: st.DataObject, short: int
) -> None:
    try:
        yaml.compose(text, Loader=_loader())  # the exact map's loader: libyaml when present
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return  # never positioned: `check` runs on what the loader accepted
    assert root is not None
    probes = _probes(root, data)
    with mock.patch.object(positions, "_SHORT", short):
        got = FastPositions(text).locate_many(probes)
        one_by_one = FastPositions(text)
        expected = [one_by_one.locate(path, at_key=True) for path in probes]
    assert got == expected
    if _duplicate_keys(root):
        return  # which duplicate answers differs between `locate` and the exact map already
    exact = SourceMap(text)
    for path, mark in zip(probes, got, strict=True):
        if mark is not None:
            assert mark == exact.locate(path, at_key=True), path


def test_locate_many_reads_sibling_items_without_locate() -> None:
    """The batch does answer: on 200 plain services only the section goes through `locate`."""
    text = "services:\n" + "".join(
        f"  s{i}:\n    image: x\n    uses:\n      - {{resource: r{i}}}\n      - q{i}\n"
        for i in range(200)
    )
    probes = [("services", f"s{i}", "uses", i % 2) for i in range(200)]
    fast = FastPositions(text)
    with mock.patch.object(FastPositions, "locate", wraps=fast.locate) as spy:
        got = fast.locate_many(probes)
    assert spy.call_count == 1  # ("services",): the section's own entry
    assert got[:2] == [(5, 9), (11, 9)]
    one_by_one = FastPositions(text)
    assert got == [one_by_one.locate(path, at_key=True) for path in probes]
