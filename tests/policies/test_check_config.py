"""`blueprint check` with a repository configuration, a baseline, and JUnit output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import junitparser
import pytest

from tests.conftest import ROOT
from tests.support import run_cli

KAFKA = ROOT / "examples" / "kafka-workers" / "blueprint.yaml"
WARNING = (
    "warning BP3004 jobs.worker2: job worker2 writes database warehouse (table table2) with no "
    "retry and no buffer: while the database is down its writes are lost"
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository holding the kafka-workers example under systems/kafka/."""
    (tmp_path / "systems" / "kafka").mkdir(parents=True)
    shutil.copy(KAFKA, tmp_path / "systems" / "kafka" / "blueprint.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


BP = "systems/kafka/blueprint.yaml"


def test_without_configuration_a_warning_does_not_fail(repo: Path) -> None:
    code, out, _ = run_cli("check", BP)
    assert code == 0
    assert f"{BP}:41:9: {WARNING}" in out


def test_fail_on_from_pyproject_and_the_flag_overrides_it(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[tool.blueprint]\nfail-on = "warning"\n')
    assert run_cli("check", BP)[0] == 1
    assert run_cli("check", BP, "--fail-on", "error")[0] == 0


def test_the_nearest_configuration_wins_and_foreign_pyprojects_are_skipped(repo: Path) -> None:
    (repo / ".blueprint.toml").write_text('fail-on = "warning"\n')
    (repo / "systems" / "pyproject.toml").write_text("[tool.ruff]\nline-length = 90\n")
    assert run_cli("check", BP)[0] == 1  # the systems/ pyproject has no [tool.blueprint]
    (repo / "systems" / "kafka" / ".blueprint.toml").write_text('fail-on = "error"\n')
    assert run_cli("check", BP)[0] == 0


RULES = """\
fail-on = "warning"

[[rules]]
rule = "BP3004"
severity = "off"
environments = ["dev"]
reason = "dev data is thrown away nightly"

[[rules]]
rule = "BP3003"
severity = "warning"
reason = "a broker outage must be planned for"
"""


def test_rules_are_re_severitied_per_environment_with_the_reason_in_the_summary(
    repo: Path,
) -> None:
    (repo / ".blueprint.toml").write_text(RULES)
    text = (repo / BP).read_text()
    (repo / BP).write_text(text + "environments:\n  dev: {}\n")
    code, out, _ = run_cli("check", BP, "--env", "dev")
    assert code == 1  # the BP3003 notes became warnings
    lines = out.splitlines()
    assert not any("BP3004" in line for line in lines if line.startswith(BP))
    assert f"{BP}:43:3: warning BP3003 resources.kafka: if broker kafka fails, 3 workload(s) " \
        "stop: collectors, worker1, worker2" in lines  # fmt: skip
    assert lines[-3:] == [
        "0 error(s), 4 warning(s), 0 note(s), 0 waived",
        "config: BP3004 set to off in environment dev by .blueprint.toml: dev data is thrown "
        "away nightly",
        "config: BP3003 set to warning by .blueprint.toml: a broker outage must be planned for",
    ]
    # Without --env the dev-only setting does not apply.
    code, out, _ = run_cli("check", BP)
    assert f"{BP}:41:9: {WARNING}" in out
    assert "BP3004 set to off" not in out


def test_the_blueprints_own_severity_wins_over_the_configuration(repo: Path) -> None:
    (repo / ".blueprint.toml").write_text(RULES)
    text = (repo / BP).read_text()
    (repo / BP).write_text(text + "policy:\n  severity: {BP3003: note}\n")
    code, out, _ = run_cli("check", BP)
    assert code == 1  # fail-on warning, and BP3004 is a warning
    assert "note BP3003 resources.kafka" in out
    assert "config: BP3003" not in out


def test_render_honours_the_configured_severities(repo: Path) -> None:
    # A configuration that makes a finding an error blocks the render as the check reports it.
    (repo / ".blueprint.toml").write_text(
        '[[rules]]\nrule = "BP3004"\nseverity = "error"\nreason = "writes must never be lost"\n'
    )
    code, _, err = run_cli("render", BP, "--out", "out")
    assert code == 1
    assert err.startswith(f"{BP}:41:9: error BP3004 jobs.worker2:")
    assert not (repo / "out").exists()


def test_a_bad_configuration_is_reported_positioned(repo: Path) -> None:
    (repo / ".blueprint.toml").write_text(
        'fail-on = "sometimes"\n\n[[rules]]\nrule = "BP9999"\nseverity = "off"\n'
        'reason = "because we can"\n\n[[rules]]\nrule = "BP3004"\nseverity = "loud"\n'
        'reason = "short"\n'
    )
    code, out, err = run_cli("check", BP)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        ".blueprint.toml:1:1: fail-on: found 'sometimes', input should be 'error', 'warning' "
        "or 'note'",
        ".blueprint.toml:10:1: rules[1].severity: found 'loud', input should be 'error', "
        "'warning', 'note' or 'off'",
        ".blueprint.toml:11:1: rules[1].reason: found 'short', string should have at least 10 "
        "characters",
    ]


def test_an_unknown_rule_in_the_configuration_is_reported(repo: Path) -> None:
    (repo / ".blueprint.toml").write_text(
        '\n[[rules]]\nrule = "BP9999"\nseverity = "off"\nreason = "because we can"\n'
    )
    code, _, err = run_cli("check", BP)
    assert code == 2
    assert err == (
        ".blueprint.toml:3:1: rules[0].rule: unknown rule BP9999; `blueprint rules` lists the "
        "rules\n"
    )


def test_bad_toml_is_reported_with_its_position(repo: Path) -> None:
    (repo / "pyproject.toml").write_text("[tool.blueprint]\nfail-on = \n")
    code, _, err = run_cli("check", BP)
    assert code == 2
    assert err == "pyproject.toml:2:11: bad TOML: Invalid value (at line 2, column 11)\n"


def test_a_baseline_hides_the_findings_it_records_and_reports_new_ones(repo: Path) -> None:
    code, out, _ = run_cli("check", BP, "--write-baseline", "baseline.json", "--fail-on", "note")
    assert code == 0  # recording a baseline accepts what is there
    assert out.splitlines()[-1] == "baseline: recorded 5 finding(s) in baseline.json"
    recorded = json.loads((repo / "baseline.json").read_text())
    assert recorded["version"] == 1
    assert [(r["rule"], r["subject"]) for r in recorded["findings"]] == [
        ("BP3003", "resources.kafka"),
        ("BP3003", "resources.warehouse"),
        ("BP3003", "resources.work1"),
        ("BP3003", "resources.work2"),
        ("BP3004", "jobs.worker2"),
    ]
    code, out, _ = run_cli("check", BP, "--baseline", "baseline.json", "--fail-on", "note")
    assert code == 0
    assert out.splitlines() == [
        "0 error(s), 0 warning(s), 0 note(s), 0 waived",
        "baseline: 5 finding(s) in baseline.json not reported",
    ]
    # Lines moving keeps the match; a new consumer of the broker changes the evidence.
    text = (repo / BP).read_text()
    worker3 = (
        "  worker3:\n    platform: kubernetes\n"
        '    image: {registry: ghcr.io, repository: x/w3, tag: "1"}\n'
        "    trigger: {topic: work1}\n    uses: [{resource: work1, access: subscribe}]\n"
    )
    text = "# moved down a line\n" + text.replace("  worker1:\n", worker3 + "  worker1:\n", 1)
    (repo / BP).write_text(text)
    code, out, _ = run_cli("check", BP, "--baseline", "baseline.json", "--fail-on", "note")
    assert code == 1
    reported = [line.split(": ")[1] for line in out.splitlines() if line.startswith(BP)]
    assert reported == [
        "note BP3003 resources.kafka",
        "note BP3003 resources.work1",
    ]
    assert out.splitlines()[-1] == (
        "baseline: 3 finding(s) in baseline.json not reported; 2 baseline entr(ies) no longer found"
    )


def test_a_file_that_is_not_a_baseline_is_refused(repo: Path) -> None:
    (repo / "b.json").write_text("[1, 2]\n")
    code, _, err = run_cli("check", BP, "--baseline", "b.json")
    assert code == 2
    assert err == (
        'b.json:1:1: found no blueprint baseline, expected an object with "version": 1 and '
        '"findings" (write one with --write-baseline)\n'
    )


def test_junit_is_read_by_junitparser_with_a_failure_per_finding(repo: Path) -> None:
    code, out, _ = run_cli("check", BP, "--format", "junit", "--output", "report.xml")
    assert (code, out) == (0, "")
    xml = junitparser.JUnitXml.fromfile(str(repo / "report.xml"))
    suites = list(xml)
    assert [s.name for s in suites] == [BP]
    cases = list(suites[0])
    assert (cases[0].classname, cases[0].name) == (
        "BP3004",
        f"jobs.worker2 ({BP}:41:9)",
    )
    assert len(cases) == 5
    first = cases[0].result[0]
    assert isinstance(first, junitparser.Failure)
    assert first.type == "warning"
    assert (suites[0].tests, suites[0].failures, suites[0].skipped) == (5, 5, 0)


def test_junit_of_a_clean_check_is_one_passing_case_and_control_characters_are_replaced(
    tmp_path: Path,
) -> None:
    from policies.findings import Finding
    from policies.junit import junit

    clean = junitparser.JUnitXml.fromstring(junit([]).encode())
    assert [(c.name, c.is_passed) for s in clean for c in s] == [("no findings", True)]
    odd = Finding("BP3001", "error", "bell \x07 here", "services.web", file="b.yaml")
    parsed = junitparser.JUnitXml.fromstring(junit([odd]).encode())
    (case,) = [c for s in parsed for c in s]
    assert case.result[0].message == "bell \ufffd here"


def test_junit_is_deterministic() -> None:
    first = run_cli("check", str(KAFKA), "--format", "junit")[1]
    assert first == run_cli("check", str(KAFKA), "--format", "junit")[1]
    assert "timestamp" not in first


def test_with_json_output_the_configuration_notes_go_to_stderr(repo: Path) -> None:
    (repo / ".blueprint.toml").write_text(RULES)
    code, out, err = run_cli("check", BP, "--format", "json")
    assert code == 1
    rows = json.loads(out)["findings"]
    assert {r["severity"] for r in rows if r["rule"] == "BP3003"} == {"warning"}
    assert err == (
        "config: BP3003 set to warning by .blueprint.toml: a broker outage must be planned for\n"
    )
