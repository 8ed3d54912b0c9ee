"""Reporting findings: text, JSON, SARIF (the policy-engine issue fills in the formats)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from policies.findings import Finding


def text(findings: Sequence[Finding]) -> str:
    return "".join(
        f"{f.file}:{f.line}:{f.col}: {f.severity} {f.rule_id} {f.subject}: {f.message}\n"
        for f in findings
    )


def as_json(findings: Sequence[Finding]) -> str:
    rows = [
        {
            "rule": f.rule_id,
            "severity": f.severity,
            "message": f.message,
            "subject": f.subject,
            "evidence": list(f.evidence),
            "file": f.file,
            "line": f.line,
            "column": f.col,
        }
        for f in findings
    ]
    return json.dumps({"findings": rows}, indent=2, sort_keys=True) + "\n"


def blocking_summary(errors: Sequence[Finding], source: str) -> str:
    lines = [text(errors).rstrip("\n")]
    lines.append(
        f"render refused: {len(errors)} error finding(s) in {source}. Fix them, or waive one "
        "under policy.waivers with rule, subject, owner, reason and expires."
    )
    return "\n".join(lines)


def render(findings: Sequence[Finding], fmt: str, *, color: bool = False) -> str:
    del color
    if fmt == "json":
        return as_json(findings)
    if fmt == "sarif":
        raise NotImplementedError("SARIF arrives with the policy-engine issue")
    return text(findings)
