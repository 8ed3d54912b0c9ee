"""Baselines: the findings a system had when blueprint was adopted, so `check` reports only new
ones. A finding matches a baseline entry by rule, subject and evidence fingerprint (the SARIF
partial fingerprint), never by line: moving text around keeps it matched, a grant that widens
(new evidence) does not."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from blueprint.errors import BlueprintError, Diagnostic
from policies.findings import Finding
from policies.report import fingerprint

VERSION = 1

Key = tuple[str, str, str]


def _key(f: Finding) -> Key:
    return (f.rule_id, f.subject, fingerprint(f))


def dumps(findings: Sequence[Finding]) -> str:
    """The baseline of the unwaived findings, sorted, one entry per finding."""
    rows = sorted(
        (
            {"rule": f.rule_id, "subject": f.subject, "fingerprint": fingerprint(f),
             "message": f.message}
            for f in findings
            if f.waived_by is None
        ),
        key=lambda r: (r["rule"], r["subject"], r["fingerprint"], r["message"]),
    )  # fmt: skip
    return json.dumps({"version": VERSION, "findings": rows}, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class Filtered:
    new: list[Finding]
    known: int  # findings the baseline matched (not reported)
    gone: int  # baseline entries no finding matched (fixed since)


def read(path: Path) -> Counter[Key]:
    shown = path.as_posix()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BlueprintError(
            [Diagnostic(shown, 1, 1, f"cannot read the baseline: {exc.strerror}")]
        ) from None
    except json.JSONDecodeError as exc:
        raise BlueprintError(
            [Diagnostic(shown, exc.lineno, exc.colno, f"bad JSON in the baseline: {exc.msg}")]
        ) from None
    entries = data.get("findings") if isinstance(data, dict) else None
    if (
        not isinstance(data, dict)
        or data.get("version") != VERSION
        or not isinstance(entries, list)
    ):
        raise BlueprintError(
            [Diagnostic(shown, 1, 1, "found no blueprint baseline, expected an object with "
                        f'"version": {VERSION} and "findings" (write one with --write-baseline)')]
        )  # fmt: skip
    keys: Counter[Key] = Counter()
    for index, entry in enumerate(entries):
        if not (isinstance(entry, dict) and all(
            isinstance(entry.get(k), str) for k in ("rule", "subject", "fingerprint")
        )):  # fmt: skip
            raise BlueprintError(
                [Diagnostic(shown, 1, 1, f"findings[{index}]: expected rule, subject and "
                            "fingerprint strings")]
            )  # fmt: skip
        keys[(entry["rule"], entry["subject"], entry["fingerprint"])] += 1
    return keys


def subtract(findings: Sequence[Finding], baseline: Counter[Key]) -> Filtered:
    """The findings not in the baseline; each entry matches one finding at most. Waived
    findings are kept as they are (the waiver already accounts for them)."""
    remaining = Counter(baseline)
    new: list[Finding] = []
    known = 0
    for f in findings:
        key = _key(f)
        if f.waived_by is None and remaining[key] > 0:
            remaining[key] -= 1
            known += 1
        else:
            new.append(f)
    return Filtered(new, known, sum(remaining.values()))
