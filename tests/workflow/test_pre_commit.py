"""The pre-commit hooks through the real pre-commit tool, in a throwaway git repository."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.conftest import TEST_DATA
from tests.support import ROOT
from tests.workflow.precommit_support import (
    PRE_COMMIT,
    config_text,
    git_env,
    run,
    snapshot_checkout,
)

EXAMPLE = ROOT / "examples" / "aws-fargate-api" / "blueprint.yaml"


def test_hooks_file_matches_the_schemastore_schema() -> None:
    schema = json.loads(
        (TEST_DATA / "schemas" / "schemastore" / "pre-commit-hooks.json").read_text("utf-8")
    )
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(hooks)
    assert [(h["id"], h["language"], h["files"]) for h in hooks] == [
        ("blueprint-render", "python", r"(^|/)blueprint\.ya?ml$"),
        ("blueprint-check", "python", r"(^|/)blueprint\.ya?ml$"),
    ]


def _commit(repo: Path, env: dict[str, str], message: str) -> subprocess.CompletedProcess[str]:
    return run(["git", "commit", "-m", message], repo, env)


def _head(repo: Path, env: dict[str, str]) -> str:
    return run(["git", "rev-parse", "HEAD"], repo, env).stdout.strip()


@pytest.mark.slow
def test_hooks_through_pre_commit(tmp_path: Path) -> None:
    env = git_env(tmp_path / "home")
    hook_repo = tmp_path / "hook-repo"
    rev = snapshot_checkout(hook_repo, env)
    repo = tmp_path / "repo"
    repo.mkdir()
    assert run(["git", "init", "-q"], repo, env).returncode == 0
    (repo / ".pre-commit-config.yaml").write_text(config_text(hook_repo, rev), encoding="utf-8")
    blueprint = repo / "blueprint.yaml"
    blueprint.write_bytes(EXAMPLE.read_bytes())
    installed = run([str(PRE_COMMIT), "install"], repo, env)
    assert installed.returncode == 0, installed.stdout
    run(["git", "add", "-A"], repo, env)

    # 1. No out/ yet: the render hook writes it and fails the commit so the user stages it.
    first = _commit(repo, env, "add the blueprint")
    assert first.returncode == 1, first.stdout
    assert "out: re-rendered from blueprint.yaml; review and stage it: git add out" in first.stdout
    assert re.search(r"blueprint render\.+Failed", first.stdout)
    assert (repo / "out" / ".blueprint-manifest.json").is_file()
    assert run(["git", "rev-parse", "-q", "--verify", "HEAD"], repo, env).returncode != 0

    # The hook fixed it: staged, the same commit passes.
    run(["git", "add", "out"], repo, env)
    second = _commit(repo, env, "add the blueprint")
    assert second.returncode == 0, second.stdout
    assert re.search(r"blueprint render\.+Passed", second.stdout)
    assert re.search(r"blueprint check\.+Passed", second.stdout)
    committed = _head(repo, env)

    # 2. A changed blueprint with the old out/: stale, re-rendered, then passes.
    blueprint.write_text(
        blueprint.read_text().replace("    replicas: 3\n", "    replicas: 4\n"), encoding="utf-8"
    )
    run(["git", "add", "blueprint.yaml"], repo, env)
    stale = _commit(repo, env, "four replicas")
    assert stale.returncode == 1
    assert "out: re-rendered from blueprint.yaml" in stale.stdout
    manifest = json.loads((repo / "out" / ".blueprint-manifest.json").read_text())
    assert manifest["source_sha256"] == _sha256(blueprint)
    run(["git", "add", "out"], repo, env)
    fixed = _commit(repo, env, "four replicas")
    assert fixed.returncode == 0, fixed.stdout

    # 3. A policy error blocks the commit with a positioned message; nothing is committed.
    before = _head(repo, env)
    blueprint.write_text(
        blueprint.read_text().replace(
            "    replicas: 4\n",
            "    replicas: 4\n    allow_from:\n      - {cidr: 0.0.0.0/0, ports: [22]}\n",
        ),
        encoding="utf-8",
    )
    run(["git", "add", "blueprint.yaml"], repo, env)
    blocked = _commit(repo, env, "ssh from anywhere")
    assert blocked.returncode == 1
    assert re.search(r"blueprint check\.+Failed", blocked.stdout)
    assert re.search(r"^blueprint\.yaml:\d+:\d+: error BP\d{4} ", blocked.stdout, re.MULTILINE), (
        blocked.stdout
    )
    assert _head(repo, env) == before

    # 4. Back to the committed blueprint: a clean commit of another file passes.
    run(["git", "checkout", "HEAD", "--", "blueprint.yaml"], repo, env)
    (repo / "NOTES.md").write_text("notes\n", encoding="utf-8")
    run(["git", "add", "-A"], repo, env)
    clean = _commit(repo, env, "notes")
    assert clean.returncode == 0, clean.stdout
    assert re.search(r"blueprint render\.+\(no files to check\)Skipped", clean.stdout)
    assert _head(repo, env) != committed


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()
