"""Several blueprints in one call: `render` and `check` take them all, in a process pool, and
report in the order given; `--out` is a pattern as in the pre-commit hook."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from blueprint import exit_codes
from tests.conftest import ROOT
from tests.support import run_cli

SYSTEMS = ("kubernetes-helm", "gcp-cloud-run", "latency-chain")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in SYSTEMS:
        (tmp_path / name).mkdir()
        shutil.copy(ROOT / "examples" / name / "blueprint.yaml", tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def files() -> list[str]:
    return [f"{name}/blueprint.yaml" for name in SYSTEMS]


@pytest.mark.slow
def test_render_many_in_a_pool_then_up_to_date(repo: Path) -> None:
    code, out, err = run_cli("render", *files(), "--out", "out/{name}", "--jobs", "2")
    assert code == exit_codes.OK, err
    lines = out.splitlines()
    assert [line.split(":")[0] for line in lines] == [f"out/{name}" for name in SYSTEMS]
    assert all(" written, 0 removed, 0 unchanged" in line for line in lines)
    assert err == ""  # progress lines only on a terminal
    for name in SYSTEMS:
        reference = ROOT / "out" / name
        for path in reference.rglob("*"):
            if path.is_file() and path.name != ".blueprint-manifest.json":
                rendered = (repo / "out" / name / path.relative_to(reference)).read_text()
                assert rendered.splitlines()[2:] == path.read_text().splitlines()[2:]
    assert run_cli("render", *files(), "--out", "out/{name}") == (
        0,
        "".join(f"out/{name}: up to date\n" for name in SYSTEMS),
        "",
    )


@pytest.mark.slow
def test_render_many_reports_each_failure_and_the_worst_code(repo: Path) -> None:
    (repo / "gcp-cloud-run/blueprint.yaml").write_text("name: [\n")
    code, out, err = run_cli("render", *files(), "--out", "{dir}/out", "--jobs", "2")
    assert code == exit_codes.BAD_INPUT
    assert [line.split(":")[0] for line in out.splitlines()] == [
        "kubernetes-helm/out",
        "latency-chain/out",
    ]
    assert err.startswith("gcp-cloud-run/blueprint.yaml:1:7: invalid YAML: ")
    assert not (repo / "gcp-cloud-run/out").exists()


def test_render_many_into_one_directory_is_refused(repo: Path) -> None:
    assert run_cli("render", *files()[:2], "--out", "out") == (
        exit_codes.BAD_INPUT,
        "",
        "blueprint render: gcp-cloud-run/blueprint.yaml: renders to out, as "
        "kubernetes-helm/blueprint.yaml does; pass an --out pattern with {dir}, {name} or {env} "
        "so each blueprint and environment has its own directory\n",
    )


@pytest.mark.slow
def test_check_many_reports_all_findings_in_order(repo: Path) -> None:
    one_by_one = [run_cli("check", f, "--format", "json") for f in files()]
    code, out, err = run_cli("check", *files(), "--format", "text", "--jobs", "2")
    assert err == ""
    assert code == max(c for c, _, _ in one_by_one)
    expected = [run_cli("check", f)[1].splitlines()[:-1] for f in files()]
    assert out.splitlines()[:-1] == sorted(
        (line for lines in expected for line in lines),
        key=lambda line: (
            ["error", "warning", "note"].index(line.split(" ")[1]) if " " in line else 0
        ),
    )


def test_check_many_with_one_bad_file_exits_2_and_reports_the_rest(repo: Path) -> None:
    (repo / "gcp-cloud-run/blueprint.yaml").write_text("name: [\n")
    code, out, err = run_cli("check", *files(), "--jobs", "1")
    assert code == exit_codes.BAD_INPUT
    assert err.startswith("gcp-cloud-run/blueprint.yaml:1:7: invalid YAML: ")
    assert "latency-chain/blueprint.yaml:" in out
