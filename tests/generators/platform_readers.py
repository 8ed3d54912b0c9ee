"""How the platforms read back a string value, modelled exactly, for round-trip assertions.

`kubelet_expand` is a line-by-line port of the kubelet's env expansion
(k8s.io/kubernetes third_party/forked/golang/expansion/expand.go, `Expand` and
`tryReadVariableName`), which Cloud Run documents for its env values as well.
`cloudformation_value` resolves the intrinsic functions `cloudformation_literal` may emit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def kubelet_expand(value: str, defined: Mapping[str, str]) -> str:
    out: list[str] = []
    checkpoint = 0
    cursor = 0
    while cursor < len(value):
        if value[cursor] == "$" and cursor + 1 < len(value):
            out.append(value[checkpoint:cursor])
            read, is_var, advance = _read_variable_name(value[cursor + 1 :])
            if is_var:
                out.append(defined.get(read, f"$({read})"))
            else:
                out.append(read)
            cursor += advance
            checkpoint = cursor + 1
        cursor += 1
    return "".join(out) + value[checkpoint:]


def _read_variable_name(rest: str) -> tuple[str, bool, int]:
    if rest[0] == "$":  # an escaped operator
        return rest[0], False, 1
    if rest[0] == "(":
        for i in range(1, len(rest)):
            if rest[i] == ")":
                return rest[1:i], True, i + 1
        return "$(", False, 1  # an incomplete reference
    return "$" + rest[0], False, 1  # an operator that begins no expression


def cloudformation_value(value: Any) -> Any:
    """A property value as CloudFormation resolves it (plain strings and Fn::Join of strings)."""
    if isinstance(value, dict) and list(value) == ["Fn::Join"]:
        delimiter, pieces = value["Fn::Join"]
        return delimiter.join(cloudformation_value(p) for p in pieces)
    return value
