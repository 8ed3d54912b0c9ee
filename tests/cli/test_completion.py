"""`blueprint completion SHELL`: scripts generated from the parsers, exercised in each shell
(bash always; zsh and fish when installed, which .ci/install-tools.sh does)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support import run_cli


def script(shell: str, tmp_path: Path) -> Path:
    code, out, err = run_cli("completion", shell)
    assert (code, err) == (0, "")
    path = tmp_path / f"blueprint.{shell}"
    path.write_text(out)
    return path


def bash_complete(path: Path, *words: str) -> list[str]:
    """COMPREPLY for the command line `words` (the last word is being completed)."""
    quoted = " ".join(f"'{w}'" for w in words)
    result = subprocess.run(
        ["bash", "-c", f'source {path}; COMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}; '
         '_blueprint; printf "%s\\n" "${COMPREPLY[@]}"'],
        capture_output=True, text=True, check=True, timeout=30,
    )  # fmt: skip
    return [line for line in result.stdout.splitlines() if line]


def test_bash_completes_commands_options_and_choices(tmp_path: Path) -> None:
    path = script("bash", tmp_path)
    assert bash_complete(path, "blueprint", "im") == ["import"]
    assert bash_complete(path, "blueprint", "import", "") == ["compose", "kubernetes"]
    assert bash_complete(path, "blueprint", "check", "--fo") == ["--format"]
    assert bash_complete(path, "blueprint", "check", "--format", "") == [
        "text", "json", "sarif", "junit",
    ]  # fmt: skip
    assert bash_complete(path, "blueprint", "init", "--platform", "c") == ["cloud-run"]
    assert bash_complete(path, "blueprint", "check", "--env", "") == []  # a name, not a file


def test_bash_completes_files_where_a_path_goes(tmp_path: Path) -> None:
    path = script("bash", tmp_path)
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "blueprint.yaml").write_text("")
    prefix = str(tmp_path / "files" / "blue")
    found = [str(tmp_path / "files" / "blueprint.yaml")]
    assert bash_complete(path, "blueprint", "check", prefix) == found
    assert bash_complete(path, "blueprint", "check", "--baseline", prefix) == found


def test_every_command_and_option_is_in_the_script(tmp_path: Path) -> None:
    from blueprint.cli import COMMANDS
    from blueprint.cli.completion import commands

    text = script("bash", tmp_path).read_text()
    for command in commands():
        assert command.name in COMMANDS
        for option in command.options:
            for flag in option.flags:
                assert flag in text, (command.name, flag)
    assert [c.name for c in commands()] == list(COMMANDS)


@pytest.mark.skipif(
    shutil.which("zsh") is None, reason="zsh is not installed (.ci/install-tools.sh installs it)"
)
def test_zsh_registers_and_completes(tmp_path: Path) -> None:
    path = script("zsh", tmp_path)
    result = subprocess.run(
        ["zsh", "-c", f"autoload -U compinit && compinit -u; source {path}; "
         "print -- ${_comps[blueprint]}; emulate -L sh; "
         'COMP_WORDS=(blueprint check --format ""); COMP_CWORD=3; _blueprint; '
         'print -- "${COMPREPLY[@]}"'],
        capture_output=True, text=True, check=True, timeout=60, cwd=tmp_path,
    )  # fmt: skip
    assert result.stdout.splitlines() == [
        "_bash_complete -o filenames -F _blueprint",
        "text json sarif junit",
    ]


@pytest.mark.skipif(
    shutil.which("fish") is None, reason="fish is not installed (.ci/install-tools.sh installs it)"
)
def test_fish_completes_commands_with_descriptions_and_choices(tmp_path: Path) -> None:
    path = script("fish", tmp_path)
    result = subprocess.run(
        ["fish", "--no-config", "-c", f"source {path}; complete -C 'blueprint in'; echo ==; "
         "complete -C 'blueprint check --format '; echo ==; complete -C 'blueprint completion '"],
        capture_output=True, text=True, check=True, timeout=60, cwd=tmp_path,
    )  # fmt: skip
    assert result.stdout.split("==\n") == [
        "init\twrite a starting blueprint.yaml for a platform\n",
        "json\njunit\nsarif\ntext\n",
        "bash\nfish\nzsh\n",
    ]
