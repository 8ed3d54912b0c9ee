"""The command line as a whole: help, usage errors, bad input, internal errors."""

from __future__ import annotations

import pytest

from blueprint import exit_codes
from blueprint.cli import COMMANDS
from tests.conftest import ROOT
from tests.support import run_cli


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(command: str) -> None:
    code, out, err = run_cli(command, "--help")
    assert (code, err) == (0, "")
    assert out.startswith(f"usage: blueprint {command} ")
    example = out.split("\nexample:\n", 1)[1]
    assert example.startswith(f"  blueprint {command}")


def test_top_level_help_lists_every_command() -> None:
    code, out, err = run_cli("--help")
    assert (code, err) == (0, "")
    section = out.split("positional arguments:")[1].split("options:")[0]
    listed = [
        line.split()[0]
        for line in section.splitlines()
        if line.startswith("    ") and not line.startswith("     ")
    ]
    assert listed == list(COMMANDS)
    assert "\nexample:\n  blueprint validate " in out


def test_version() -> None:
    assert run_cli("--version") == (0, "blueprint 0.1.0\n", "")


@pytest.mark.parametrize(
    ("argv", "complaint"),
    [
        ((), "usage: blueprint [-h] [--version] [--debug] COMMAND ...\n"),
        (("bogus",), "argument COMMAND: invalid choice: 'bogus'"),
        (("validate",), "the following arguments are required: FILE"),
        (("render", "examples/aws-fargate-api/blueprint.yaml"), "required: --out"),
        (("render", "x.yaml", "--out", "o", "--only", "nope"), "invalid choice: 'nope'"),
        (("check", "x.yaml", "--format", "xml"), "invalid choice: 'xml'"),
        (("validate", "--frobnicate", "x.yaml"), "unrecognized arguments: --frobnicate"),
    ],
)
def test_usage_errors_exit_2(argv: tuple[str, ...], complaint: str) -> None:
    code, out, err = run_cli(*argv)
    assert (code, out) == (exit_codes.BAD_INPUT, "")
    assert complaint in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", ["validate", "render", "check", "graph"])
def test_bad_input_exits_2_with_positioned_lines_and_no_traceback(
    command: str, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    extra = ["--out", str(tmp_path)] if command == "render" else []
    code, out, err = run_cli(command, "tests/data/invalid/several-problems.yaml", *extra)
    assert (code, out) == (exit_codes.BAD_INPUT, "")
    assert err == (ROOT / "tests/data/invalid/several-problems.expected").read_text()


def test_validate_reports_every_file_and_exits_2_if_any_is_bad(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = run_cli(
        "validate",
        "examples/aws-fargate-api/blueprint.yaml",
        "tests/data/invalid/empty-file.yaml",
        "examples/kafka-workers/blueprint.yaml",
    )
    assert code == exit_codes.BAD_INPUT
    assert out == (
        "examples/aws-fargate-api/blueprint.yaml: ok (fastapi-on-fargate: 1 services, 0 jobs, "
        "3 resources)\n"
        "examples/kafka-workers/blueprint.yaml: ok (kafka-workers: 1 services, 2 jobs, "
        "4 resources)\n"
    )
    assert err == (ROOT / "tests/data/invalid/empty-file.expected").read_text()


def test_validate_quiet_prints_nothing_for_good_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert run_cli("validate", "-q", "examples/aws-fargate-api/blueprint.yaml") == (0, "", "")


def test_validate_env_applies_a_declared_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, _, err = run_cli("validate", "--env", "dev", "examples/aws-fargate-api/blueprint.yaml")
    assert (code, err) == (0, "")


def test_an_internal_error_exits_3_with_a_line_saying_how_to_report_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import blueprint.cli.validate

    def broken(args: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(blueprint.cli.validate, "run", broken)
    monkeypatch.delenv("BLUEPRINT_DEBUG", raising=False)
    code, out, err = run_cli("validate", "examples/aws-fargate-api/blueprint.yaml")
    assert (code, out) == (exit_codes.INTERNAL, "")
    assert err.splitlines() == [
        "blueprint: internal error: RuntimeError: boom",
        f"This is a bug in blueprint 0.1.0; please report it at {exit_codes.REPORT_URL} "
        "with the command and the blueprint (run with --debug or BLUEPRINT_DEBUG=1 for the "
        "traceback).",
    ]


@pytest.mark.parametrize(
    ("argv", "environ"),
    [
        (["--debug", "validate", "x.yaml"], {}),
        (["validate", "x.yaml", "--debug"], {}),
        (["validate", "x.yaml"], {"BLUEPRINT_DEBUG": "1"}),
    ],
)
def test_the_traceback_of_an_internal_error_needs_debug(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], environ: dict[str, str]
) -> None:
    import blueprint.cli.validate

    def broken(args: object) -> int:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(blueprint.cli.validate, "run", broken)
    monkeypatch.delenv("BLUEPRINT_DEBUG", raising=False)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    code, out, err = run_cli(*argv)
    assert (code, out) == (exit_codes.INTERNAL, "")
    lines = err.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert 'raise RuntimeError("boom\\nsecond line")' in err
    assert lines[-2:] == [
        "blueprint: internal error: RuntimeError: boom second line",
        f"This is a bug in blueprint 0.1.0; please report it at {exit_codes.REPORT_URL} "
        "with the command and the blueprint.",
    ]


def test_exit_codes_are_distinct() -> None:
    codes = (exit_codes.OK, exit_codes.FINDINGS, exit_codes.BAD_INPUT, exit_codes.INTERNAL)
    assert codes == (0, 1, 2, 3)
