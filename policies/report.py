"""Reporting findings: grouped text (colour on a terminal only), JSON, SARIF 2.1.0 and JUnit."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from json.encoder import encode_basestring as spelled
from typing import Any
from urllib.parse import quote

from policies.findings import SEVERITY_RANK, Finding

COLORS = {"error": "\033[31m", "warning": "\033[33m", "note": "\033[36m", "waived": "\033[2m"}
RESET = "\033[0m"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/blueprint-dev/blueprint"


def _line(f: Finding, color: bool) -> str:
    label = "waived" if f.waived_by is not None else f.severity
    shown = f"{COLORS[label]}{label}{RESET}" if color else label
    text = f"{f.file}:{f.line}:{f.col}: {shown} {f.rule_id} {f.subject}: {_one_line(f.message)}"
    if f.waived_by is not None:
        text += f"\n    waived by {_one_line(f.waived_by)}"
    return text + "\n"


def _one_line(value: str) -> str:
    return " ".join(value.split())


def text(findings: Sequence[Finding], *, color: bool = False) -> str:
    """Unwaived findings grouped by severity (errors first), then waived ones, then a count."""
    active = [f for f in findings if f.waived_by is None]
    waived = [f for f in findings if f.waived_by is not None]
    out: list[str] = []
    for severity in ("error", "warning", "note"):
        out.extend(_line(f, color) for f in active if f.severity == severity)
    out.extend(_line(f, color) for f in waived)
    out.append(summary(findings) + "\n")
    return "".join(out)


def summary(findings: Sequence[Finding]) -> str:
    counts = dict.fromkeys(SEVERITY_RANK, 0)
    waived = 0
    for f in findings:
        if f.waived_by is None:
            counts[f.severity] += 1
        else:
            waived += 1
    return (
        f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['note']} note(s), "
        f"{waived} waived"
    )


def as_json(findings: Sequence[Finding]) -> str:
    """`{"findings": [...]}`, as `json.dumps(..., indent=2, sort_keys=True,
    ensure_ascii=False)` writes it: each finding spelled straight into its lines, its keys in
    their sorted order and each string through json's own C escaper (json.dumps with `indent`
    leaves its C encoder, and the general `dumps_indented` sorts and dispatches every value:
    2.5x slower on 7,500 findings)."""
    if not findings or not all(map(_plain, findings)):
        from blueprint.json_text import dumps_indented

        return dumps_indented({"findings": [_row(f) for f in findings]}) + "\n"
    return '{\n  "findings": [\n    ' + ",\n    ".join(map(_row_text, findings)) + "\n  ]\n}\n"


def _plain(f: Finding) -> bool:
    """Numbers, evidence and waiver of exactly their declared types, as `_row_text` spells
    them: anything else, such as a bool for a line, is left to the general writer. (The
    strings go through json's own escaper, which refuses anything but a string.)"""
    return (
        type(f.line) is int
        and type(f.col) is int
        and type(f.evidence) is tuple
        and (f.waived_by is None or isinstance(f.waived_by, str))
    )


def _row_text(f: Finding) -> str:
    evidence = (
        "[\n        " + ",\n        ".join(map(spelled, f.evidence)) + "\n      ]"
        if f.evidence
        else "[]"
    )
    return (
        f'{{\n      "column": {f.col},\n      "evidence": {evidence},'
        f'\n      "file": {spelled(f.file)},\n      "line": {f.line},'
        f'\n      "message": {spelled(f.message)},\n      "rule": {spelled(f.rule_id)},'
        f'\n      "severity": {spelled(f.severity)},\n      "subject": {spelled(f.subject)},'
        f'\n      "waived_by": {"null" if f.waived_by is None else spelled(f.waived_by)}\n    }}'
    )


def _row(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule_id,
        "severity": f.severity,
        "message": f.message,
        "subject": f.subject,
        "evidence": list(f.evidence),
        "file": f.file,
        "line": f.line,
        "column": f.col,
        "waived_by": f.waived_by,
    }


def sarif(findings: Sequence[Finding]) -> dict[str, Any]:
    """A SARIF 2.1.0 log: every rule with its metadata, one result per finding, located on the
    blueprint's lines; waived findings carry a suppression with the waiver's reason."""
    from blueprint import __version__
    from policies.registry import RULES

    index = {r.id: i for i, r in enumerate(RULES)}
    uris: dict[str, str] = {}  # the findings' few files, each quoted once
    results = []
    for f in findings:
        uri = uris.get(f.file)
        if uri is None:
            uri = uris[f.file] = quote(f.file)
        results.append(_sarif_result(f, uri, index.get(f.rule_id)))
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "blueprint",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_sarif_rule(r) for r in RULES],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _sarif_rule(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "name": r.name,
        "shortDescription": {"text": r.title},
        "fullDescription": {"text": r.rationale},
        "help": {"text": f"{r.rationale}\n\nFix: {r.fix}", "markdown": _help_md(r)},
        "helpUri": r.help_uri,
        "defaultConfiguration": {"level": r.severity},
        # Control mappings as tags (cis-aws:5.2, nist-800-53:SC-7): code-scanning UIs
        # filter on them.
        "properties": {"tags": [_family(r.id), *r.controls]},
    }


def _sarif_result(f: Finding, uri: str, rule_index: int | None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "level": f.severity,
        "message": {"text": f.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": {"startLine": f.line, "startColumn": f.col},
                },
                "logicalLocations": [{"fullyQualifiedName": f.subject, "kind": "member"}],
            }
        ],
        "partialFingerprints": {"blueprintFinding/v1": _fingerprint(f)},
        "properties": {"subject": f.subject, "evidence": list(f.evidence)},
    }
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    if f.waived_by is not None:
        result["suppressions"] = [
            {"kind": "inSource", "status": "accepted", "justification": f.waived_by}
        ]
    return result


def _help_md(rule: Any) -> str:
    return f"**{rule.title}**\n\n{rule.rationale}\n\n**Fix:** {rule.fix}"


def _family(rule_id: str) -> str:
    return {
        "1": "identity",
        "2": "network",
        "3": "reliability",
        "4": "secrets-and-observability",
        "5": "supply-chain",
        "9": "policy",
    }.get(rule_id[2], "other")


def fingerprint(f: Finding) -> str:
    """The finding's identity across runs: rule, subject and evidence (SARIF and baselines)."""
    return _fingerprint(f)


def _fingerprint(f: Finding) -> str:
    # Stable while the finding is the same finding, even when lines move.
    key = "\x1f".join((f.rule_id, f.subject, *f.evidence))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def blocking_summary(errors: Sequence[Finding], source: str) -> str:
    """What `blueprint render` prints when it refuses to write."""
    blocking = [f for f in errors if f.blocking]
    lines = [_line(f, False).rstrip("\n") for f in blocking]
    first = blocking[0] if blocking else None
    lines.append(
        f"render refused: {len(blocking)} error finding(s) in {source}; nothing was written. "
        "Fix them, or waive one under policy.waivers with rule, subject, owner, reason and "
        "expires"
        + (
            f", e.g. {{rule: {first.rule_id}, subject: {first.subject}, owner: ..., "
            "reason: ..., expires: YYYY-MM-DD}"
            if first
            else ""
        )
        + "."
    )
    return "\n".join(lines)


def render(findings: Sequence[Finding], fmt: str, *, color: bool = False) -> str:
    if fmt == "junit":
        from policies.junit import junit

        return junit(findings)
    if fmt == "json":
        return as_json(findings)
    if fmt == "sarif":
        from blueprint.json_text import dumps_indented

        return dumps_indented(sarif(findings)) + "\n"
    return text(findings, color=color)
