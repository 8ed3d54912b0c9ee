"""Positions of findings without composing the whole YAML document.

`blueprint.positions.SourceMap` composes the document with PyYAML to find a path's line and
column: exact, but 1.8 s for a 5,000-service blueprint, more than the whole check budget. The
index here reads the text only where a path enters it, one container at a time, and records
the key and value position of block mapping entries, block sequence items and single-line flow
collections, which is what blueprints are written in. A short mapping is not even indexed: the
key a path asks for is searched for in its lines. Anything it cannot follow (multi-line flow
collections, complex keys, tabs) is marked opaque, and paths through it, or through an alias,
anchor or tag, are left to the exact SourceMap.

Columns are counted in code points, like PyYAML's marks; lines and columns are 1-based.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from blueprint.loader import Source

PathPart = str | int
Path = tuple[PathPart, ...]
Mark = tuple[int, int]
# Where each of a list of distinct paths is.
Locate = Callable[[list[Path]], list[Mark]]

_KEY_COLON = re.compile(r":(?=[ \t]|$)")
_NOT_PLAIN_START = frozenset("#'\"{[]},&*!|>%@`")
_SHORT = 64  # lines: a container this short is read line by line, a longer one by a regex
_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)
_SPACES = re.compile(" *")
# The newline before a line that starts a top-level entry: anything but indentation, a comment,
# an empty line, a document marker or a directive.
_TOP_LEVEL_LINE = re.compile(r"\n(?=[^ #\r\n])(?!---|\.\.\.|%)")
# A flow collection with nothing inside that could hide where it ends or make it unsupported
# (no inner collection, quote, comment, anchor, alias, tag, complex key or reserved indicator):
# it ends at its first closing bracket.
_FLAT_FLOW = re.compile(r"\{[^{}\[\]\"'#&*!|>%@`?\n]*\}|\[[^{}\[\]\"'#&*!|>%@`?\n]*\]")
# A key `_key_at` reads as written when it is followed by a colon: no quote, indicator,
# colon, space or comment in it.
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./-]*")
_FLOW_PLAIN = re.compile(r"(?:[^,}\]:]|:(?=[^ ,}\]]))*")


@dataclass(slots=True)
class _Entry:
    key: Mark | None  # None for sequence items
    value: Mark


@dataclass(slots=True)
class _Block:
    """A block mapping or sequence not indexed yet: its lines [start, end), 0-based, and the
    column of its entries. `head`: line `start` holds the first entry behind a "- " (a
    mapping inside a sequence item), not at its own indentation."""

    start: int
    end: int
    indent: int
    kind: str  # "map" or "seq"
    head: bool = False


@dataclass(slots=True)
class _Unread:
    """The entry lines of an indexed block container whose entries are not all read yet."""

    indent: int
    seq: bool
    starts: list[int]  # the line index of each entry, then the container's end
    by_key: dict[str, list[int]]  # a mapping's unread entries by the key they seem to hold


class _UnsupportedError(Exception):
    pass


class FastPositions:
    """Indexes lazily, one container at a time: a top-level section (services:, ...), a block
    mapping or sequence, or a flow collection is read the first time a path enters it, and only
    its own entries are read then (the lines of one level, deeper lines skipped by their
    indentation), so positioning thousands of findings reads each line about once per level
    the findings reach, not every line of the file in full."""

    def __init__(self, text: str) -> None:
        self.entries: dict[Path, _Entry] = {}
        self.kinds: dict[Path, str] = {}  # container path -> "map" | "seq"
        self.opaque: set[Path] = set()  # containers not followed
        self.elsewhere: set[Path] = set()  # entries not followed (aliases, anchors, tags)
        # Flow collections not yet parsed: (line number, line, column, inside another one).
        self.flows: dict[Path, tuple[int, str, int, bool]] = {}
        self.blocks: dict[Path, _Block] = {}  # not yet indexed
        self.unread: dict[Path, _Unread] = {}  # indexed, some entries not read yet
        self.small: dict[Path, _Block] = {}  # short mappings, keys searched for one by one
        self.text = text
        self.lines = text.split("\n")
        # The text offset where a line index starts, for the lines whose offset is known: the
        # ones searches found, and one past the last line. Not a table of every line: that
        # costs more than the whole search at 89,000 lines.
        self.starts: dict[int, int] = {0: 0, len(self.lines): len(text) + 1}
        # Lines with a tab where indentation is read: a container holding one is not followed.
        self.tabbed = _tabbed_lines(text) if "\t" in text else []
        self.root: Mark = (1, 1)
        self.sections: dict[str, tuple[int, int]] = {}  # top-level key -> line index range
        self._find_sections()

    def _find_sections(self) -> None:
        starts: list[tuple[str | None, int]] = []
        lines = self.lines
        n = offset = 0  # the line where the document's content starts, and its text offset
        while n < len(lines):  # comments, directives and blank lines before the root node
            line = lines[n]
            if line and line[0] not in " #\r" and not line.startswith(("---", "...", "%")):
                self.root = (n + 1, 1)
                break
            if line.strip() and not line.lstrip().startswith("#"):
                self.root = (n + 1, len(line) - len(line.lstrip(" ")) + 1)
                n, offset = n + 1, offset + len(line) + 1
                break  # an indented root node: top-level keys can only follow it
            n, offset = n + 1, offset + len(line) + 1
        for i in self._top_level_lines(n, offset):
            line = lines[i]
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

    def _top_level_lines(self, n: int, offset: int) -> Iterator[int]:
        """The lines from line index `n` (at text `offset`) on that start at column 0 with
        something other than a comment or a directive or document marker: one search in C
        instead of a look at each line."""
        lines = self.lines
        starts = self.starts
        if n < len(lines) and _TOP_LEVEL_LINE.match("\n" + lines[n][:3]):
            starts[n] = offset
            yield n
        at = offset
        for match in _TOP_LEVEL_LINE.finditer(self.text, offset):
            n += self.text.count("\n", at, match.start() + 1)
            at = starts[n] = match.start() + 1
            yield n

    def _ensure(self, prefix: Path) -> None:
        block = self.blocks.pop(prefix, None)
        if block is not None:
            if self.tabbed and self._has_tabs(block.start, block.end):
                self.opaque.add(prefix)  # tabs: not followed
            elif block.kind == "map" and not block.head and block.end - block.start < _SHORT:
                self.small[prefix] = block  # its keys are searched for as paths ask
            else:
                self._index(prefix, block)
        if prefix in self.flows:
            number, line, at, inner = self.flows.pop(prefix)
            try:
                end_at = _Flow(line, number, self._flow_entry, self._inner_flow).enter(at, prefix)
                tail = line[end_at:].strip()
                # What follows an inner collection was read with the one around it.
                if tail and not tail.startswith("#") and not inner:
                    raise _UnsupportedError
            except _UnsupportedError:
                self.opaque.add(prefix)

    def _has_tabs(self, start: int, end: int) -> bool:
        at = bisect.bisect_left(self.tabbed, start)
        return at < len(self.tabbed) and self.tabbed[at] < end

    def _section(self, key: str) -> None:
        start, end = self.sections.pop(key)
        if self._has_tabs(start, end):
            self.opaque.add((key,))  # tabs: not followed
        self._map_entry((), start, 0, end)

    def locate(self, path: Path, *, at_key: bool = False) -> Mark | None:
        """Like SourceMap.locate; None when the path runs through something not indexed."""
        mark = self.root
        prefix: Path = ()
        blocks, flows, opaque, kinds, entries = (
            self.blocks,
            self.flows,
            self.opaque,
            self.kinds,
            self.entries,
        )
        if () in opaque:
            return None
        small, unread, elsewhere = self.small, self.unread, self.elsewhere
        entry: _Entry | None = None
        for part in path:
            if prefix in blocks or prefix in flows:
                self._ensure(prefix)
            if prefix in opaque:
                return None
            kind = kinds.get(prefix)
            if kind == "seq":
                if not isinstance(part, int):
                    return mark
                step: PathPart = part
            elif kind == "map":
                step = str(part)
            else:
                return mark
            here = (*prefix, step)
            entry = entries.get(here)
            if entry is None:
                if not prefix and isinstance(step, str) and step in self.sections:
                    self._section(step)
                elif prefix in small:
                    self._search(prefix, str(step))
                    if prefix in opaque:
                        return None
                if here not in entries and prefix in unread:
                    self._read(prefix, step)
                    if prefix in opaque:
                        return None
                entry = entries.get(here)
                if entry is None:
                    return mark
            if here in elsewhere:
                return None
            mark = entry.value
            prefix = here
        # The whole path was followed: its last entry's key when the key is asked for.
        if at_key and entry is not None and entry.key is not None:
            return entry.key
        return mark

    def locate_many(self, paths: Sequence[Path]) -> list[Mark | None]:
        """`locate(path, at_key=True)` of each path, in order. A path to an item of a sequence
        two mappings below a section's long mapping (`services.s1.uses.1`) is answered by
        `_sibling_item` straight from the lines, without indexing its containers, when the
        containers on its way are untouched; any other path, or one that meets something
        `_sibling_item` does not follow, goes through `locate` at its turn. Nothing
        `_sibling_item` does changes what `locate` answers later."""
        answers: list[Mark | None] = []
        # section -> (its entry lines when last looked at, those if `_untouched_section`)
        sections: dict[str, tuple[_Unread | None, _Unread | None]] = {}
        for path in paths:
            mark = None
            if len(path) == 4 and type(path[0]) is str and type(path[1]) is str:
                looked = sections.get(path[0])
                if looked is None or looked[0] is not self.unread.get((path[0],)):
                    untouched = self._untouched_section(path[0])
                    looked = sections[path[0]] = (self.unread.get((path[0],)), untouched)
                if looked[1] is not None and (path[0],) not in self.opaque:
                    mark = self._sibling_item(path, looked[1])
            answers.append(mark if mark is not None else self.locate(path, at_key=True))
        return answers

    def _untouched_section(self, key: str) -> _Unread | None:
        """The entry lines of the section `key`'s mapping, indexed as `locate` would, when its
        entries can be read one by one in any order: no key in it is quoted, so no entry read
        later, when a path asks for a key not there, replaces one read before."""
        if () in self.opaque or self.kinds.get(()) != "map":
            return None
        if (key,) not in self.entries:
            self.locate((key,))  # the section's entry, as a path through it reads it first
        prefix = (key,)
        if prefix not in self.entries or prefix in self.elsewhere:
            return None
        if prefix in self.blocks or prefix in self.flows:
            self._ensure(prefix)
        unread = self.unread.get(prefix)
        if prefix in self.opaque or self.kinds.get(prefix) != "map" or unread is None:
            return None
        # A line whose key is not plain (one `_key_at` cannot read, which makes the section
        # opaque) is met by `locate` at its turn as it would be anyway: `locate_many` checks
        # for that before each path.
        if any(guess.startswith(("'", '"')) for guess in unread.by_key):
            return None
        return unread

    def _sibling_item(self, path: Path, section: _Unread) -> Mark | None:
        """What `locate(path, at_key=True)` answers for `(section, name, key, index)`, read
        from the lines the way `_read`, `_pending`, `_search`, `_index` and `_item` read them,
        when `name` and `key` are each on exactly one line, `name` holds a short block mapping
        and `key` a short block sequence; None when not so."""
        sec, name, key, index = path
        if type(key) is not str or type(index) is not int or index < 0 or "\n" in key:
            return None
        ks = section.by_key.get(str(name))
        if ks is None or len(ks) != 1 or (sec, name) in self.entries:
            return None
        lines, indent = self.lines, section.indent
        n, end = section.starts[ks[0]], section.starts[ks[0] + 1]
        if not self._opens_block(lines[n].rstrip("\r"), indent, str(name)):
            return None
        block = self._next_content(n + 1, end)
        if block is None or block[1] <= indent or block[2] or end - block[0] >= _SHORT:
            return None  # not a short block mapping: left to `locate`
        first, col = block[0], block[1]
        if self.tabbed and self._has_tabs(first, end):
            return None
        entry = self._only_key_line(first, end, col, key)
        if entry is None:
            return None
        n, entry_end = entry
        items = self._next_content(n + 1, entry_end)
        if items is None or not items[2] or items[1] < col or entry_end - items[0] >= _SHORT:
            return None  # not a short block sequence
        if self.tabbed and self._has_tabs(items[0], entry_end):
            return None
        return self._nth_item(items[0], entry_end, items[1], index)

    def _opens_block(self, line: str, col: int, key: str) -> bool:
        """Whether `_key_at` reads the key `key` at `col` on `line` with nothing but a comment
        after its colon; a blueprint's bare `name:` line is recognised without it."""
        bare = len(line) == col + len(key) + 1 and line[-1] == ":" and line.startswith(key, col)
        if bare and _PLAIN_KEY.fullmatch(key):
            return True  # what _key_at reads: the key before the only colon, at the end
        found = self._key_at(line, col)
        if found is None or found[0] != key:
            return False
        value_col = _after_spaces(line, found[1])
        return value_col >= len(line) or line[value_col] == "#"

    def _next_content(self, n: int, end: int) -> tuple[int, int, bool] | None:
        """`_first_content(n, end)`, without its loop when line `n` holds something."""
        if n < end:
            line = self.lines[n]
            stripped = line.lstrip(" ")
            col = len(line) - len(stripped)
            if col and stripped and stripped[0] != "#" and "\r" not in line:
                return n, col, stripped == "-" or stripped.startswith(("- ", "-\t"))
        return self._first_content(n, end)

    def _only_key_line(self, first: int, end: int, col: int, key: str) -> tuple[int, int] | None:
        """(line index, end) of the entry `key` of the short block mapping on lines [first,
        end) at `col`, as `_search` finds it, when its line is the only one there starting
        with `key` (so that `_read` would pick the same one) and holds a block below it."""
        text, hi = self.text, self._offset(end)
        needle = "\n" + " " * col + key
        line_at = self._offset(first)
        at = text.find(needle, line_at - 1, hi)
        if at < 0 or text.find(needle, at + 1, hi) >= 0:
            return None
        n = first + text.count("\n", line_at, at + 1)
        if not self._opens_block(self.lines[n].rstrip("\r"), col, key):
            return None
        next_at = at + 1 + len(self.lines[n]) + 1
        after = _entry_lines_after_newline(col, False).search(text, next_at - 1, hi)
        return n, (n + 1 + text.count("\n", next_at, after.start() + 1) if after else end)

    def _nth_item(self, first: int, end: int, col: int, index: int) -> Mark | None:
        """The value position `_index` and `_item` give the item `index` of the short block
        sequence on lines [first, end) at `col`; None when there is no such item or its value
        is not a plain one-line value."""
        lines, pad = self.lines, " " * col
        for n in range(first, end):
            line = lines[n]
            if len(line) > col and line[col] == "-" and line.startswith(pad):
                if line[col + 1 : col + 2] not in ("", " ", "\t"):
                    continue
                if index:
                    index -= 1
                    continue
                line = line.rstrip("\r")
                content = _after_spaces(line, col + 1)
                if content >= len(line) or line[content] in "#&*!\"'":
                    return None  # a block below, an alias, anchor, tag or quoted key
                return n + 1, content + 1
        return None

    # -- indexing ----------------------------------------------------------------------------

    def _index(self, path: Path, block: _Block) -> None:
        """Find the entry lines of one block container (the lines at its indentation); each
        entry is read when a path asks for it (`_read`)."""
        indent, seq = block.indent, block.kind == "seq"
        starts: list[int] = []
        by_key: dict[str, list[int]] = {}
        if block.head:  # "- key: value": a mapping's first entry behind its item's dash
            line = self.lines[block.start]
            colon = line.find(":", indent)
            by_key[line[indent:colon].rstrip(" ") if colon >= 0 else ""] = [0]
            starts.append(block.start)
        # An entry's line: its indentation exactly; deeper lines belong to an entry, and items
        # at a mapping's own indentation to the sequence of the key above them. The key a plain
        # entry holds is what comes before its first colon; anything else (quoted, a colon
        # inside the key) is read when a path asks for a key not found this way.
        first = block.start + block.head
        if block.end - first < _SHORT:
            lines, pad = self.lines, " " * indent
            for n in range(first, block.end):
                line = lines[n]
                if len(line) > indent and line[indent] not in " #\r" and line.startswith(pad):
                    item = line[indent] == "-" and line[indent + 1 : indent + 2] in ("", " ", "\t")
                    if item != seq:
                        continue
                    if not seq:
                        colon = line.find(":", indent)
                        guess = line[indent:colon].rstrip(" ") if colon >= 0 else ""
                        by_key.setdefault(guess, []).append(len(starts))
                    starts.append(n)
        else:  # one regular expression over the text: most lines are deeper than `indent`
            text, at, hi = self.text, self._offset(first), self._offset(block.end)
            known = self.starts
            if first == 0:  # no newline before the first line: the anchored pattern reads it
                head = _entry_lines(indent, seq).match(text, 0, hi)
                if head is not None:
                    self._entry_line(head, starts, by_key, seq)
                    starts.append(0)
            # The other entry lines found from the newline before each one: a pattern that
            # starts with a literal is searched for in C, several times faster than a ^ tried
            # at every character. Their lines are counted, not looked up.
            n = first
            pattern = _entry_lines_after_newline(indent, seq)
            for match in pattern.finditer(text, max(at - 1, 0), hi):
                self._entry_line(match, starts, by_key, seq)
                n += text.count("\n", at, match.start() + 1)
                at = known[n] = match.start() + 1
                starts.append(n)
        starts.append(block.end)
        self.unread[path] = _Unread(indent, seq, starts, by_key)

    @staticmethod
    def _entry_line(
        match: re.Match[str], starts: list[int], by_key: dict[str, list[int]], seq: bool
    ) -> None:
        """Record the key a mapping's entry line found by `_entry_lines` seems to hold."""
        if not seq:
            guess = match.group(1).rstrip(" ") if match.group(2) else ""
            by_key.setdefault(guess, []).append(len(starts))

    def _search(self, path: Path, key: str) -> None:
        """Find the line of the plain key `key` in the short block mapping `path` with one
        search of the text; when it is not there so spelled, index the whole mapping."""
        block = self.small[path]
        text, indent, hi = self.text, block.indent, self._offset(block.end)
        needle = "\n" + " " * indent + key
        n, line_at = block.start, self._offset(block.start)
        at = text.find(needle, max(line_at - 1, 0), hi)
        while at >= 0:
            n += text.count("\n", line_at, at + 1)  # the line after the newline found
            line_at = at + 1
            # The entry runs to the next line at the mapping's indentation (items there are
            # its own sequence's).
            next_at = line_at + len(self.lines[n]) + 1
            after = _entry_lines_after_newline(indent, False).search(text, next_at - 1, hi)
            end = n + 1 + text.count("\n", next_at, after.start() + 1) if after else block.end
            if not self._map_entry(path, n, indent, end):
                return
            if (*path, key) in self.entries:
                return
            at = text.find(needle, at + 1, hi)
        del self.small[path]
        self._index(path, block)

    def _offset(self, n: int) -> int:
        """The text offset where line index `n` starts (one past the end for the line after
        the last): from the nearest line above whose offset is known, a few lines up at most,
        since every container long enough to be searched records its entry lines'."""
        starts = self.starts
        at = starts.get(n)
        if at is None:
            k = n - 1
            if k in starts:  # most often: the line after an entry line
                at = starts[k] + len(self.lines[k]) + 1
            else:
                while k not in starts:  # line 0 is known
                    k -= 1
                at = starts[k] + sum(len(line) + 1 for line in self.lines[k:n])
            starts[n] = at
        return at

    def _read(self, path: Path, step: PathPart) -> None:
        """Read the entry `step` of the container `path`: the lines that seem to hold it, and
        every line of the container when none does."""
        unread = self.unread[path]
        starts, indent = unread.starts, unread.indent
        if unread.seq:
            if isinstance(step, int) and 0 <= step < len(starts) - 1:
                self._item(path, step, starts[step], indent, starts[step + 1])
            return
        for k in unread.by_key.pop(str(step), ()):
            if not self._map_entry(path, starts[k], indent, starts[k + 1]):
                return
        if (*path, step) in self.entries:
            return
        del self.unread[path]
        for ks in unread.by_key.values():
            for k in ks:
                if not self._map_entry(path, starts[k], indent, starts[k + 1]):
                    return

    def _map_entry(self, container: Path, n: int, col: int, end: int) -> bool:
        """Record the key on line index `n` at `col`, whose value runs to line `end`; False
        (the container left to the exact map) when it is not a key this index follows."""
        line = self.lines[n].rstrip("\r")
        found = self._key_at(line, col)
        if found is None:
            self.opaque.add(container)  # a complex key or a stray line: not followed
            return False
        key, after = found
        path = (*container, key)
        value_col = _after_spaces(line, after)
        if value_col >= len(line) or line[value_col] == "#":
            entry = self.entries[path] = _Entry((n + 1, col + 1), (n + 1, after + 1))
            self._pending(path, entry, n + 1, end, col)
        else:
            self.entries[path] = _Entry((n + 1, col + 1), (n + 1, value_col + 1))
            self._scalar_or_flow(n + 1, line, value_col, path)
        return True

    def _item(self, container: Path, index: int, n: int, col: int, end: int) -> None:
        line = self.lines[n].rstrip("\r")
        path = (*container, index)
        content = _after_spaces(line, col + 1)
        if content >= len(line) or line[content] == "#":
            entry = self.entries[path] = _Entry(None, (n + 1, col + 2))
            self._pending(path, entry, n + 1, end, col)
            return
        self.entries[path] = _Entry(None, (n + 1, content + 1))
        first, second = line[content], line[content + 1 : content + 2]
        if (first == "-" and second in ("", " ", "\t")) or (first in "?:" and second in ("", " ")):
            self.opaque.add(path)  # nested "- - x" or "- ? complex key": left to the exact map
        elif first in "{[":  # a flow collection (never a key here), read when a path enters it
            self.flows[path] = (n + 1, line, content, False)
        elif self._key_at(line, content) is not None:
            self.kinds[path] = "map"
            self.blocks[path] = _Block(n, end, content, "map", head=True)
        else:
            self._scalar_or_flow(n + 1, line, content, path)

    def _pending(self, path: Path, entry: _Entry, first: int, end: int, indent: int) -> None:
        """An entry with nothing after its indicator: its value is the block on the lines
        [first, end) when there is one (deeper, or items at a key's own indentation)."""
        content = self._first_content(first, end)
        if content is not None:
            n, col, is_item = content
            if col > indent or (col == indent and is_item):
                kind = "seq" if is_item else "map"
                self.kinds[path] = kind
                entry.value = (n + 1, col + 1)
                self.blocks[path] = _Block(n, end, col, kind)

    def _first_content(self, first: int, end: int) -> tuple[int, int, bool] | None:
        """(line index, column, whether it is an item) of the first line in [first, end) that
        holds something other than a comment, a document marker or a directive."""
        lines = self.lines
        for n in range(first, end):
            line = lines[n].rstrip("\r")
            stripped = line.lstrip(" ")
            if not stripped or stripped[0] == "#":
                continue
            col = len(line) - len(stripped)
            if col == 0 and stripped.startswith(("---", "...", "%")):
                continue
            return n, col, stripped == "-" or stripped.startswith(("- ", "-\t"))  # _is_item
        return None

    def _scalar_or_flow(self, number: int, line: str, at: int, path: Path) -> None:
        if line[at] in "{[":
            self.flows[path] = (number, line, at, False)  # parsed when a path enters it
        elif line[at] in "&*!":
            # Anchors, aliases and tags: an alias is positioned at its anchor, and an anchored
            # collection is not followed, so the entry is left to the exact map.
            self.elsewhere.add(path)

    def _inner_flow(self, path: Path, number: int, line: str, at: int) -> None:
        self.flows[path] = (number, line, at, True)  # parsed when a path enters it

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


