"""The hook runner in-process: output mapping, option order as pre-commit passes it."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from blueprint.precommit import main, output_dir
from tests.support import ROOT


@pytest.mark.parametrize(
    ("blueprint", "pattern", "expected"),
    [
        ("blueprint.yaml", "out/{name}", "out"),
        ("examples/shop/blueprint.yaml", "out/{name}", "out/shop"),
        ("a/b/blueprint.yml", "out/{name}", "out/b"),
        ("blueprint.yaml", "{dir}/out", "out"),
        ("examples/shop/blueprint.yaml", "{dir}/out", "examples/shop/out"),
        ("examples/shop/blueprint.yaml", "rendered/{dir}", "rendered/examples/shop"),
    ],
)
def test_output_dir(blueprint: str, pattern: str, expected: str) -> None:
    assert output_dir(blueprint, pattern) == expected


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_render_then_no_op(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sys").mkdir()
    (tmp_path / "sys" / "blueprint.yaml").write_bytes(
        (ROOT / "examples/kubernetes-helm/blueprint.yaml").read_bytes()
    )
    monkeypatch.chdir(tmp_path)
    # Options after the hook name, file names last: the order pre-commit uses.
    code, out, _err = _run("render", "--out", "{dir}/out", "sys/blueprint.yaml")
    assert code == 1
    assert out.splitlines()[-1] == (
        "sys/out: re-rendered from sys/blueprint.yaml; review and stage it: git add sys/out"
    )
    assert _run("render", "--out", "{dir}/out", "sys/blueprint.yaml") == (
        0,
        "sys/out: up to date\n",
        "",
    )
    (tmp_path / "sys/out/kubernetes/manifests/hello.yaml").write_text("edited\n")
    code, out, _err = _run("render", "--out", "{dir}/out", "sys/blueprint.yaml")
    assert code == 1
    assert "sys/out: re-rendered from sys/blueprint.yaml" in out


def test_two_blueprints_into_one_directory_are_refused() -> None:
    code, _out, err = _run("render", "a/blueprint.yaml", "b/blueprint.yaml", "--out", "out")
    assert code == 2
    assert err == (
        "b/blueprint.yaml: renders to out, as a/blueprint.yaml does; pass an --out pattern with "
        "{dir}, {name} or {env} so each blueprint and environment has its own directory\n"
    )
