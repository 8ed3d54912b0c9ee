"""`plain` answers exactly what the JSON round trip it replaces answers, and shares nothing."""

from __future__ import annotations

import json
import math
from enum import IntEnum, StrEnum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.common.plain import plain
from tests.conftest import slow_examples

KEYS = st.text(max_size=5) | st.integers() | st.booleans() | st.none() | st.floats()
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(KEYS, inner, max_size=4)
    ),
    max_leaves=30,
)


def round_trip(value: object) -> Any:
    return json.loads(json.dumps(value))


def spelled(value: object) -> str:
    """The value's exact shape, types and key order (NaN compares unequal to itself)."""
    return json.dumps(value) + repr(_types(value))


def _types(value: object) -> object:
    if isinstance(value, dict):
        return [(type(k).__name__, k, _types(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value).__name__


@settings(max_examples=slow_examples(500))
@given(VALUES)
def test_it_answers_what_the_json_round_trip_answers(value: object) -> None:
    assert spelled(plain(value)) == spelled(round_trip(value))


class Kind(StrEnum):
    BUCKET = "bucket"


class Level(IntEnum):
    HIGH = 3


def test_subclasses_and_non_string_keys_become_what_json_makes_of_them() -> None:
    value = {"k": Kind.BUCKET, "n": Level.HIGH, "t": (1, 2.5), "m": {1: "a", "1": "b", None: 0}}
    copied = plain(value)
    assert copied == {"k": "bucket", "n": 3, "t": [1, 2.5], "m": {"1": "b", "null": 0}}
    assert type(copied["k"]) is str and type(copied["n"]) is int
    assert spelled(copied) == spelled(round_trip(value))


def test_the_copy_shares_no_container() -> None:
    shared: dict[str, Any] = {"a": [1, {"b": 2}]}
    value = {"x": shared, "y": shared, "z": [shared["a"], shared["a"]]}
    copied = plain(value)
    assert copied == value
    assert copied["x"] is not copied["y"]
    assert copied["x"]["a"] is not copied["y"]["a"]
    assert copied["z"][0] is not copied["z"][1]
    assert copied["x"]["a"][1] is not shared["a"][1]


def test_special_floats_survive_as_json_reads_them() -> None:
    copied = plain({"n": math.nan, "i": math.inf, "m": -math.inf, "z": -0.0})
    assert math.isnan(copied["n"]) and copied["i"] == math.inf and copied["m"] == -math.inf
    assert math.copysign(1, copied["z"]) == -1


def test_what_json_cannot_write_fails_as_json_fails() -> None:
    with pytest.raises(TypeError, match="Object of type set is not JSON serializable"):
        plain({"a": [{1, 2}]})
