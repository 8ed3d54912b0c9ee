"""bicep_string's fast path (a string that needs no escape) writes what the escaping loop
writes: the reference below is the function as it was before the fast path."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generators.common.quoting import bicep_string
from tests.conftest import slow_examples

_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "$": "\\$"}


def reference(text: str) -> str:
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch == "\\" and i == len(text) - 1:
            out.append("\\u{5C}")
        elif ch == "$" and text[i + 1 : i + 2] == "{":
            out.append("\\u{24}")
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{{{ord(ch):X}}}")
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"


TEXT = st.text() | st.text(alphabet=st.sampled_from(list("ab\\'${}\n\r\t\x00\x1f\x7f é\u2028")))


@settings(max_examples=slow_examples(1000))
@given(TEXT)
def test_bicep_string_writes_what_the_escaping_loop_writes(text: str) -> None:
    assert bicep_string(text) == reference(text)


def test_plain_and_escaped_examples() -> None:
    assert bicep_string("web-1.example") == "'web-1.example'"
    assert bicep_string("it's ${x}\\") == "'it\\'s \\u{24}{x}\\u{5C}'"
    assert bicep_string(8080) == "'8080'"
