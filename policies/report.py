"""Reporting findings: grouped text (colour on a terminal only), JSON, SARIF 2.1.0 and JUnit."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from json.encoder import encode_basestring
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
    ensure_ascii=False)` writes it."""
    try:
        return _json_document([_json_row(f) for f in findings])
    except _NotPlainError:
        rows = [_row(f) for f in findings]
        return json.dumps({"findings": rows}, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


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


# With `indent`, json.dumps leaves its C encoder for a pure-Python generator (0.15 s of CPU for
# the 7,550 findings of a 5,000-service check). The rows have one fixed shape, so they are
# written directly: keys in sorted order, strings through json's own (C) escaper, the same
# separators and indentation; tests/policies/test_fast_paths.py compares it with json.dumps.
class _NotPlainError(Exception):
    """A field of another type than the finding declares: left to json.dumps."""


def _json_document(rows: list[str]) -> str:
    if not rows:
        return '{\n  "findings": []\n}\n'
    return '{\n  "findings": [\n' + ",\n".join(rows) + "\n  ]\n}\n"


def _json_evidence(f: Finding, indent: int) -> str:
    """The finding's evidence as a JSON array with its items at `indent`; _NotPlainError when
    the fields the writers read directly are not of their declared types."""
    if type(f.line) is not int or type(f.col) is not int or type(f.evidence) is not tuple:
        raise _NotPlainError
    if not f.evidence:
        return "[]"
    pad = "\n" + " " * indent
    return "[" + pad + ("," + pad).join([_json_str(e) for e in f.evidence]) + pad[:-2] + "]"


def _json_row(f: Finding) -> str:
    evidence = _json_evidence(f, 8)
    waiver = "null" if f.waived_by is None else _json_str(f.waived_by)
    return (
        "    {\n"
        f'      "column": {int.__repr__(f.col)},\n'
        f'      "evidence": {evidence},\n'
        f'      "file": {_json_str(f.file)},\n'
        f'      "line": {int.__repr__(f.line)},\n'
        f'      "message": {_json_str(f.message)},\n'
        f'      "rule": {_json_str(f.rule_id)},\n'
        f'      "severity": {_json_str(f.severity)},\n'
        f'      "subject": {_json_str(f.subject)},\n'
        f'      "waived_by": {waiver}\n'
        "    }"
    )


def _json_str(value: object) -> str:
    if not isinstance(value, str):
        raise _NotPlainError
    return str(encode_basestring(value))


def sarif(findings: Sequence[Finding]) -> dict[str, Any]:
    """A SARIF 2.1.0 log: every rule with its metadata, one result per finding, located on the
    blueprint's lines; waived findings carry a suppression with the waiver's reason."""
    from blueprint import __version__
    from policies.registry import RULES

    index = _rule_index()
    rules = [
        {
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
        for r in RULES
    ]
    results = []
    for f in findings:
        result: dict[str, Any] = {
            "ruleId": f.rule_id,
            "level": f.severity,
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": quote(f.file)},
                        "region": {"startLine": f.line, "startColumn": f.col},
                    },
                    "logicalLocations": [{"fullyQualifiedName": f.subject, "kind": "member"}],
                }
            ],
            "partialFingerprints": {"blueprintFinding/v1": _fingerprint(f)},
            "properties": {"subject": f.subject, "evidence": list(f.evidence)},
        }
        if f.rule_id in index:
            result["ruleIndex"] = index[f.rule_id]
        if f.waived_by is not None:
            result["suppressions"] = [
                {"kind": "inSource", "status": "accepted", "justification": f.waived_by}
            ]
        results.append(result)
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
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _rule_index() -> dict[str, int]:
    from policies.registry import RULES

    return {r.id: i for i, r in enumerate(RULES)}


def _sarif_text(findings: Sequence[Finding]) -> str:
    """`json.dumps(sarif(findings), indent=2, sort_keys=True, ensure_ascii=False)`, byte for
    byte: the rules through `dumps_indented` (without json's pure-Python indenting encoder),
    the results, one fixed shape, written directly (0.5 s of CPU at 7,550 findings before;
    tests/policies/test_fast_paths.py compares both ways)."""
    from generators.common.json_text import dumps_indented

    head = dumps_indented(sarif([])) + "\n"
    if not findings:
        return head
    before, found, after = head.partition(_NO_RESULTS)
    index = _rule_index()
    try:
        results = [_sarif_result(f, index.get(f.rule_id)) for f in findings]
    except _NotPlainError:
        found = ""
    if not found:
        return dumps_indented(sarif(findings)) + "\n"
    return before + '"results": [\n' + ",\n".join(results) + "\n      ]" + after


_NO_RESULTS = '"results": []'  # once in the log: a key's quotes are never escaped


def _sarif_result(f: Finding, rule_index: int | None) -> str:
    """One result of `sarif`, as json.dumps writes it at its depth (keys sorted)."""
    evidence = _json_evidence(f, 14)
    subject = _json_str(f.subject)
    text = [
        "        {",
        f'          "level": {_json_str(f.severity)},',
        '          "locations": [',
        "            {",
        '              "logicalLocations": [',
        "                {",
        f'                  "fullyQualifiedName": {subject},',
        '                  "kind": "member"',
        "                }",
        "              ],",
        '              "physicalLocation": {',
        '                "artifactLocation": {',
        f'                  "uri": {_json_str(quote(f.file))}',
        "                },",
        '                "region": {',
        f'                  "startColumn": {int.__repr__(f.col)},',
        f'                  "startLine": {int.__repr__(f.line)}',
        "                }",
        "              }",
        "            }",
        "          ],",
        '          "message": {',
        f'            "text": {_json_str(f.message)}',
        "          },",
        '          "partialFingerprints": {',
        f'            "blueprintFinding/v1": {_json_str(_fingerprint(f))}',
        "          },",
        '          "properties": {',
        f'            "evidence": {evidence},',
        f'            "subject": {subject}',
        "          },",
        f'          "ruleId": {_json_str(f.rule_id)}',
    ]
    return "\n".join(_sarif_optional(text, rule_index, f.waived_by))


def _sarif_optional(text: list[str], rule_index: int | None, waived_by: str | None) -> list[str]:
    """A result's last keys: its rule's index, and the waiver's suppression."""
    if rule_index is not None:
        text[-1] += ","
        text.append(f'          "ruleIndex": {int.__repr__(rule_index)}')
    if waived_by is not None:
        text[-1] += ","
        text += [
            '          "suppressions": [',
            "            {",
            f'              "justification": {_json_str(waived_by)},',
            '              "kind": "inSource",',
            '              "status": "accepted"',
            "            }",
            "          ]",
        ]
    text.append("        }")
    return text


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
        return _sarif_text(findings)
    return text(findings, color=color)
