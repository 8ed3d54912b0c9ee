"""The position index's searches in C answer exactly as the line-by-line loops they replaced.

`FastPositions` finds the top-level entries and a long container's entry lines with a regular
expression starting at the newline before each line, counting lines instead of looking at each
one. Here each is compared with the loop it replaced (kept below as the reference) on generated
texts made of the lines that matter: blank, comments, directives, document markers, items,
keys at several indentations, tabs and carriage returns.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
from unittest import mock

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from blueprint.positions import _loader
from policies import positions
from policies.findings import SORT_KEY, Finding
from policies.positions import FastPositions, _Block, _entry_lines, _is_item
from tests.conftest import slow_examples
from tests.policies.test_positions import compare

LINES = [
    "",
    " ",
    "\r",
    "# comment",
    "  # indented comment",
    "---",
    "--- !tag",
    "...",
    "%YAML 1.2",
    "-",
    "- item",
    "-\titem",
    "-x: 1",
    "key: value",
    "key:",
    "key:\r",
    "'quoted': 1",
    '"k: q": 2',
    "a b: c # d",
    "no colon here",
    "url: http://a:b",
    "\tkey: tab",
    "?: complex",
]


@st.composite
def texts(draw: st.DrawFn) -> str:
    lines = draw(
        st.lists(
            st.tuples(st.sampled_from([0, 0, 1, 2, 4]), st.sampled_from(LINES)),
            max_size=30,
        )
    )
    text = "\n".join(" " * indent + line for indent, line in lines)
    return text + draw(st.sampled_from(["", "\n", "\n\n"]))


def _reference_sections(fast: FastPositions) -> tuple[object, ...]:
    """The top-level scan as it was: every line looked at in Python."""
    opaque: set[tuple[()]] = set()
    root, first = (1, 1), None
    starts: list[tuple[str | None, int]] = []
    sections: dict[str, tuple[int, int]] = {}
    for i, line in enumerate(fast.lines):
        if not line or line[0] in " #\r" or line.startswith(("---", "...", "%")):
            if first is None and line.strip() and not line.lstrip().startswith("#"):
                first = i
                root = (i + 1, len(line) - len(line.lstrip(" ")) + 1)
            continue
        if first is None:
            first = i
            root = (i + 1, 1)
        if "\t" in line or _is_item(line):
            opaque.add(())
            return root, opaque, sections, {}
        found = fast._key_at(line, 0)
        starts.append((found[0] if found else None, i))
    for n, (key, start) in enumerate(starts):
        end = starts[n + 1][1] if n + 1 < len(starts) else len(fast.lines)
        if key is None:
            opaque.add(())
            return root, opaque, sections, {(): "map"}
        sections[key] = (start, end)
    return root, opaque, sections, {(): "map"}


@settings(max_examples=slow_examples(400), deadline=None)
@given(texts())
def test_top_level_lines_as_the_line_by_line_scan(text: str) -> None:
    fast = FastPositions(text)
    got = (fast.root, fast.opaque, fast.sections, fast.kinds)
    assert got == _reference_sections(fast)


def _reference_entry_lines(
    fast: FastPositions, block: _Block
) -> tuple[list[int], dict[str, list[int]]]:
    """A long container's entry lines as they were found: the anchored pattern tried at every
    character, each match's line bisected from the line offsets."""
    offsets = [0, *itertools.accumulate(len(line) + 1 for line in fast.lines)]
    starts: list[int] = []
    by_key: dict[str, list[int]] = {}
    seq = block.kind == "seq"
    first = block.start + block.head
    if block.head:
        line = fast.lines[block.start]
        colon = line.find(":", block.indent)
        by_key[line[block.indent : colon].rstrip(" ") if colon >= 0 else ""] = [0]
        starts.append(block.start)
    pattern = _entry_lines(block.indent, seq)
    for match in pattern.finditer(fast.text, offsets[first], offsets[block.end]):
        if not seq:
            guess = match.group(1).rstrip(" ") if match.group(2) else ""
            by_key.setdefault(guess, []).append(len(starts))
        starts.append(bisect.bisect_right(offsets, match.start()) - 1)
    starts.append(block.end)
    return starts, by_key


