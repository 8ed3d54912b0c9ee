"""The fast indented JSON writer is byte-identical to json.dumps(sort_keys, indent=2)."""

from __future__ import annotations

import json
from enum import StrEnum

from hypothesis import given, settings
from hypothesis import strategies as st

from blueprint.json_text import dumps_indented
from tests.conftest import slow_examples

SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


def reference(value: object) -> str:
    return json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False)


@settings(max_examples=slow_examples(500))
@given(VALUES)
def test_it_writes_what_json_dumps_writes(value: object) -> None:
    assert dumps_indented(value) == reference(value)


class Kind(StrEnum):
    BUCKET = "bucket"


def test_str_subclasses_tuples_and_non_string_keys_are_written_like_json() -> None:
    value = {"k": Kind.BUCKET, "t": (1, 2.5), "e": {}, "l": [], "u": "é\u2028\x00"}
    assert dumps_indented(value) == reference(value)
    numbers = {2: "two", 1: "one"}
    assert dumps_indented(numbers) == reference(numbers) == '{\n  "1": "one",\n  "2": "two"\n}'
