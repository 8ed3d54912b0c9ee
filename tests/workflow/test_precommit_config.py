"""The pre-commit hooks take their defaults from the repository configuration: the output
pattern, the environments to render and check, and --fail-on; flags override them."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from blueprint.precommit import main
from tests.support import ROOT


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "shop").mkdir()
    text = (ROOT / "examples/kubernetes-helm/blueprint.yaml").read_text()
    (tmp_path / "shop" / "blueprint.yaml").write_text(
        text + "environments:\n  dev:\n    services:\n      hello: {replicas: 1}\n  prod: {}\n"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_each_configured_environment_renders_into_its_own_directory(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(
        '[tool.blueprint]\nout = "rendered/{name}/{env}"\nenvironments = ["dev", "prod"]\n'
    )
    code, out, err = _run("render", "shop/blueprint.yaml")
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        "rendered/shop/dev: 32 written, 0 removed, 0 unchanged",
        "rendered/shop/dev: re-rendered from shop/blueprint.yaml; review and stage it: "
        "git add rendered/shop/dev",
        "rendered/shop/prod: 32 written, 0 removed, 0 unchanged",
        "rendered/shop/prod: re-rendered from shop/blueprint.yaml; review and stage it: "
        "git add rendered/shop/prod",
    ]
    dev = (repo / "rendered/shop/dev/kubernetes/values/hello.yaml").read_text()
    prod = (repo / "rendered/shop/prod/kubernetes/values/hello.yaml").read_text()
    assert "replicas: 1\n" in dev
    assert "replicas: 3\n" in prod


def test_flags_override_the_configuration(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(
        '[tool.blueprint]\nout = "rendered/{name}/{env}"\nenvironments = ["dev", "prod"]\n'
    )
    code, out, _ = _run("render", "--out", "{dir}/out", "--env", "prod", "shop/blueprint.yaml")
    assert code == 1
    assert out.splitlines()[-1] == (
        "shop/out: re-rendered from shop/blueprint.yaml; review and stage it: git add shop/out"
    )
    assert not (repo / "rendered").exists()


def test_several_environments_into_one_directory_are_refused(repo: Path) -> None:
    (repo / ".blueprint.toml").write_text('environments = ["dev", "prod"]\n')
    code, out, err = _run("render", "shop/blueprint.yaml")
    assert (code, out) == (2, "")
    assert err == (
        "shop/blueprint.yaml: renders to out/shop, as shop/blueprint.yaml does; pass an --out "
        "pattern with {dir}, {name} or {env} so each blueprint and environment has its own "
        "directory\n"
    )


def test_the_check_hook_takes_fail_on_from_the_configuration(repo: Path) -> None:
    (repo / "pipe").mkdir()
    (repo / "pipe" / "blueprint.yaml").write_bytes(
        (ROOT / "examples/kafka-workers/blueprint.yaml").read_bytes()
    )
    (repo / ".blueprint.toml").write_text('fail-on = "warning"\n')
    code, out, _ = _run("check", "pipe/blueprint.yaml")
    assert code == 1
    assert "warning BP3004 jobs.worker2" in out
    assert _run("check", "--fail-on", "error", "pipe/blueprint.yaml")[0] == 0
