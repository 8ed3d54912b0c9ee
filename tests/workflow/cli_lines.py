"""Finding blueprint invocations in shell snippets and parsing them with blueprint's parser."""

from __future__ import annotations

import argparse
import re
import shlex
from collections.abc import Mapping

from blueprint.cli import COMMANDS
from blueprint.cli.parser import build_parser

_VAR = re.compile(r"\$\{(\w+)\}|\$(\w+)")
_EXPRESSION = re.compile(r"\$\{\{[^}]*\}\}")


def expand(line: str, env: Mapping[str, str]) -> str:
    """Shell variables from `env` substituted, GitHub expressions replaced by a placeholder."""
    line = _VAR.sub(lambda m: env[m.group(1) or m.group(2)], line)
    return _EXPRESSION.sub("EXPR", line)


def blueprint_commands(script: str, env: Mapping[str, str]) -> list[list[str]]:
    """The argument lists of every `blueprint ...` command in a shell script (continuation
    lines joined; redirections and pipes cut off)."""
    joined = script.replace("\\\n", " ")
    commands: list[list[str]] = []
    for raw in joined.splitlines():
        line = raw.strip()
        if not line.startswith("blueprint "):
            continue
        words = shlex.split(expand(line, env))
        for stop in ("|", ">", ">>", "&&", "||", ";"):
            if stop in words:
                words = words[: words.index(stop)]
        commands.append(words[1:])
    return commands


def parse(argv: list[str]) -> argparse.Namespace:
    """Parse as `blueprint` would; a usage error fails with the message."""
    assert argv and argv[0] in COMMANDS, f"not a blueprint command: {argv}"
    try:
        return build_parser(argv[0]).parse_args(argv)
    except SystemExit as exc:
        raise AssertionError(f"blueprint {shlex.join(argv)}: usage error ({exc.code})") from None
