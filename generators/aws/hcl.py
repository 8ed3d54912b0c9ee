"""HCL values spelled the way `terraform fmt` writes them, every string through `hcl_string`.

Objects are written one attribute per line with `=` aligned across each run of single-line
attributes (a multi-line value ends the run), which is fmt's rule; so rendered files need no
formatter and `terraform fmt -check` holds by construction.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from generators.aws.values import Attr, Value
from generators.common.quoting import hcl_string

_BARE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_KEYWORDS = frozenset({"true", "false", "null", "for", "in", "if", "endfor", "endif"})
INDENT = "  "


def expr(value: Value) -> str:
    """A Value as one expression: a bare reference, or a template with escaped literals."""
    if len(value.parts) == 1 and isinstance(value.parts[0], Attr):
        return value.parts[0].tf
    pieces: list[str] = []
    for part in value.parts:
        if isinstance(part, str):
            pieces.append(_string(part)[1:-1])
        else:
            if pieces and pieces[-1][-1:] in ("$", "%"):
                # A literal "$" or "%" right before "${" would read as the escape "$${".
                pieces[-1] = pieces[-1][:-1] + f"\\u{ord(pieces[-1][-1]):04x}"
            pieces.append("${" + part.tf + "}")
    inner = "".join(pieces)
    return '"' + inner + '"'


def key(name: str) -> str:
    spelled = _KEYS.get(name)
    if spelled is None:
        spelled = name if _BARE_KEY.match(name) and name not in _KEYWORDS else hcl_string(name)
        _KEYS[name] = spelled
    return spelled


# Attribute names and string values repeat across thousands of resources (a 5,000-service
# render spells ~150,000 keys and ~145,000 strings, a few thousand distinct): each distinct one
# is spelled once. Bounded so a long-running process (the Argo CD plugin) does not grow forever.
_KEYS: dict[str, str] = {}
_STRINGS: dict[str, str] = {}
_MEMO_LIMIT = 200_000


def _string(text: str) -> str:
    spelled = _STRINGS.get(text)
    if spelled is None:
        spelled = hcl_string(text)
        if len(_STRINGS) >= _MEMO_LIMIT:
            _STRINGS.clear()
        _STRINGS[text] = spelled
    return spelled


def hcl(value: Any, indent: int = 0) -> str:
    """Any value as HCL; multi-line values are indented for nesting at `indent` levels."""
    # The exact types plan data is made of first; subclasses and the rest take `_general`.
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is dict:
        return _object(value, indent)
    if kind is list or kind is tuple:
        return _list(value, indent)
    if kind is Attr:
        return str(value.tf)
    if kind is int:
        return str(value)
    if kind is Value:
        return expr(value)
    return _general(value, indent)


def _general(value: Any, indent: int) -> str:
    if isinstance(value, Value):
        return expr(value)
    if isinstance(value, Attr):
        return value.tf
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if value is None:
        return "null"
    if isinstance(value, str):
        return hcl_string(value)
    if isinstance(value, Mapping):
        return _object(value, indent)
    if isinstance(value, Sequence):
        return _list(value, indent)
    raise TypeError(f"cannot write {type(value).__name__} as HCL")


_SINGLE_LINE = frozenset({str, int, bool, Attr, Value, type(None)})


def _is_multiline(value: Any) -> bool:
    kind = type(value)
    if kind in _SINGLE_LINE:
        return False
    if kind is dict:
        return bool(value)
    if kind is list or kind is tuple:
        for v in value:
            k = type(v)
            if k is dict or k is list or k is tuple:
                return True
            if k not in _SINGLE_LINE and isinstance(v, Mapping | list | tuple):
                return True
        return False
    if isinstance(value, Mapping):
        return bool(value)
    if isinstance(value, Sequence) and not isinstance(value, str | Value):
        return any(isinstance(v, Mapping | list | tuple) for v in value)
    return False


def _list(items: Sequence[Any], indent: int) -> str:
    if not items:
        return "[]"
    if not _is_multiline(items):
        return "[" + ", ".join([hcl(v) for v in items]) + "]"
    pad = INDENT * (indent + 1)
    lines = ["["]
    for item in items:
        lines.append(pad + hcl(item, indent + 1) + ",")
    lines.append(INDENT * indent + "]")
    return "\n".join(lines)


def _object(obj: Mapping[str, Any], indent: int) -> str:
    if not obj:
        return "{}"
    return "{\n" + attributes(obj, indent + 1) + "\n" + INDENT * indent + "}"


def attributes(obj: Mapping[str, Any], indent: int) -> str:
    """`key = value` lines at `indent` levels, aligned as fmt aligns them."""
    pad = INDENT * indent
    lines: list[str] = []
    run: list[tuple[str, Any]] = []
    for k, v in obj.items():
        if _is_multiline(v):
            if run:
                _flush(run, pad, indent, lines)
                run = []
            lines.append(f"{pad}{key(k)} = {hcl(v, indent)}")
        else:
            run.append((key(k), v))
    if run:
        _flush(run, pad, indent, lines)
    return "\n".join(lines)


def _flush(run: list[tuple[str, Any]], pad: str, indent: int, lines: list[str]) -> None:
    """A run of single-line attributes, `=` aligned on the longest key."""
    width = max([len(k) for k, _ in run])
    lines.extend([f"{pad}{k.ljust(width)} = {hcl(v, indent)}" for k, v in run])
