"""What a rule reports, once the engine has applied severities, waivers and positions."""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from typing import Literal

# A finding's place in a report: one tuple of its fields built in C, not by a method in Python.
SORT_KEY = operator.attrgetter("file", "line", "col", "rule_id", "subject", "message", "evidence")

Severity = Literal["error", "warning", "note"]
SEVERITY_RANK: dict[str, int] = {"note": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: Severity
    message: str  # quotes the values: "10.0.1.0/24 overlaps 10.0.0.0/23 (subnet private-a)"
    subject: str  # stable dotted path: services.web
    evidence: tuple[str, ...] = ()  # the path through the graph that proves it
    file: str = ""
    line: int = 1
    col: int = 1
    # "policy.waivers[0] (owner, until 2026-12-31): reason" when a waiver covers the finding.
    waived_by: str | None = field(default=None, compare=False)

    def sort_key(self) -> tuple[str, int, int, str, str, str, tuple[str, ...]]:
        return SORT_KEY(self)

    @property
    def blocking(self) -> bool:
        """An unwaived error: what makes `blueprint render` refuse to write."""
        return self.severity == "error" and self.waived_by is None
