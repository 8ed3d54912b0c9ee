"""Positions of findings without composing the whole YAML document.

`blueprint.positions.SourceMap` composes the document with PyYAML to find a path's line and
column: exact, but 1.8 s for a 5,000-service blueprint, more than the whole check budget. The
index here reads the text once, line by line, and records the key and value position of every
block mapping entry, block sequence item and single-line flow collection, which is what
blueprints are written in. Anything it cannot follow (multi-line flow collections, complex
keys) is marked opaque, and paths through it are left to the exact SourceMap.

Columns are counted in code points, like PyYAML's marks; lines and columns are 1-based.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

PathPart = str | int
Path = tuple[PathPart, ...]
Mark = tuple[int, int]

_KEY_COLON = re.compile(r":(?=[ \t]|$)")
_NOT_PLAIN_START = frozenset("#'\"{[]},&*!|>%@`")


@dataclass(slots=True)
class _Entry:
    key: Mark | None  # None for sequence items
    value: Mark


@dataclass(slots=True)
class _Frame:
    indent: int
    path: Path
    kind: str  # "map" or "seq"
    count: int = 0


class _UnsupportedError(Exception):
    pass


class FastPositions:
    """Indexes lazily: a top-level section (services:, resources:, ...) is read the first time
    a path enters it, and a flow collection the first time a path enters it."""

    def __init__(self, text: str) -> None:
        self.entries: dict[Path, _Entry] = {}
        self.kinds: dict[Path, str] = {}  # container path -> "map" | "seq"
        self.opaque: set[Path] = set()
        self.flows: dict[Path, tuple[int, str, int]] = {}  # not yet parsed: (line no, line, col)
        self.lines = text.split("\n")
        self.root: Mark = (1, 1)
        self.sections: dict[str, tuple[int, int]] = {}  # top-level key -> line index range
        self._find_sections()

    def _find_sections(self) -> None:
        starts: list[tuple[str | None, int]] = []
        first: int | None = None
        for i, line in enumerate(self.lines):
            if not line or line[0] in " #\r" or line.startswith(("---", "...", "%")):
                if first is None and line.strip() and not line.lstrip().startswith("#"):
                    first = i
                    self.root = (i + 1, len(line) - len(line.lstrip(" ")) + 1)
                continue
            if first is None:
                first = i
                self.root = (i + 1, 1)
            if "\t" in line or _is_item(line):
                self.opaque.add(())  # a top-level sequence or tabs: left to the exact map
                return
            found = self._key_at(line, 0)
            starts.append((found[0] if found else None, i))
        self.kinds[()] = "map"
        for n, (key, start) in enumerate(starts):
            end = starts[n + 1][1] if n + 1 < len(starts) else len(self.lines)
            if key is None:
                self.opaque.add(())
                return
            self.sections[key] = (start, end)

    def _ensure(self, prefix: Path) -> None:
        if len(prefix) == 1 and isinstance(prefix[0], str) and prefix[0] in self.sections:
            start, end = self.sections.pop(prefix[0])
            self._index(start, end)
        if prefix in self.flows:
            number, line, at = self.flows.pop(prefix)
            try:
                end_at = _Flow(line, number, self._flow_entry).value(at, prefix)
                tail = line[end_at:].strip()
                if tail and not tail.startswith("#"):
                    raise _UnsupportedError
            except _UnsupportedError:
                self.opaque.add(prefix)

    def locate(self, path: Path, *, at_key: bool = False) -> Mark | None:
        """Like SourceMap.locate; None when the path runs through something not indexed."""
        mark = self.root
        prefix: Path = ()
        if () in self.opaque:
            return None
        for i, part in enumerate(path):
            if i == 1 or (i > 1 and prefix in self.flows):
                self._ensure(prefix)
            if prefix in self.opaque:
                return None
            kind = self.kinds.get(prefix)
            if kind == "seq":
                if not isinstance(part, int):
                    break
                step: PathPart = part
            elif kind == "map":
                step = str(part)
            else:
                break
            if not prefix and isinstance(step, str) and step in self.sections:
                self._ensure((step,))
            entry = self.entries.get((*prefix, step))
            if entry is None:
                break
            last = i == len(path) - 1
            mark = entry.key if (last and at_key and entry.key is not None) else entry.value
            prefix = (*prefix, step)
        return mark

    # -- indexing ----------------------------------------------------------------------------

    def _index(self, start: int, end: int) -> None:
        """Index the lines [start, end) of one top-level section."""
        frames: list[_Frame] = [_Frame(0, (), "map")]
        pending: tuple[Path, int] | None = None  # an entry whose value is the next block
        skip_deeper_than: int | None = None  # continuation of a scalar or flow value
        for number in range(start + 1, end + 1):
            line = self.lines[number - 1].rstrip("\r")
            stripped = line.lstrip(" ")
            if not stripped or stripped.startswith("#"):
                continue
            col = len(line) - len(stripped)
            if col == 0 and (stripped.startswith(("---", "...", "%"))):
                continue
            if skip_deeper_than is not None:
                if col > skip_deeper_than:
                    continue
                skip_deeper_than = None
            if "\t" in line[: col + 1]:
                self.opaque.add(frames[min(1, len(frames) - 1)].path)  # tabs: not followed
                return
            is_item = _is_item(stripped)
            if pending is not None:
                path, parent_indent = pending
                pending = None
                if col > parent_indent or (col == parent_indent and is_item):
                    kind = "seq" if is_item else "map"
                    self.kinds[path] = kind
                    self.entries[path].value = (number, col + 1)
                    frames.append(_Frame(col, path, kind))
            while frames and (
                frames[-1].indent > col
                or (frames[-1].indent == col and (frames[-1].kind == "seq") != is_item)
            ):
                frames.pop()
            if not frames or frames[-1].indent != col:
                continue  # a continuation line we do not follow
            frame = frames[-1]
            result = self._line(number, line, col, frame, frames)
            if result is not None:
                kind_, value = result
                if kind_ == "pending":
                    pending = value  # type: ignore[assignment]  # (path, indent) pair
                else:
                    skip_deeper_than = value  # type: ignore[assignment]  # an indent

    def _line(
        self, number: int, line: str, col: int, frame: _Frame, frames: list[_Frame]
    ) -> tuple[str, object] | None:
        if frame.kind == "seq":
            index = frame.count
            frame.count += 1
            path = (*frame.path, index)
            rest = line[col + 1 :]
            content = col + 1 + (len(rest) - len(rest.lstrip(" ")))
            if content >= len(line) or line[content] == "#":
                self.entries[path] = _Entry(None, (number, col + 2))
                return ("pending", (path, col))
            self.entries[path] = _Entry(None, (number, content + 1))
            if _is_item(line[content:]):
                self.opaque.add(path)  # nested "- - x": rare, left to the exact map
                return ("skip", col)
            if self._key_at(line, content) is not None:
                self.kinds[path] = "map"
                sub = _Frame(content, path, "map")
                frames.append(sub)
                return self._line(number, line, content, sub, frames)
            return self._scalar_or_flow(number, line, content, path, col)
        found = self._key_at(line, col)
        if found is None:
            self.opaque.add(frame.path)  # a complex key or a stray line: not followed
            return ("skip", col)
        key, after = found
        path = (*frame.path, key)
        rest = line[after:]
        value_col = after + (len(rest) - len(rest.lstrip(" ")))
        if value_col >= len(line) or line[value_col] == "#":
            self.entries[path] = _Entry((number, col + 1), (number, after + 1))
            return ("pending", (path, col))
        self.entries[path] = _Entry((number, col + 1), (number, value_col + 1))
        return self._scalar_or_flow(number, line, value_col, path, col)

    def _scalar_or_flow(
        self, number: int, line: str, at: int, path: Path, indent: int
    ) -> tuple[str, object]:
        if line[at] in "{[":
            self.flows[path] = (number, line, at)  # parsed when a path enters it
        elif line[at] in "&*!":
            # Anchors, aliases and tags: an alias is positioned at its anchor, so the whole
            # container is left to the exact map.
            self.opaque.add(path[:-1])
        return ("skip", indent)

    def _flow_entry(self, path: Path, key: Mark | None, value: Mark, container: str) -> None:
        self.kinds[path[:-1]] = container
        self.entries[path] = _Entry(key, value)

    @staticmethod
    def _key_at(line: str, col: int) -> tuple[str, int] | None:
        """(key, index just after its colon) when a mapping key starts at `col`."""
        ch = line[col]
        if ch in "\"'":
            end = _quoted_end(line, col)
            if end is None or not line[end:].startswith(":"):
                return None
            if end + 1 < len(line) and line[end + 1] not in " ":
                return None
            return _unquote(line[col:end]), end + 1
        if ch in _NOT_PLAIN_START or (ch in "-?:" and line[col + 1 : col + 2] in ("", " ")):
            return None
        match = _KEY_COLON.search(line, col)
        if match is None:
            return None
        key = line[col : match.start()].rstrip(" ")
        if " #" in key:
            return None  # the colon is inside a comment
        return key, match.start() + 1


def _is_item(text: str) -> bool:
    return text == "-" or text.startswith(("- ", "-\t"))


def _quoted_end(line: str, start: int) -> int | None:
    """Index just after the closing quote of the quoted scalar starting at `start`."""
    quote = line[start]
    i = start + 1
    while i < len(line):
        if quote == '"' and line[i] == "\\":
            i += 2
            continue
        if line[i] == quote:
            if quote == "'" and line[i + 1 : i + 2] == "'":
                i += 2
                continue
            return i + 1
        i += 1
    return None


def _unquote(token: str) -> str:
    if token.startswith("'"):
        return token[1:-1].replace("''", "'")
    import json

    try:
        value = json.loads(token)
    except ValueError:
        raise _UnsupportedError from None
    if not isinstance(value, str):
        raise _UnsupportedError
    return value


class _Flow:
    """A single-line flow collection: records each entry's key and value positions."""

    def __init__(
        self, line: str, number: int, record: Callable[[Path, Mark | None, Mark, str], None]
    ) -> None:
        self.line = line
        self.number = number
        self.record = record

    def skip(self, i: int) -> int:
        while i < len(self.line) and self.line[i] == " ":
            i += 1
        if i >= len(self.line):
            raise _UnsupportedError  # the collection continues on the next line
        return i

    def value(self, i: int, path: Path) -> int:
        ch = self.line[i]
        if ch == "{":
            return self.mapping(i, path)
        if ch == "[":
            return self.sequence(i, path)
        if ch in "\"'":
            end = _quoted_end(self.line, i)
            if end is None:
                raise _UnsupportedError
            return end
        if ch in "&*!|>":
            raise _UnsupportedError
        j = i
        while j < len(self.line) and self.line[j] not in ",}]":
            if self.line[j] == ":" and (j + 1 == len(self.line) or self.line[j + 1] in " ,}]"):
                break
            j += 1
        return j

    def mapping(self, i: int, path: Path) -> int:
        i = self.skip(i + 1)
        while self.line[i] != "}":
            key_start = i
            if self.line[i] in "\"'":
                end = _quoted_end(self.line, i)
                if end is None:
                    raise _UnsupportedError
                key = _unquote(self.line[i:end])
            elif self.line[i] in "{[&*!?":
                raise _UnsupportedError
            else:
                end = self.value(i, path)
                key = self.line[i:end].rstrip(" ")
            i = self.skip(end)
            if self.line[i] != ":":
                raise _UnsupportedError  # a key without a value: rare in blueprints
            i = self.skip(i + 1)
            entry = (*path, key)
            if self.line[i] in ",}":
                self.record(entry, (self.number, key_start + 1), (self.number, i + 1), "map")
            else:
                self.record(entry, (self.number, key_start + 1), (self.number, i + 1), "map")
                i = self.skip(self.value(i, entry))
            if self.line[i] == ",":
                i = self.skip(i + 1)
            elif self.line[i] != "}":
                raise _UnsupportedError
        return i + 1

    def sequence(self, i: int, path: Path) -> int:
        i = self.skip(i + 1)
        index = 0
        while self.line[i] != "]":
            entry = (*path, index)
            self.record(entry, None, (self.number, i + 1), "seq")
            i = self.skip(self.value(i, entry))
            index += 1
            if self.line[i] == ",":
                i = self.skip(i + 1)
            elif self.line[i] != "]":
                raise _UnsupportedError
        return i + 1
