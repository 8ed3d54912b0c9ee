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

    @property
    def path(self) -> YamlPath:
        """Where the finding is placed: `location`, else the subject's key."""
        return self.location or subject_path(self.subject)


# The frameworks a rule's controls come from, by the key `blueprint rules --framework` takes.
FRAMEWORKS: dict[str, str] = {
    "cis-aws": "CIS Amazon Web Services Foundations Benchmark v3.0.0",
    "cis-kubernetes": "CIS Kubernetes Benchmark v1.8.0",
    "nist-800-53": "NIST SP 800-53 Rev. 5",
}


@dataclass(frozen=True)
class Example:
    """A bad and a fixed blueprint for a rule: `blueprint explain` shows them and the rule
    tests run them (the bad one must raise the rule, the good one must not)."""

    bad: str
    good: str


@dataclass(frozen=True)
class Rule:
    id: str
    name: str  # short kebab-case name, for SARIF
    title: str
    severity: Severity
    rationale: str
    fix: str
    check: Callable[[Context], Iterable[Hit]]
    example: Example
    # "framework:control" for each control the rule evidences: "cis-aws:1.16", "nist-800-53:AC-6".
    controls: tuple[str, ...] = ()
    # False for a rule that reads only the blueprint, never `ctx.graph` (nor the view and the
    # tables built from it): `blueprint check` of a large system runs such rules while a child
    # process builds the graph for the others (`policies.early_split`). A wrong False only
    # costs time, the graph being built where it is first read; tests/policies/
    # test_reads_graph.py holds every rule to what it says.
    reads_graph: bool = True

    def controls_of(self, framework: str) -> tuple[str, ...]:
        """The rule's control ids in `framework` (a key of FRAMEWORKS)."""
        prefix = f"{framework}:"
        return tuple(c.removeprefix(prefix) for c in self.controls if c.startswith(prefix))

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
