"""Proof by reading back: the connections a rendered target allows, compared with the view's.

A reader parses one target's rendered files (never the blueprint) into the set of connections
they allow; `in_scope` says which of the view's intended connections that target can show (a
NetworkPolicy cannot show a Cloud Run caller, a security group cannot show a Kubernetes pod).
`difference` compares the two sets, key by key (source, destination, port, protocol), in both
directions: allowed but not intended (something extra is open) and intended but not allowed
(a declared connection cannot get through).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from blueprint.view import Connection, SystemView

Key = tuple[str, str, int | None, str]  # (source, destination, port, protocol)


class Reader(Protocol):
    target: str  # the generator whose files it reads

    def read(self, files: Mapping[str, str]) -> set[Key]:
        """Every connection the rendered files allow (a key per source, destination, port)."""
        ...

    def in_scope(self, view: SystemView, connection: Connection) -> bool:
        """Whether this target's files decide `connection` (so it must appear in `read`)."""
        ...


@dataclass(frozen=True)
class Difference:
    extra: tuple[Key, ...]  # allowed, not intended
    missing: tuple[Key, ...]  # intended, not allowed

    def __bool__(self) -> bool:
        return bool(self.extra or self.missing)

    def report(self) -> str:
        lines = [f"allowed but not intended: {_key(k)}" for k in self.extra]
        lines += [f"intended but not allowed: {_key(k)}" for k in self.missing]
        return "\n".join(lines)


def _key(k: Key) -> str:
    source, destination, port, protocol = k
    return f"{source} -> {destination} {protocol}/{'*' if port is None else port}"


def intended(view: SystemView, reader: Reader) -> set[Key]:
    return {c.key for c in view.connections if reader.in_scope(view, c)}


def difference(intended_keys: Iterable[Key], allowed_keys: Iterable[Key]) -> Difference:
    want, have = set(intended_keys), set(allowed_keys)
    return Difference(tuple(sorted(have - want, key=str)), tuple(sorted(want - have, key=str)))
