"""The explicit registry of rules (the policy-engine issue fills it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleInfo:
    id: str
    title: str
    severity: str
    rationale: str
    fix: str

    @property
    def anchor(self) -> str:
        return self.id.lower()


RULES: tuple[RuleInfo, ...] = ()


def find(rule_id: str) -> RuleInfo | None:
    return next((r for r in RULES if r.id == rule_id.upper()), None)
