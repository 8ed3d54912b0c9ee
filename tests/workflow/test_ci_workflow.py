"""The GitHub Actions workflow in examples/ci/: schema-valid, complete, and every blueprint
command in it a real invocation of this CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml_rs

from tests.conftest import EXAMPLES, TEST_DATA
from tests.support import ROOT, run_cli
from tests.workflow.cli_lines import blueprint_commands, parse

WORKFLOW = ROOT / "examples" / "ci" / "blueprint.yml"


def _load_schema(name: str) -> Any:
    return json.loads((TEST_DATA / "schemas" / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    # YAML 1.2, as GitHub reads it: `on` is a key, not the boolean true.
    data = yaml_rs.loads(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = workflow["jobs"]["blueprint"]["steps"]
    return steps


def _env(workflow: dict[str, Any], step: dict[str, Any]) -> dict[str, str]:
    return {
        **{k: str(v) for k, v in workflow.get("env", {}).items()},
        **{k: str(v) for k, v in workflow["jobs"]["blueprint"].get("env", {}).items()},
        **{k: str(v) for k, v in step.get("env", {}).items()},
    }


def test_workflow_matches_the_schemastore_schema(workflow: dict[str, Any]) -> None:
    schema = _load_schema("schemastore/github-workflow.json")
    jsonschema.validators.validator_for(schema)(schema).validate(workflow)


def test_permissions_are_least_privilege(workflow: dict[str, Any]) -> None:
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["blueprint"]["permissions"] == {
        "contents": "read",
        "security-events": "write",
        "pull-requests": "write",
    }


def test_expressions_never_reach_a_shell_script(workflow: dict[str, Any]) -> None:
    # ${{ }} inside run: is script injection (a branch name is attacker-controlled); values
    # travel through env: instead.
    for step in _steps(workflow):
        assert "${{" not in step.get("run", ""), step["name"]


def test_every_blueprint_command_parses(workflow: dict[str, Any]) -> None:
    seen: list[list[str]] = []
    for step in _steps(workflow):
        for argv in blueprint_commands(step.get("run", ""), _env(workflow, step)):
            parse(argv)
            seen.append(argv)
    assert seen == [
        ["check", "blueprint.yaml", "--format", "sarif", "--output", "blueprint.sarif"],
        ["render", "blueprint.yaml", "--out", "out", "--check"],
        ["verify", "out", "--blueprint", "blueprint.yaml"],
        [
            "diff",
            "--git",
            "origin/EXPR",
            "blueprint.yaml",
            "--format",
            "markdown",
            "--output",
            "blueprint-diff.md",
        ],
        [
            "graph",
            "blueprint.yaml",
            "--view",
            "calls",
            "--base",
            "blueprint-base.yaml",
            "--format",
            "markdown",
        ],
    ]


def test_the_comment_carries_the_calls_view_after_the_diff(workflow: dict[str, Any]) -> None:
    steps = _steps(workflow)
    by_name = {s["name"]: s for s in steps if "name" in s}
    picture = by_name["Picture of the changed system"]
    diff = by_name["Security diff against the base branch"]
    comment = by_name["Comment the security diff on the pull request"]
    assert steps.index(diff) < steps.index(picture) < steps.index(comment)
    assert picture["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    assert ">> blueprint-diff.md" in picture["run"]


def test_sarif_is_uploaded_and_the_diff_commented(workflow: dict[str, Any]) -> None:
    steps = _steps(workflow)
    by_name = {s["name"]: s for s in steps if "name" in s}
    check = by_name["Policy checks (SARIF)"]
    upload = by_name["Upload findings to code scanning"]
    assert check["continue-on-error"] is True
    assert upload["uses"] == "github/codeql-action/upload-sarif@v3"
    assert upload["with"]["sarif_file"] == "blueprint.sarif"
    assert upload["if"].startswith("always()")
    comment = by_name["Comment the security diff on the pull request"]
    assert comment["run"] == (
        'gh pr comment "$PR_NUMBER" --edit-last --create-if-none --body-file blueprint-diff.md'
    )
    assert comment["env"]["GH_TOKEN"] == "${{ github.token }}"
    assert steps.index(upload) > steps.index(check)
    assert steps[-1]["if"] == "steps.check.outcome == 'failure'"
    checkout = steps[0]
    assert checkout["uses"] == "actions/checkout@v4"
    assert checkout["with"]["fetch-depth"] == 0


@pytest.mark.parametrize("name", EXAMPLES)
def test_sarif_of_every_example_validates(name: str, tmp_path: Path) -> None:
    out = tmp_path / "blueprint.sarif"
    code, _stdout, err = run_cli(
        "check", f"examples/{name}/blueprint.yaml", "--format", "sarif", "--output", str(out)
    )
    assert code in (0, 1), err
    sarif = json.loads(out.read_text(encoding="utf-8"))
    schema = _load_schema("sarif-2.1.0.json")
    jsonschema.validators.validator_for(schema)(schema).validate(sarif)
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["tool"]["driver"]["name"] == "blueprint"
