"""The policy commands, in-process: check, rules, explain, graph, render's refusal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policies.registry import RULES
from tests.conftest import EXAMPLES, ROOT, TEST_DATA
from tests.golden_support import GOLDEN_ROOT
from tests.support import run_cli


@pytest.mark.parametrize("name", EXAMPLES)
def test_check_json_prints_the_golden_findings(name: str) -> None:
    code, out, err = run_cli("check", f"examples/{name}/blueprint.yaml", "--format", "json")
    assert (code, err) == (0, "")
    assert out == (GOLDEN_ROOT / "findings" / f"{name}.json").read_text(encoding="utf-8")


def test_check_text_and_fail_on_warning() -> None:
    path = "examples/latency-chain/blueprint.yaml"
    code, out, _ = run_cli("check", path)
    assert code == 0
    assert out.endswith("0 error(s), 1 warning(s), 0 note(s), 0 waived\n")
    assert run_cli("check", path, "--fail-on", "warning")[0] == 1


def test_check_exits_1_on_errors_and_writes_sarif(tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.sarif"
    seed = TEST_DATA / "seed_defects" / "ssh-open-to-world.yaml"
    code, out, err = run_cli("check", str(seed), "--format", "sarif", "--output", str(target))
    assert (code, out, err) == (1, "", "")
    assert json.loads(target.read_text(encoding="utf-8"))["runs"][0]["results"][0]["ruleId"] == (
        "BP2005"
    )


def test_check_env_applies_environment_severity(tmp_path: Path) -> None:
    text = (ROOT / "examples" / "latency-chain" / "blueprint.yaml").read_text(encoding="utf-8")
    path = tmp_path / "blueprint.yaml"
    path.write_text(text + "environments:\n  prod:\n    severity: {BP3001: error}\n")
    assert run_cli("check", str(path))[0] == 0
    assert run_cli("check", str(path), "--env", "prod")[0] == 1


def test_render_refuses_while_an_error_remains_and_writes_nothing(tmp_path: Path) -> None:
    seed = TEST_DATA / "seed_defects" / "ssh-open-to-world.yaml"
    out_dir = tmp_path / "out"
    code, out, err = run_cli("render", str(seed), "--out", str(out_dir))
    assert code == 1
    assert out == ""
    assert "error BP2005 ingress.edge" in err
    assert "render refused: 1 error finding(s)" in err
    assert "nothing was written" in err
    assert (
        "{rule: BP2005, subject: ingress.edge, owner: ..., reason: ..., expires: YYYY-MM-DD}" in err
    )
    assert not out_dir.exists()


def test_render_proceeds_when_the_error_is_waived(tmp_path: Path) -> None:
    seed = (TEST_DATA / "seed_defects" / "ssh-open-to-world.yaml").read_text(encoding="utf-8")
    path = tmp_path / "blueprint.yaml"
    path.write_text(
        seed + "policy:\n  waivers:\n    - {rule: BP2005, subject: ingress.edge, owner: ops,\n"
        "       reason: bastion being replaced by SSM, expires: 2999-01-01}\n"
    )
    code, _out, err = run_cli("render", str(path), "--out", str(tmp_path / "out"))
    assert "render refused" not in err
    assert code in (0, 1)  # what the generators make of it is their business


def test_rules_lists_every_rule_with_its_docs() -> None:
    code, out, err = run_cli("rules")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == len(RULES)
    assert lines[0] == (
        "BP1001  error    Wildcard grant (any access or any resource)  (docs/rules.md#bp1001)"
    )
    assert lines[-1].startswith("BP9003  warning  Unknown rule id in policy settings")


def test_explain_prints_rationale_fix_and_docs() -> None:
    code, out, _ = run_cli("explain", "bp3001")
    assert code == 0
    assert out.startswith(
        "BP3001 (latency-budget): Critical path of calls over the latency budget\n"
        "default severity: warning\ncontrols: none mapped\n\n"
    )
    assert out.endswith(
        "docs: https://github.com/blueprint-dev/blueprint/blob/main/docs/rules.md#bp3001\n"
    )


def test_explain_unknown_rule_suggests() -> None:
    code, out, err = run_cli("explain", "BP3010")
    assert (code, out) == (2, "")
    assert "unknown rule 'BP3010'" in err


@pytest.mark.parametrize("fmt", ["mermaid", "dot", "json"])
def test_graph_command(fmt: str) -> None:
    code, out, err = run_cli("graph", "examples/aws-fargate-api/blueprint.yaml", "--format", fmt)
    assert (code, err) == (0, "")
    first = {"mermaid": "flowchart LR", "dot": 'digraph "fastapi-on-fargate" {', "json": "{"}
    assert out.splitlines()[0] == first[fmt]
