"""The no-op front door of `blueprint render` answers exactly as the full command would, and
only for command lines it reads exactly as argparse does."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from blueprint.cli import main
from blueprint.cli.parser import build_parser
from blueprint.cli.render_noop import _plain_render, up_to_date_render
from blueprint.out_state import STAGING_PREFIX
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples/aws-fargate-api/blueprint.yaml"
TOKENS = [
    "a.yaml",
    "b.yaml",
    "--out",
    "o",
    "--out=o2",
    "--check",
    "--check=1",
    "--env",
    "prod",
    "--env=dev",
    "--jobs",
    "2",
    "-j",
    "-j4",
    "x",
    "--",
    "-h",
    "--only",
    "aws",
    "--ou",
    "",
    "-1",
    "--jobs=3",
]


@given(st.lists(st.sampled_from(TOKENS), max_size=8))
def test_every_command_line_it_reads_argparse_reads_the_same(tokens: list[str]) -> None:
    argv = ["render", *tokens]
    plain = _plain_render(argv)
    if plain is None:
        return  # the full command line runs
    files, options = plain
    with contextlib.redirect_stderr(io.StringIO()):
        args = build_parser("render").parse_args(argv)  # a SystemExit here fails the test
    assert [str(f) for f in args.files] == [str(Path(f)) for f in files]
    assert (args.out, args.check, args.env) == (
        options["--out"],
        "--check" in options,
        options.get("--env"),
    )
    jobs = options.get("--jobs", options.get("-j"))
    assert args.jobs == (None if jobs is None else int(jobs))


@pytest.mark.parametrize(
    "argv",
    [
        ["render", "a.yaml", "--out", "o"],
        ["render", "--out=o", "--check", "--", "-a.yaml"],
        ["render", "--env", "prod", "a.yaml", "b.yaml", "--out", "out/{name}", "-j", "2"],
    ],
)
def test_plain_command_lines_are_read(argv: list[str]) -> None:
    assert _plain_render(argv) is not None


@pytest.mark.parametrize(
    "argv",
    [
        ["render", "a.yaml", "--out", "o", "b.yaml"],  # two groups of files: argparse refuses
        ["render", "a.yaml", "--ou", "o"],  # an abbreviation
        ["render", "a.yaml", "--out", "o", "--only", "aws"],
        ["render", "a.yaml", "--out", "o", "--out", "p"],
        ["render", "a.yaml", "--out"],
        ["render", "a.yaml", "--out", "-o"],
        ["render", "a.yaml", "--out", "o", "--jobs", "two"],
        ["render", "a.yaml", "--out", "o", "-h"],
        ["render", "--out", "o"],
        ["check", "a.yaml"],
    ],
)
def test_anything_else_goes_to_the_full_command_line(argv: list[str]) -> None:
    assert _plain_render(argv) is None


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def current(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        shutil.copy(EXAMPLE, tmp_path / name / "blueprint.yaml")
    monkeypatch.chdir(tmp_path)
    assert (
        _run(["render", "one/blueprint.yaml", "two/blueprint.yaml", "--out", "out/{name}"])[0] == 0
    )
    return tmp_path


@pytest.mark.slow
@pytest.mark.parametrize(
    "argv",
    [
        ["render", "one/blueprint.yaml", "--out", "out/one"],
        ["render", "one/blueprint.yaml", "--out=out/one", "--check"],
        ["render", "--out", "out/{name}", "one/blueprint.yaml", "two/blueprint.yaml", "-j", "1"],
        ["render", "--check", "--out", "out/{name}", "--", "two/blueprint.yaml"],
    ],
)
def test_the_front_door_answers_as_the_full_command(
    current: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    assert up_to_date_render(argv) is not None
    fast = _run(argv)
    monkeypatch.setattr("blueprint.cli.render_noop.up_to_date_render", lambda _argv: None)
    assert _run(argv) == fast
    assert fast[0] == 0


@pytest.mark.slow
def test_a_stale_folder_or_a_killed_render_goes_to_the_full_command(current: Path) -> None:
    argv = ["render", "one/blueprint.yaml", "two/blueprint.yaml", "--out", "out/{name}"]
    assert up_to_date_render(argv) == 0
    leftover = current / "out" / f".one{STAGING_PREFIX}0a1b"
    leftover.mkdir()
    assert up_to_date_render(argv) is None  # the full command cleans it up
    assert up_to_date_render([*argv, "--check"]) == 0  # --check never cleans up
    assert _run(argv)[0] == 0
    assert not leftover.exists()
    (current / "two/blueprint.yaml").write_text(EXAMPLE.read_text() + "# changed\n")
    assert up_to_date_render(argv) is None