@functools.lru_cache(maxsize=64)
def _entry_lines(indent: int, seq: bool) -> re.Pattern[str]:
    """The lines of the entries of a container at `indent`: items ("- ", `_is_item`) for a
    sequence; for a mapping the other lines that hold something, with the text up to the
    first colon (group 1) and that colon (group 2)."""
    return re.compile("^" + _entry_line_tail(indent, seq), re.MULTILINE)


@functools.lru_cache(maxsize=64)
def _entry_lines_after_newline(indent: int, seq: bool) -> re.Pattern[str]:
    """`_entry_lines`, each match starting at the newline before its line (and so never on
    the text's first line): same groups. Its literal start ("\\n" and the indentation's
    spaces) is searched for in C, several times faster than a ^ tried at every character."""
    return re.compile("\n" + _entry_line_tail(indent, seq), re.MULTILINE)


def _entry_line_tail(indent: int, seq: bool) -> str:
    if seq:
        return " " * indent + r"-(?=[ \t]|$)"
    return " " * indent + r"(?![ #\r\n]|-(?:[ \t]|$))([^:\n]*)(:?)"


def _tabbed_lines(text: str) -> list[int]:
    """0-based indexes, ascending, of the lines with a tab in their indentation."""
    found: list[int] = []
    line = pos = 0
    for match in _TAB_INDENT.finditer(text):
        line += text.count("\n", pos, match.start())
        pos = match.start()
        found.append(line)
    return found


