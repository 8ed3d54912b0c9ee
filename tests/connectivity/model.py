"""What the cloud readers add to tests/connectivity/compare.py: the openings (who a way in
admits, by CIDR) beside the connections, and one line per disagreement both ways.

A cloud reader's parser turns one target's files into a `Readback`; `intended_openings` picks
the view's exposures of the subjects it renders; `differences` names every connection open
without being intended, every intended one the render does not let through, and every way in
whose admitted sources differ.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from blueprint.view import SystemView
from tests.connectivity.compare import Key

# (target, port, protocol) -> the CIDRs admitted: an exposure as a network shows it.
Opening = tuple[str, int | None, str]


@dataclass
class Readback:
    connections: set[Key] = field(default_factory=set)
    openings: dict[Opening, set[str]] = field(default_factory=dict)

    def open(self, target: str, port: int | None, protocol: str, cidr: str) -> None:
        self.openings.setdefault((target, port, protocol), set()).add(cidr)


def intended_openings(view: SystemView, targets: Iterable[str]) -> dict[Opening, set[str]]:
    wanted = set(targets)
    out: dict[Opening, set[str]] = {}
    for e in view.exposures:
        if e.target in wanted:
            out.setdefault((e.target, e.port, e.protocol), set()).update(e.sources)
    return out


def differences(
    want: set[Key],
    got: set[Key],
    want_open: dict[Opening, set[str]] | None = None,
    got_open: dict[Opening, set[str]] | None = None,
) -> list[str]:
    """One line per disagreement, both ways; empty when the render is the intent."""
    lines = [f"open but not intended: {_show(k)}" for k in sorted(got - want, key=str)]
    lines += [f"intended but blocked: {_show(k)}" for k in sorted(want - got, key=str)]
    for opening in sorted(set(want_open or {}) | set(got_open or {}), key=str):
        w = (want_open or {}).get(opening, set())
        g = (got_open or {}).get(opening, set())
        if w != g:
            lines.append(
                f"{opening[0]}:{opening[1]}/{opening[2]} admits {sorted(g)}, intended {sorted(w)}"
            )
    return lines


def _show(k: Key) -> str:
    return f"{k[0]} -> {k[1]}:{k[2]}/{k[3]}"
