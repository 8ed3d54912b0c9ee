"""Problems found in a blueprint, and how they are printed: `file:line:col: message`."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PathPart = str | int
Path = tuple[PathPart, ...]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One positioned problem, ready to print."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


@dataclass(frozen=True)
class Problem:
    """A problem at a path in the blueprint, not yet positioned.

    `at_key` points the position at the mapping key of the last path element rather than its
    value (for unknown keys, duplicate names and missing keys).
    """

    path: Path
    message: str
    at_key: bool = False


class BlueprintError(Exception):
    """Bad input: one or more positioned problems. The CLI prints them and exits with 2."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__("\n".join(str(d) for d in diagnostics))
        self.diagnostics = tuple(diagnostics)


def did_you_mean(found: str, candidates: Iterable[str]) -> str:
    """A hint naming the closest candidate, or an empty string."""
    import difflib  # only when a problem is reported

    matches = difflib.get_close_matches(found, sorted(set(candidates)), n=1, cutoff=0.6)
    return f" (did you mean {matches[0]!r}?)" if matches else ""


def dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def one_of(values: Iterable[str], limit: int = 12) -> str:
    unique = set(values)
    items = heapq.nsmallest(limit, unique)  # the first `limit` in order, without sorting all
    shown = ", ".join(repr(v) for v in items)
    more = len(unique) - len(items)
    return shown + (f", … ({more} more)" if more > 0 else "")
