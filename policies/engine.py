"""Running the rules over a loaded blueprint: severities, waivers, positions, order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from blueprint.gc_pause import paused_gc
from policies.findings import SORT_KEY, Finding
from policies.positions import locator
from policies.registry import BY_ID, CHECKS, EXPIRED_WAIVER, UNKNOWN_RULE, UNMATCHED_WAIVER
from policies.rules.base import Hit, Rule, YamlPath

if TYPE_CHECKING:
    from blueprint.loader import Loaded
    from blueprint.model import Blueprint, Waiver
    from policies.early_split import Started
    from policies.positions import Locate, Mark


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs 2.5x, once per hit
class _Pending:
    rule: Rule
    severity: str
    hit: Hit
    waived_by: str | None = None


def run_checks(
    loaded: Loaded,
    *,
    today: dt.date | None = None,
    rules: Sequence[Rule] = CHECKS,
    blocking_only: bool = False,
    cores: int = 1,
    started: Started | None = None,
) -> list[Finding]:
    """Every finding for the blueprint, severity overrides and waivers applied, positioned on
    the blueprint's lines and sorted. Waived findings are kept, with `waived_by` set.

    `blocking_only`: only the unwaived errors, what stops a render. The rules that cannot
    report an error are not run (unless a waiver names them: whether it still matches is a
    finding of its own), and no other finding is positioned.

    `cores`: how many cores this blueprint may use; with two or more, a large system's rules
    run in two processes (`policies.split_run`), with the same findings.

    `started`: the child `policies.early_split` forked for this blueprint while it was being
    validated, running the rules that read the graph; the others are run here, without one."""
    with paused_gc():
        return _run_checks(loaded, today, rules, blocking_only, cores, started)


def _run_checks(
    loaded: Loaded,
    today: dt.date | None,
    rules: Sequence[Rule],
    blocking_only: bool,
    cores: int,
    started: Started | None,
) -> list[Finding]:
    from policies import split_run
    from policies.context import Context

    bp = loaded.blueprint
    ctx = Context(bp)  # the graph is built by the first rule that reads it
    overrides = bp.policy.severity
    if blocking_only:
        waived = {waiver.rule for waiver in bp.policy.waivers}
        rules = [r for r in rules if overrides.get(r.id, r.severity) == "error" or r.id in waived]
    active = [(rule, overrides.get(rule.id, rule.severity)) for rule in rules]
    active = [(rule, severity) for rule, severity in active if severity != "off"]
    locate = locator(loaded.source)
    marks: dict[YamlPath, Mark] = {}
    hits: Sequence[Iterable[Hit]]
    if started is not None:
        hits, marks = started.collect(ctx, [rule for rule, _ in active], locate)
    elif not blocking_only and split_run.worthwhile(bp, cores):
        hits, marks = split_run.run_rules(ctx, [rule for rule, _ in active], locate)
    else:
        hits = [rule.check(ctx) for rule, _ in active]
    pending: list[_Pending] = []
    for (rule, severity), rule_hits in zip(active, hits, strict=True):
        pending.extend(_Pending(rule, severity, hit) for hit in rule_hits)
    pending = _apply_waivers(bp, pending, today or dt.date.today())
    pending.extend(_unknown_rules(bp))
    if blocking_only:
        pending = [p for p in pending if p.severity == "error" and p.waived_by is None]
    return _positioned(loaded, pending, marks, locate)


def _meta(bp: Blueprint, rule: Rule, hit: Hit) -> list[_Pending]:
    severity = bp.policy.severity.get(rule.id, rule.severity)
    return [] if severity == "off" else [_Pending(rule, severity, hit)]


def _apply_waivers(bp: Blueprint, pending: list[_Pending], today: dt.date) -> list[_Pending]:
    if not bp.policy.waivers:
        return list(pending)  # nothing to match: no index of every finding (4 ms at 7,550)
    by_key: dict[tuple[str, str], list[int]] = {}
    for i, p in enumerate(pending):
        by_key.setdefault((p.rule.id, p.hit.subject), []).append(i)
    out = list(pending)
    meta: list[_Pending] = []
    for index, waiver in enumerate(bp.policy.waivers):
        where: YamlPath = ("policy", "waivers", index)
        subject = f"policy.waivers.{index}"
        label = f"waiver for {waiver.rule} on {waiver.subject}"
        if waiver.expires < today:
            meta += _meta(
                bp,
                EXPIRED_WAIVER,
                Hit(
                    subject,
                    f"{label} (owner {waiver.owner}) expired on {waiver.expires.isoformat()}; "
                    "the finding is reported again",
                    (subject, waiver.subject),
                    where,
                ),
            )
            continue
        matches = by_key.get((waiver.rule, waiver.subject), [])
        if not matches:
            meta += _meta(
                bp,
                UNMATCHED_WAIVER,
                Hit(
                    subject,
                    f"{label} matches no finding; delete it",
                    (subject, waiver.subject),
                    where,
                ),
            )
            continue
        for i in matches:
            beyond = _beyond(waiver, out[i].hit.evidence)
            if beyond:
                meta += _meta(
                    bp,
                    UNMATCHED_WAIVER,
                    Hit(
                        subject,
                        f"{label} no longer covers its finding: the evidence now also "
                        f"reaches {', '.join(beyond)}",
                        (subject, waiver.subject, *beyond),
                        where,
                    ),
                )
                continue
            out[i] = _Pending(out[i].rule, out[i].severity, out[i].hit, _describe(index, waiver))
    return out + meta


def _beyond(waiver: Waiver, evidence: tuple[str, ...]) -> list[str]:
    if waiver.evidence is None:
        return []
    recorded = set(waiver.evidence)
    return [e for e in evidence if e not in recorded]


def _describe(index: int, waiver: Waiver) -> str:
    return (
        f"policy.waivers[{index}] ({waiver.owner}, until {waiver.expires.isoformat()}): "
        f"{waiver.reason}"
    )


def _unknown_rules(bp: Blueprint) -> list[_Pending]:
    out: list[_Pending] = []
    for rule_id in bp.policy.severity:
        if rule_id not in BY_ID:
            out += _meta(
                bp,
                UNKNOWN_RULE,
                Hit(
                    f"policy.severity.{rule_id}",
                    f"severity override for unknown rule {rule_id}; `blueprint rules` lists "
                    "the rules",
                    (f"policy.severity.{rule_id}",),
                    ("policy", "severity", rule_id),
                ),
            )
    for index, waiver in enumerate(bp.policy.waivers):
        if waiver.rule not in BY_ID:
            out += _meta(
                bp,
                UNKNOWN_RULE,
                Hit(
                    f"policy.waivers.{index}",
                    f"waiver for unknown rule {waiver.rule}; `blueprint rules` lists the rules",
                    (f"policy.waivers.{index}",),
                    ("policy", "waivers", index, "rule"),
                ),
            )
    return out


def _positioned(
    loaded: Loaded, pending: list[_Pending], known: dict[YamlPath, Mark], locate: Locate
) -> list[Finding]:
    """The findings, each on its line: from `known`, else located here."""
    if not pending:
        return []
    paths = [p.hit.path for p in pending]
    # In first-seen order, each located once.
    missing = [path for path in dict.fromkeys(paths) if path not in known]
    by_path = known | dict(zip(missing, locate(missing), strict=True))
    name = loaded.source.name
    findings: list[Finding] = []
    for p, path in zip(pending, paths, strict=True):
        hit = p.hit
        mark = by_path[path]
        # Positional arguments: a frozen dataclass's __init__ takes keywords 1.5x slower.
        findings.append(
            Finding(
                p.rule.id,
                p.severity,  # type: ignore[arg-type]  # "off" was filtered out
                hit.message,
                hit.subject,
                hit.evidence,
                name,
                mark[0],
                mark[1],
                p.waived_by,
            )
        )
    findings.sort(key=SORT_KEY)  # Finding.sort_key, built in C
    return findings
