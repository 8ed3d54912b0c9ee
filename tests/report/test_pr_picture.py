"""The workflow's picture step, run as GitHub would run it (bash, in a clone whose base branch
is `origin/main`): the comment body gains the calls view with the added edge marked when the
system changed, and nothing when it did not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml_rs

from tests.support import ROOT

pytestmark = pytest.mark.slow
WORKFLOW = ROOT / "examples" / "ci" / "blueprint.yml"
EXAMPLE = ROOT / "examples" / "aws-fargate-api" / "blueprint.yaml"


def _step_script() -> str:
    data = yaml_rs.loads(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    steps = data["jobs"]["blueprint"]["steps"]
    script: str = next(s for s in steps if s.get("name") == "Picture of the changed system")["run"]
    return script


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def _run_step(tmp_path: Path, head_text: str) -> str:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    (repo / "blueprint.yaml").write_text(EXAMPLE.read_text())
    _git(repo, "add", "blueprint.yaml")
    _git(repo, "commit", "-qm", "base")
    _git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    (repo / "blueprint.yaml").write_text(head_text)
    (repo / "blueprint-diff.md").write_text("### blueprint security diff\n")
    shim = tmp_path / "bin" / "blueprint"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m blueprint "$@"\n')
    shim.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{shim.parent}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
        "BASE_REF": "main",
        "BLUEPRINT_FILE": "blueprint.yaml",
    }
    subprocess.run(
        ["bash", "-e", "-c", _step_script()], cwd=repo, env=env, check=True, capture_output=True
    )
    return (repo / "blueprint-diff.md").read_text()


def test_changed_system_gets_its_calls_view_with_the_new_edge(tmp_path: Path) -> None:
    body = _run_step(tmp_path, EXAMPLE.read_text().replace("internal: true", "internal: false"))
    lines = body.splitlines()
    assert lines[:2] == [
        "### blueprint security diff",
        "#### calls view: blueprint-base.yaml → blueprint.yaml",
    ]
    assert "```mermaid" in lines
    assert '  n2 -->|"+ routes-to tcp/8080"| n1' in lines
    assert "  linkStyle 4 stroke:#1a7f37,stroke-width:3px" in lines
    assert "egress" not in body


def test_unchanged_system_adds_nothing(tmp_path: Path) -> None:
    assert _run_step(tmp_path, EXAMPLE.read_text()) == "### blueprint security diff\n"
