"""What a rule is: identity, default severity, documentation, and a check over the context."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from policies.context import Context

Severity = Literal["error", "warning", "note"]
DOCS_URL = "https://github.com/blueprint-dev/blueprint/blob/main/docs/rules.md"
YamlPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Hit:
    """One violation as a rule sees it; the engine adds severity, waivers and the position."""

    subject: str  # stable dotted path: services.web
    message: str
    evidence: tuple[str, ...] = ()
    location: YamlPath | None = None  # where in the YAML; by default the subject's key


@dataclass(frozen=True)
class Rule:
    id: str
    name: str  # short kebab-case name, for SARIF
    title: str
    severity: Severity
    rationale: str
    fix: str
    check: Callable[[Context], Iterable[Hit]]

    @property
    def anchor(self) -> str:
        return self.id.lower()

    @property
    def help_uri(self) -> str:
        return f"{DOCS_URL}#{self.anchor}"


def subject_path(subject: str) -> YamlPath:
    """The YAML path of a subject: `networks.main.subnets.a` -> (networks, main, subnets, a)."""
    return tuple(subject.split("."))


def fmt_seconds(value: float) -> str:
    return f"{round(value, 6):g} s"
