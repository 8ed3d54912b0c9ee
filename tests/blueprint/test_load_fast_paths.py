"""Each fast path of the load answers exactly as the slow code it stands in for."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from blueprint.loader import has_quoted_scalar_key, has_tag_candidate
from blueprint.model.health import ProbeTiming
from blueprint.support.serving import timing_declared

# Texts made of what matters to each check: YAML punctuation, whitespace of every kind
# (Unicode spaces included) and letters.
YAMLISH = st.text(
    alphabet=st.sampled_from(list("!![{,}]: -\n\t\r\x0b\x0c\x1c\x85\xa0\u2028\u3000ab'\"#&*")),
    max_size=40,
)

# The specification of a tag candidate, as the loader spelled it before.
TAG_CANDIDATE = re.compile(r"(?:^|[\s\[{,])!", re.MULTILINE)


@given(YAMLISH)
def test_tag_candidate_answers_as_the_regex(text: str) -> None:
    assert has_tag_candidate(text) == bool(TAG_CANDIDATE.search(text))


def test_tag_candidate_examples() -> None:
    assert has_tag_candidate("!Ref x")
    assert has_tag_candidate("a: !!python/object x")
    assert has_tag_candidate("a: [x,!t y]")
    assert has_tag_candidate("a:\u3000!t")
    assert not has_tag_candidate("a: b!c")
    assert not has_tag_candidate("a: b")


# The loader's test for a quoted key that reads as a number, boolean or null, as it was
# spelled before (one pattern for both quotes).
QUOTED_SCALAR_KEY = re.compile(
    r"""(['"])([-+]?[0-9][-+0-9_.eExXoObB]*|[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)"""
    r"""|true|false|True|False|TRUE|FALSE|null|Null|NULL|~)\1\s*:"""
)
KEYISH = st.lists(
    st.sampled_from(
        ["'", '"', "8080", "1e3", "-.inf", ".NaN", "true", "Null", "~", "x", ":", " ", "\n"]
    ),
    max_size=12,
).map("".join)


@given(KEYISH)
def test_quoted_scalar_key_answers_as_one_pattern(text: str) -> None:
    assert has_quoted_scalar_key(text) == bool(QUOTED_SCALAR_KEY.search(text))


def test_quoted_scalar_key_examples() -> None:
    assert has_quoted_scalar_key('"8080": a')
    assert has_quoted_scalar_key("x:\n  'true' : 1")
    assert not has_quoted_scalar_key('"8080" x: a')
    assert not has_quoted_scalar_key("'8080\": a")


@given(
    st.builds(
        ProbeTiming,
        period_seconds=st.none() | st.integers(1, 300),
        timeout_seconds=st.none() | st.integers(1, 60),
        failure_threshold=st.none() | st.integers(1, 120),
        initial_delay_seconds=st.none() | st.integers(0, 3600),
    )
)
def test_timing_declared_answers_as_its_dump(timing: ProbeTiming) -> None:
    assert timing_declared(timing) == bool(timing.model_dump(exclude_none=True))