def _after_spaces(line: str, i: int) -> int:
    """The index of the first character at or after `i` that is not a space."""
    return _SPACES.match(line, i).end()  # type: ignore[union-attr]  # " *" always matches


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
        self,
        line: str,
        number: int,
        record: Callable[[Path, Mark | None, Mark, str], None],
        defer: Callable[[Path, int, str, int], None] | None = None,
    ) -> None:
        self.line = line
        self.number = number
        self.record = record
        # Given, a flat inner collection is only skipped, and handed to `defer` to be parsed
        # when a path enters it: positioning `grants.1` need not read every grant's fields.
        self.defer = defer

    def enter(self, i: int, path: Path) -> int:
        """Parse the collection starting at `i`, its flat inner collections deferred."""
        return self.mapping(i, path) if self.line[i] == "{" else self.sequence(i, path)

    def skip(self, i: int) -> int:
        i = _after_spaces(self.line, i)
        if i >= len(self.line):
            raise _UnsupportedError  # the collection continues on the next line
        return i

    def value(self, i: int, path: Path) -> int:
        ch = self.line[i]
        if ch in "{[" and self.defer is not None:
            flat = _FLAT_FLOW.match(self.line, i)
            if flat is not None:
                self.defer(path, self.number, self.line, i)
                return flat.end()
        if ch == "{":
            return self.mapping(i, path)
        if ch == "[":
            return self.sequence(i, path)
        if ch in "\"'":
            end = _quoted_end(self.line, i)
            if end is None:
                raise _UnsupportedError
            return end
        if ch in "&*!|>?":  # "?" opens a complex key in a flow collection, even without a space
            raise _UnsupportedError
        # A plain scalar runs to "," "}" "]", or to a ":" followed by a space, one of those,
        # or the end of the line.
        return _FLOW_PLAIN.match(self.line, i).end()  # type: ignore[union-attr]  # may be empty

    def mapping(self, i: int, path: Path) -> int:
        i = self.skip(i + 1)
        keys: set[str] = set()
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
            if key in keys:  # which of the two a path means is the exact map's to say
                raise _UnsupportedError
            keys.add(key)
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


def locator(source: Source) -> Locate:
    """Where each of a list of distinct paths of `source` is, the fast index first
    (`locate_many`: sibling containers' entries are read together), the exact map where it
    declines."""
    made: list[FastPositions] = []  # built at the first call, in the process that makes it

    def locate(paths: list[Path]) -> list[Mark]:
        if not paths:
            return []
        if not made:
            made.append(FastPositions(source.text))
        return [
            source.locate(path, at_key=True) if mark is None else mark
            for path, mark in zip(paths, made[0].locate_many(paths), strict=True)
        ]

    return locate
