"""The support matrix applied to one blueprint: its refused uses are validation errors, its
noted uses are reported by `blueprint check` (rule BP6001)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from blueprint.errors import Path, Problem
from blueprint.model import Blueprint
from blueprint.support.matrix import BY_ID, Cell
from blueprint.support.usage import Usage, usages


@dataclass(frozen=True)
class Note:
    subject: str
    message: str
    path: Path


# The last blueprint judged and its verdicts: validation (`refused`) and `blueprint check`
# (`notes`) judge the same frozen blueprint one after the other; at 5,000 services one pass
# costs 0.1 s.
_last: tuple[Blueprint, list[tuple[Usage, Cell, str]]] | None = None


def _judged(bp: Blueprint) -> list[tuple[Usage, Cell, str]]:
    global _last
    if _last is None or _last[0] is not bp:
        _last = (bp, list(_judge(bp)))
    return _last[1]


def _judge(bp: Blueprint) -> Iterator[tuple[Usage, Cell, str]]:
    for use in usages(bp):
        if use.cell is not None:
            yield use, use.cell, use.title
            continue
        concept = BY_ID[use.concept]
        cell = concept.cells.get(use.target)
        if cell is not None:  # a concept that does not apply to the target is no use of it
            yield use, cell, concept.title


def refused(bp: Blueprint) -> list[Problem]:
    """A positioned error for every use of a refused cell."""
    return [
        Problem(use.path, cell.message(use.subject, title, use.target), at_key=use.at_key)
        for use, cell, title in _judged(bp)
        if cell.status == "refused"
    ]


def notes(bp: Blueprint) -> list[Note]:
    """What is accepted but not entirely rendered, said once per subject and concept."""
    found: dict[tuple[str, str], Note] = {}
    for use, cell, title in _judged(bp):
        if cell.status == "noted":
            # A finding prints its subject itself.
            message = cell.message(use.subject, title, use.target).removeprefix(f"{use.subject}: ")
            found.setdefault((use.subject, message), Note(use.subject, message, use.path))
    return list(found.values())
