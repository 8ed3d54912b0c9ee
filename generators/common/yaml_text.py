"""Block YAML for plain data, written directly: byte for byte what `yamldump`'s PyYAML dumper
writes (keys sorted, block style, unicode kept, no line folding), without building PyYAML's
node graph and event stream (about 7 µs per value; a 5,000-service render dumps millions).

It covers what the generators dump: dicts and lists of ASCII strings, ints, floats, booleans
and None, with keys that are short printable ASCII strings or ints. Anything else (non-ASCII
text, long or empty keys, keys of mixed types, a dict or list reached twice, which PyYAML writes
as an anchor and an alias, other types) raises `Unsupported`, and the caller dumps with PyYAML.
tests/generators/common/test_yamldump.py compares the two on generated documents.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

_STR_TAG = "tag:yaml.org,2002:str"
# Characters YAML counts as white space around an indicator (PyYAML's emitter).
_SPACE = "\0 \t\r\n\x85\u2028\u2029"
# Double-quoted escapes PyYAML writes for ASCII (others as \xXX).
_ESCAPES = {
    "\0": "0",
    "\x07": "a",
    "\x08": "b",
    "\x09": "t",
    "\x0a": "n",
    "\x0b": "v",
    "\x0c": "f",
    "\x0d": "r",
    "\x1b": "e",
    '"': '"',
    "\\": "\\",
}


class Unsupported(Exception):  # noqa: N818  # a signal to the caller, not a failure
    """The data holds something this writer leaves to PyYAML."""


def dump(
    data: dict[Any, Any] | list[Any],
    needs_quotes: Callable[[str], bool],
    plain_tag: Callable[[str], str],
) -> str:
    """The document, as `yaml.dump(data, sort_keys=True, default_flow_style=False,
    allow_unicode=True, width=2**31 - 1)` writes it with yamldump's representer:
    `needs_quotes(value)` says which strings it double-quotes, `plain_tag(value)` which tag a
    plain scalar resolves to (a string that would not read back as a string is quoted)."""
    writer = _Writer(needs_quotes, plain_tag)
    if type(data) is dict:
        if not data:
            return "{}\n"
        writer.mapping(data, 0, "")
    elif type(data) is list:
        if not data:
            return "[]\n"
        writer.sequence(data, 0, "")
    else:
        raise Unsupported
    writer.lines.append("")
    return "\n".join(writer.lines)


class _Writer:
    def __init__(self, needs_quotes: Callable[[str], bool], plain_tag: Callable[[str], str]):
        self.lines: list[str] = []
        self.seen: set[int] = set()  # containers written: a second visit would be an alias
        self.text = _string_writer(needs_quotes, plain_tag)  # memoized per distinct string
        self.keys = _key_cache(needs_quotes, plain_tag)  # str key -> as written

    def mapping(self, data: dict[Any, Any], indent: int, first: str) -> None:
        """A non-empty mapping whose keys start at `indent`; the first line starts with
        `first` (its indentation, or an item's "- ")."""
        self._visit(data)
        try:
            keys = sorted(data)
        except TypeError:
            raise Unsupported from None  # PyYAML keeps the order then
        lines, pad, prefix = self.lines, " " * indent, first
        written, text = self.keys, self.text
        for key in keys:
            value = data[key]
            # Only exact str keys are looked up: 1 and True would find each other's entry.
            spelled = written.get(key) if type(key) is str else None
            if spelled is None:
                spelled = self.key(key)
            kind = type(value)
            if kind is str:
                lines.append(f"{prefix}{spelled}: {text(value)}")
                prefix = pad
                continue
            head = prefix + spelled + ":"
            if kind is dict:
                if value:
                    lines.append(head)
                    self.mapping(value, indent + 2, pad + "  ")
                else:
                    lines.append(head + " {}")
            elif kind is list:
                if value:
                    lines.append(head)
                    self.sequence(value, indent, pad)  # a mapping's sequence is not indented
                else:
                    lines.append(head + " []")
            else:
                lines.append(head + " " + self.scalar(value))
            prefix = pad

    def sequence(self, data: list[Any], indent: int, first: str) -> None:
        """A non-empty sequence whose dashes stand at `indent`."""
        self._visit(data)
        lines, pad, prefix = self.lines, " " * indent, first
        text = self.text
        for value in data:
            kind = type(value)
            if kind is str:
                lines.append(f"{prefix}- {text(value)}")
            elif kind is dict:
                if value:
                    self.mapping(value, indent + 2, prefix + "- ")
                else:
                    lines.append(prefix + "- {}")
            elif kind is list:
                if value:
                    self.sequence(value, indent + 2, prefix + "- ")
                else:
                    lines.append(prefix + "- []")
            else:
                lines.append(prefix + "- " + self.scalar(value))
            prefix = pad

    def _visit(self, container: object) -> None:
        seen = self.seen
        before = len(seen)
        seen.add(id(container))
        if len(seen) == before:
            raise Unsupported  # PyYAML writes &id001 and *id001

    def key(self, key: object) -> str:
        if type(key) is str:
            # PyYAML writes an empty, long or multi-line key in the "? key" form.
            if not 0 < len(key) < 128 or "\n" in key:
                raise Unsupported
            spelled = self.text(key)
            if len(self.keys) >= _KEY_LIMIT:
                self.keys.clear()
            self.keys[key] = spelled
            return spelled
        if type(key) is int:
            return str(key)
        raise Unsupported

    def scalar(self, value: object) -> str:
        kind = type(value)
        if kind is str:
            return self.text(value)  # type: ignore[arg-type]  # checked just above
        if kind is bool:
            return "true" if value else "false"
        if kind is int:
            return str(value)
        if value is None:
            return "null"
        if kind is float:
            return _float(value)  # type: ignore[arg-type]  # checked just above
        raise Unsupported


_KEY_LIMIT = 65536


@functools.lru_cache(maxsize=8)
def _key_cache(
    needs_quotes: Callable[[str], bool], plain_tag: Callable[[str], str]
) -> dict[str, str]:
    """The keys written under one (quoting, resolver) pair, shared by every document (keys
    repeat in all of them: kind, metadata, name): each distinct key is checked once."""
    del needs_quotes, plain_tag  # the cache's key: one dictionary per pair
    return {}


@functools.lru_cache(maxsize=8)
def _string_writer(
    needs_quotes: Callable[[str], bool], plain_tag: Callable[[str], str]
) -> Callable[[str], str]:
    """One cache of written strings per (quoting, resolver) pair: strings repeat by the
    thousand across a render's documents."""

    @functools.lru_cache(maxsize=65536)
    def text(value: str) -> str:
        if not value.isascii():
            raise Unsupported
        # PyYAML's choice of style (Emitter.choose_scalar_style over analyze_scalar), for
        # ASCII: yamldump double-quotes what `needs_quotes` names (line breaks, outer spaces,
        # the empty string, what reads as another type); a control character (a tab inside)
        # needs double quotes; an indicator where it counts, or a value that resolves to
        # another tag when plain, single quotes.
        if needs_quotes(value) or not value.isprintable():
            return _double_quoted(value)
        if plain_tag(value) == _STR_TAG and not _has_block_indicator(value):
            return value
        return "'" + value.replace("'", "''") + "'"

    return text


def _has_block_indicator(value: str) -> bool:
    """PyYAML's `block_indicators` for a printable ASCII string without outer spaces."""
    if value.startswith(("---", "...")):
        return True
    first = value[0]
    followed = len(value) == 1 or value[1] in _SPACE
    if first in "#,[]{}&*!|>'\"%@`" or (first in "?:-" and followed):
        return True
    for index in range(1, len(value)):
        ch = value[index]
        if ch == ":" and (index + 1 >= len(value) or value[index + 1] in _SPACE):
            return True
        if ch == "#" and value[index - 1] in _SPACE:
            return True
    return False


def _double_quoted(value: str) -> str:
    out = []
    for ch in value:
        if ch in _ESCAPES:
            out.append("\\" + _ESCAPES[ch])
        elif " " <= ch <= "~":
            out.append(ch)
        else:
            out.append(f"\\x{ord(ch):02X}")
    return '"' + "".join(out) + '"'


def _float(value: float) -> str:
    """SafeRepresenter.represent_float."""
    if value != value:
        return ".nan"
    if value == float("inf"):
        return ".inf"
    if value == float("-inf"):
        return "-.inf"
    text = repr(value).lower()
    if "." not in text and "e" in text:
        text = text.replace("e", ".0e", 1)
    return text
