"""Helpers for the policy tests: run the engine on a YAML text, keep one rule's findings."""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from collections.abc import Iterable
from dataclasses import replace

import yaml_rs

from blueprint.loader import Loaded, load_source, source_from_bytes
from blueprint.model import Blueprint
from policies.context import Context
from policies.engine import run_checks
from policies.findings import Finding
from policies.rules.base import Hit, Rule

TODAY = dt.date(2026, 6, 1)
FILE = "blueprint.yaml"


def findings(text: str, rule: str | None = None, *, env: str | None = None) -> list[Finding]:
    loaded = load_source(
        source_from_bytes(textwrap.dedent(text).encode(), FILE), environment=env, support=False
    )
    found = run_checks(loaded, today=TODAY)
    return [f for f in found if rule is None or f.rule_id == rule]


def unchecked(text: str, rule: str) -> list[Finding]:
    """Findings for a blueprint the loader's cross-reference checks would reject (to prove a
    rule holds on its own, e.g. overlapping subnets)."""
    text = textwrap.dedent(text)
    source = source_from_bytes(text.encode(), FILE)
    bp = Blueprint.model_validate(yaml_rs.loads(text))
    return [f for f in run_checks(Loaded(bp, source), today=TODAY) if f.rule_id == rule]


def finding(
    rule: str,
    severity: str,
    subject: str,
    message: str,
    evidence: tuple[str, ...],
    line: int,
    col: int,
) -> Finding:
    return Finding(rule, severity, message, subject, evidence, FILE, line, col)  # type: ignore[arg-type]


def ran(rule: Rule) -> Hit:
    """The one hit of a rule made by `only_in_a_child`, when it runs in the parent."""
    return Hit(f"rules.{rule.id}", f"{rule.id} ran", (), ("name",))


def only_in_a_child(rule: Rule, parent: int, failure: str) -> Rule:
    """`rule`, failing in any process but `parent`: raising (`failure="raise"`), or dying
    without a word."""

    def check(ctx: Context) -> Iterable[Hit]:
        if os.getpid() != parent:
            if failure == "raise":
                raise RuntimeError("only in the child")
            os._exit(0)
        return [ran(rule)]

    return replace(rule, check=check)
