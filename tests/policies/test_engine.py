"""The engine: severity overrides (per environment), waivers, unknown rule ids, order."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

import pytest

from blueprint.loader import load_source, source_from_bytes
from policies.context import Context
from policies.engine import run_checks
from policies.findings import Finding
from policies.registry import CHECKS
from policies.rules.base import Hit, Rule
from tests.policies.support import FILE, TODAY, finding, findings

BASE = """\
name: t
platforms:
  kubernetes: {namespace: t}
services:
  web:
    platform: kubernetes
    replicas: 2
    health: {path: /}
    metrics: {path: /metrics}
    env: {DB_PASSWORD: hunter22}
  api:
    platform: kubernetes
    replicas: 2
"""
SECRET = finding(
    "BP4001",
    "error",
    "services.web",
    "env DB_PASSWORD looks like a secret (its name contains 'password') but is a plain value; "
    "move it to secrets: {DB_PASSWORD: {store: ..., key: ...}}",
    ("services.web", "services.web.env.DB_PASSWORD"),
    10,
    11,
)
NO_HEALTH = finding(
    "BP4002",
    "warning",
    "services.api",
    "service api has no health check and no metrics endpoint; declare health: {path: ...} (or "
    "kind grpc, tcp or exec) and metrics: {path: /metrics}",
    ("services.api",),
    11,
    3,
)


def test_findings_are_sorted_by_position() -> None:
    assert findings(BASE) == [SECRET, NO_HEALTH]


def test_severity_override_and_off() -> None:
    text = BASE + "policy:\n  severity: {BP4001: warning, BP4002: 'off'}\n"
    assert [(f.rule_id, f.severity) for f in findings(text)] == [("BP4001", "warning")]


def test_environment_severity_applies_with_env() -> None:
    text = BASE + "environments:\n  prod:\n    severity: {BP4002: error}\n"
    assert [f.severity for f in findings(text, "BP4002")] == ["warning"]
    assert [f.severity for f in findings(text, "BP4002", env="prod")] == ["error"]


def waiver(subject: str, expires: str = "2026-12-31", evidence: str = "") -> str:
    return (
        BASE
        + "policy:\n  waivers:\n"
        + f"    - {{rule: BP4001, subject: {subject}, owner: platform-team,\n"
        + f"       reason: rotated and moved next sprint, expires: {expires}{evidence}}}\n"
    )


def test_waiver_silences_exactly_its_subject() -> None:
    [waived] = findings(waiver("services.web"), "BP4001")
    assert waived == SECRET
    assert waived.waived_by == (
        "policy.waivers[0] (platform-team, until 2026-12-31): rotated and moved next sprint"
    )
    assert not waived.blocking


def test_waiver_on_another_subject_silences_nothing_and_is_reported() -> None:
    found = findings(waiver("services.api"))
    assert [f.waived_by for f in found if f.rule_id == "BP4001"] == [None]
    assert [f for f in found if f.rule_id == "BP9002"] == [
        finding(
            "BP9002",
            "warning",
            "policy.waivers.0",
            "waiver for BP4001 on services.api matches no finding; delete it",
            ("policy.waivers.0", "services.api"),
            16,
            7,
        )
    ]


def test_expired_waiver_stops_applying_and_is_reported() -> None:
    found = findings(waiver("services.web", expires="2026-01-31"))
    assert [f.waived_by for f in found if f.rule_id == "BP4001"] == [None]
    assert [f for f in found if f.rule_id == "BP9001"] == [
        finding(
            "BP9001",
            "warning",
            "policy.waivers.0",
            "waiver for BP4001 on services.web (owner platform-team) expired on 2026-01-31; the "
            "finding is reported again",
            ("policy.waivers.0", "services.web"),
            16,
            7,
        )
    ]


def test_waiver_with_recorded_evidence_covers_only_that_evidence() -> None:
    covered = ", evidence: [services.web, services.web.env.DB_PASSWORD]"
    [f] = findings(waiver("services.web", evidence=covered), "BP4001")
    assert f.waived_by is not None
    narrower = ", evidence: [services.web]"
    found = findings(waiver("services.web", evidence=narrower))
    assert [f.waived_by for f in found if f.rule_id == "BP4001"] == [None]
    assert [f.message for f in found if f.rule_id == "BP9002"] == [
        "waiver for BP4001 on services.web no longer covers its finding: the evidence now also "
        "reaches services.web.env.DB_PASSWORD"
    ]


def test_unknown_rule_ids_are_reported() -> None:
    text = waiver("services.web").replace("rule: BP4001", "rule: BP4999") + (
        "  severity: {BP0042: error}\n"
    )
    assert [(f.rule_id, f.subject, f.message) for f in findings(text) if f.rule_id == "BP9003"] == [
        (
            "BP9003",
            "policy.waivers.0",
            "waiver for unknown rule BP4999; `blueprint rules` lists the rules",
        ),
        (
            "BP9003",
            "policy.severity.BP0042",
            "severity override for unknown rule BP0042; `blueprint rules` lists the rules",
        ),
    ]


WARNING_WAIVER = (
    "policy:\n  severity: {{BP9002: error}}\n  waivers:\n    - {{rule: BP4002, subject: {subject},"
    " owner: oo, reason: reviewed in review, expires: 2026-12-31}}\n"
)


def blocking(text: str, *, blocking_only: bool) -> list[Finding]:
    loaded = load_source(source_from_bytes(text.encode(), FILE), support=False)
    found = run_checks(loaded, today=TODAY, blocking_only=blocking_only)
    return found if blocking_only else [f for f in found if f.blocking]


@pytest.mark.parametrize(
    "text",
    [
        BASE,
        waiver("services.web"),  # the only error waived: nothing blocks
        waiver("services.api"),
        waiver("services.web", expires="2026-01-31"),
        BASE + "policy:\n  severity: {BP4002: error, BP4001: warning}\n",
        # A waiver of a warning rule, "matches no finding" made an error: the waiver's rule
        # runs even though it cannot report an error itself.
        BASE + WARNING_WAIVER.format(subject="services.web"),
        BASE + WARNING_WAIVER.format(subject="services.api"),
    ],
)
def test_blocking_only_finds_exactly_the_blocking_findings(text: str) -> None:
    assert blocking(text, blocking_only=True) == blocking(text, blocking_only=False)


def test_blocking_only_runs_only_the_rules_that_can_block() -> None:
    ran: list[str] = []
    rules = [replace(r, check=_recording(r, ran)) for r in CHECKS]
    loaded = load_source(source_from_bytes(BASE.encode(), FILE), support=False)
    found = run_checks(loaded, today=TODAY, rules=rules, blocking_only=True)
    assert [f.rule_id for f in found] == ["BP4001"]
    assert set(ran) == {r.id for r in CHECKS if r.severity == "error"}


def _recording(rule: Rule, ran: list[str]) -> Callable[[Context], Iterable[Hit]]:
    def check(ctx: Context) -> Iterable[Hit]:
        ran.append(rule.id)
        return rule.check(ctx)

    return check