@settings(max_examples=slow_examples(400), deadline=None)
@given(
    texts(),
    st.one_of(st.just(0), st.integers(0, 30)),  # from the first line: no newline before it
    st.integers(0, 30),
    st.sampled_from([0, 1, 2, 4]),
    st.sampled_from(["map", "seq"]),
    st.booleans(),
)
def test_long_container_entry_lines_as_the_anchored_search(
    text: str, start: int, size: int, indent: int, kind: str, head: bool
) -> None:
    if kind == "map":
        # A block mapping is never at column 0 below the root: it is deeper than its key, or
        # behind a "- ".
        indent = max(indent, 1)
    fast = FastPositions(text)
    start = min(start, len(fast.lines) - 1)
    end = min(start + size, len(fast.lines))
    head = head and kind == "map" and end > start
    block = _Block(start, end, indent, kind, head=head)
    with mock.patch.object(positions, "_SHORT", 0):  # the regular expression, however short
        fast._index(("x",), block)
    unread = fast.unread[("x",)]
    assert (unread.starts, unread.by_key) == _reference_entry_lines(fast, block)


def test_long_container_from_the_first_line() -> None:
    """A container starting on the text's first line has no newline before it: the anchored
    pattern reads that line."""
    text = " a: 1\n # c\n b: 2\n   deep: 3\n c: 4\n - x\n"
    expected = {"map": [0, 2, 4, 7], "seq": [5, 7]}
    for kind, lead in itertools.product(("map", "seq"), ("", "\n")):
        fast = FastPositions(lead + text)
        block = _Block(0, len(fast.lines), 1, kind)
        with mock.patch.object(positions, "_SHORT", 0):
            fast._index(("x",), block)
        unread = fast.unread[("x",)]
        assert (unread.starts, unread.by_key) == _reference_entry_lines(fast, block)
        shift = len(lead)
        assert unread.starts == [n + shift for n in expected[kind][:-1]] + [len(fast.lines)]


@settings(max_examples=slow_examples(200), deadline=None)
@given(texts(), st.sampled_from([0, 64]))
def test_line_offsets_known_and_derived_are_the_lines_offsets(text: str, short: int) -> None:
    """Every line offset the searches record, and every one derived from the nearest known
    line above, is where the line starts in the text."""
    table = [0, *itertools.accumulate(len(line) + 1 for line in text.split("\n"))]
    fast = FastPositions(text)
    with mock.patch.object(positions, "_SHORT", short):
        for key in list(fast.sections):
            for probe in ((key, "absent"), (key, 0, "absent"), (key, "key", 0)):
                fast.locate(probe)
    assert all(table[n] == at for n, at in fast.starts.items())
    assert [fast._offset(n) for n in range(len(table))] == table


FLOW_SCALARS = ["a", "b c", "x:y", "1", "", "'q, }'", '"d]"', "&an v", "*al", "!t v", "? k"]
FLOW_SCALARS += ["@r", "%p", "|", "# c", "a: b", "k:", "?x", ":x", "- x", "-x"]


@st.composite
def flows(draw: st.DrawFn, depth: int = 0) -> str:
    """Flow collections, valid or not, flat or nested, with what a flat one may not hold."""
    if depth > 2 or draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(FLOW_SCALARS))
    items = draw(st.lists(flows(depth + 1), max_size=3))
    if draw(st.booleans()):
        return "[" + ", ".join(items) + "]"
    keys = ["k", "l", "m n", "'q'"]
    pairs = [f"{keys[n]}: {item}" if draw(st.booleans()) else item for n, item in enumerate(items)]
    return "{" + ", ".join(pairs) + "}"


@settings(max_examples=slow_examples(500), deadline=None)
@given(st.lists(flows(), min_size=1, max_size=4), st.booleans())
# A key twice in one flow mapping: the index answered the second, the exact map the first.
@example(values=["[[{a: b, a: b}]]"], seq=False)
def test_inner_flow_collections_parsed_later_agree_or_defer(values: list[str], seq: bool) -> None:
    """A flat inner collection is skipped and parsed only when a path enters it; where it is
    not what the index follows, only it is left to the exact map, and every answer given is
    the exact map's."""
    if seq:
        text = "top:\n" + "".join(f"  - {value}\n" for value in values)
    else:
        text = "top:\n" + "".join(f"  k{i}: {value}\n" for i, value in enumerate(values))
    try:
        yaml.compose(text, Loader=_loader())  # the exact map's loader: libyaml when present
    except yaml.YAMLError:
        return  # never positioned: `check` runs on what the loader accepted
    compare(text)


def test_findings_sort_by_the_fields_in_report_order() -> None:
    """`SORT_KEY` (built in C) is the order reports list findings in: file, line, column,
    rule, subject, message, evidence; the waiver plays no part."""
    finding = Finding("BP1", "error", "m", "s", ("e",), "f.yaml", 3, 4, "policy.waivers[0]")
    assert finding.sort_key() == SORT_KEY(finding) == ("f.yaml", 3, 4, "BP1", "s", "m", ("e",))
    # The order `_positioned` passes them in.
    fields = " ".join(f.name for f in dataclasses.fields(Finding))
    assert fields == "rule_id severity message subject evidence file line col waived_by"
