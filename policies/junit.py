"""JUnit XML for CI systems that read test reports (GitLab, Jenkins, Azure Pipelines).

One test suite per rule family, one test case per finding: unwaived findings fail (the failure
type is the severity), waived ones are skipped with the waiver; a clean check is one passing
case, so the CI still shows that the check ran. No timestamps: the same findings give the
same bytes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.etree import ElementTree as ET

from policies.findings import Finding

# Characters XML 1.0 cannot carry even escaped; a blueprint's double-quoted strings can hold them.
_NOT_XML = re.compile("[^\\x09\\x0A\\x0D\\x20-\\uD7FF\\uE000-\\uFFFD\\U00010000-\\U0010FFFF]")


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def junit(findings: Sequence[Finding]) -> str:
    suites = ET.Element("testsuites", name="blueprint check")
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        by_file.setdefault(f.file, []).append(f)
    total = failures = skipped = 0
    for file, group in sorted(by_file.items()):
        suite = ET.SubElement(suites, "testsuite", name=_text(file))
        for f in group:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f.rule_id,
                name=_text(f"{f.subject} ({f.file}:{f.line}:{f.col})"),
                file=_text(f.file),
                line=str(f.line),
            )
            if f.waived_by is not None:
                ET.SubElement(case, "skipped", message=_text(f"waived by {f.waived_by}"))
                skipped += 1
            else:
                failure = ET.SubElement(case, "failure", type=f.severity, message=_text(f.message))
                failure.text = _text(
                    f"{f.file}:{f.line}:{f.col}: {f.severity} {f.rule_id} {f.subject}: "
                    f"{f.message}" + "".join(f"\n  {e}" for e in f.evidence)
                )
                failures += 1
        _count(suite, len(group), sum(1 for f in group if f.waived_by is None), skipped_of(group))
        total += len(group)
    if not findings:
        suite = ET.SubElement(suites, "testsuite", name="blueprint")
        ET.SubElement(suite, "testcase", classname="blueprint", name="no findings")
        _count(suite, 1, 0, 0)
        total = 1
    _count(suites, total, failures, skipped)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


def skipped_of(group: Sequence[Finding]) -> int:
    return sum(1 for f in group if f.waived_by is not None)


def _count(element: ET.Element, tests: int, failures: int, skipped: int) -> None:
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", "0")
    element.set("skipped", str(skipped))
