"""Reporters: grouped text, JSON, SARIF 2.1.0 valid against the OASIS schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from blueprint.loader import load
from policies.engine import run_checks
from policies.findings import Finding
from policies.registry import RULES
from policies.report import render, sarif
from tests.conftest import EXAMPLES, ROOT, TEST_DATA
from tests.support import load_example

SCHEMA = json.loads((TEST_DATA / "schemas" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
SEED = sorted((TEST_DATA / "seed_defects").glob("*.yaml"))


def validate(log: dict[str, object]) -> None:
    jsonschema.Draft4Validator(SCHEMA).validate(log)


@pytest.mark.parametrize("name", EXAMPLES)
def test_sarif_of_examples_validates(name: str) -> None:
    validate(json.loads(render(run_checks(load_example(name)), "sarif")))


@pytest.mark.parametrize("path", SEED, ids=[p.stem for p in SEED])
def test_sarif_of_seed_defects_validates_and_points_at_lines(path: Path) -> None:
    found = run_checks(load(path, name=f"seed/{path.name}", support=False))
    log = sarif(found)
    validate(log)
    results = log["runs"][0]["results"]  # type: ignore[index]
    assert [
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results
    ] == [(f.rule_id, f.line) for f in found]
    assert all(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == f"seed/{path.name}"
        for r in results
    )


def test_sarif_carries_rule_metadata_with_doc_anchors() -> None:
    driver = sarif([])["runs"][0]["tool"]["driver"]  # type: ignore[index]
    docs = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert [r["id"] for r in driver["rules"]] == [r.id for r in RULES]
    for rule in driver["rules"]:
        anchor = rule["helpUri"].rsplit("#", 1)[1]
        assert f'<a id="{anchor}"></a>' in docs
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")


def test_waived_finding_is_a_suppressed_sarif_result() -> None:
    f = Finding("BP4001", "error", "m", "services.web", (), "b.yaml", 3, 5, waived_by="w")
    [result] = sarif([f])["runs"][0]["results"]  # type: ignore[index]
    assert result["suppressions"] == [
        {"kind": "inSource", "status": "accepted", "justification": "w"}
    ]
    validate(sarif([f]))


FINDINGS = [
    Finding("BP3003", "note", "a note", "resources.db", (), "b.yaml", 9, 3),
    Finding("BP4001", "error", "an error", "services.web", (), "b.yaml", 5, 3),
    Finding("BP4002", "warning", "a\nwarning", "services.api", (), "b.yaml", 7, 3),
    Finding("BP2005", "error", "waived one", "ingress.lb", (), "b.yaml", 2, 3, waived_by="w0"),
]


def test_text_groups_by_severity_then_waived() -> None:
    assert render(FINDINGS, "text") == (
        "b.yaml:5:3: error BP4001 services.web: an error\n"
        "b.yaml:7:3: warning BP4002 services.api: a warning\n"
        "b.yaml:9:3: note BP3003 resources.db: a note\n"
        "b.yaml:2:3: waived BP2005 ingress.lb: waived one\n"
        "    waived by w0\n"
        "1 error(s), 1 warning(s), 1 note(s), 1 waived\n"
    )


def test_text_colours_only_when_asked() -> None:
    assert "\033[" not in render(FINDINGS, "text")
    assert re.search(r"\033\[31merror\033\[0m", render(FINDINGS, "text", color=True))


def test_json_report() -> None:
    doc = json.loads(render(FINDINGS[:1], "json"))
    assert doc == {
        "findings": [
            {
                "column": 3,
                "evidence": [],
                "file": "b.yaml",
                "line": 9,
                "message": "a note",
                "rule": "BP3003",
                "severity": "note",
                "subject": "resources.db",
                "waived_by": None,
            }
        ]
    }
