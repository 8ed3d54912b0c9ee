"""Per-language string literals. Every interpolated value goes through one of these, so no
string in a blueprint can end a literal early or start an interpolation in the output."""

from __future__ import annotations

import json
import re

# Unicode line terminators: escaped so no reader that splits lines on them sees a break.
_LINE_BREAKS = frozenset("\u0085\u2028\u2029")
_HCL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def hcl_string(value: object) -> str:
    """A double-quoted HCL string literal whose value is exactly `str(value)`.

    `${` and `%{` start template sequences in HCL strings; their `$`/`%` is written as the
    escape \\u0024/\\u0025, which Terraform reads as the literal character (the scanner only
    opens a template on a raw `${`/`%{`). HCL's own `$${`/`%%{` escapes mean the same to
    Terraform, but python-hcl2 misreads them (it keeps them verbatim, and one with no `}` after
    it breaks its lexer), so tests could not check the value round-trips.
    Other control characters and Unicode line terminators become \\uNNNN escapes.
    """
    text = str(value)
    if _HCL_PLAIN.fullmatch(text):
        return f'"{text}"'  # most values (names, ARNs, ports) need no escape at all
    return '"' + _HCL_SPECIAL.sub(_hcl_escape, text) + '"'


# What hcl_string escapes; one regex pass instead of a Python loop per character (the loop
# was most of the AWS render time at 5,000 services).
_HCL_SPECIAL = re.compile('[$%]\\{|[\\\\"\\x00-\\x1f\\x7f\\ud800-\\udfff\\u0085\\u2028\\u2029]')
_HCL_PLAIN = re.compile('[^$%\\\\"\\x00-\\x1f\\x7f\\ud800-\\udfff\\u0085\\u2028\\u2029]*')


def _hcl_escape(match: re.Match[str]) -> str:
    found = match.group()
    if len(found) == 2:  # ${ or %{
        return f"\\u{ord(found[0]):04x}{{"
    return _HCL_ESCAPES.get(found) or f"\\u{ord(found):04x}"


_BICEP_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "$": "\\$"}


def bicep_string(value: object) -> str:
    """A single-quoted Bicep string literal whose value is exactly `str(value)`.

    `$` is escaped so `${` can never open an interpolation; other control characters become
    \\u{X} escapes. Two escapes avoid misreadings by pycep-parser (checkov's Bicep parser), whose
    string pattern ignores the backslash before `${` and takes `\\\\'` for an escaped quote:
    `$` before `{` is written \\u{24}, and a final backslash \\u{5C}.
    """
    text = str(value)
    if _BICEP_PLAIN.fullmatch(text):
        return f"'{text}'"  # most values (names, ids, ports) need no escape at all
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch == "\\" and i == len(text) - 1:
            out.append("\\u{5C}")
        elif ch == "$" and text[i + 1 : i + 2] == "{":
            out.append("\\u{24}")
        elif ch in _BICEP_ESCAPES:
            out.append(_BICEP_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{{{ord(ch):X}}}")
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"


# What bicep_string leaves as it is: no escape, no quote, no `$`, no control character.
_BICEP_PLAIN = re.compile("[^\\\\'$\\x00-\\x1f\\x7f]*")


def json_string(value: object) -> str:
    return json.dumps(str(value), ensure_ascii=False)


def kubelet_literal(value: str) -> str:
    """An env value the kubelet (and Cloud Run, which shares its rules) passes on as `value`.

    The kubelet expands `$(NAME)` in env values and reads `$$` as an escaped `$`; a `$` before
    anything else stays as it is (k8s.io/kubernetes third_party/forked/golang/expansion). So a
    `$` is doubled exactly when a `$` or `(` follows it: `costs $$5, name is $(A_NAME)` is
    written `costs $$$5, name is $$(A_NAME)` and the container sees the literal. Cloud Run
    documents the same: "The $(VAR_NAME) syntax can be escaped with a double $$".
    """
    out: list[str] = []
    for i, ch in enumerate(value):
        out.append("$$" if ch == "$" and value[i + 1 : i + 2] in {"$", "("} else ch)
    return "".join(out)


def cloudformation_literal(value: str) -> str | dict[str, list[object]]:
    """A string CloudFormation passes on as `value`, and cfn-lint accepts.

    A plain string is already literal to CloudFormation, but cfn-lint reports `${AWS::...}` or
    `${Name}` in one as E1029 (a Sub variable outside Fn::Sub). Such a value is joined from
    pieces cut between each `$` and its `{`, which no piece then holds. (Fn::Sub with the `${!`
    escape reads back the same, but cfn-lint warns W1020 that the Sub has no variables.)
    """
    if "${" not in value:
        return value
    parts = value.split("${")
    pieces = [
        ("{" if i else "") + part + ("$" if i < len(parts) - 1 else "")
        for i, part in enumerate(parts)
    ]
    return {"Fn::Join": ["", pieces]}
