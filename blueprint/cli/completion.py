"""`blueprint completion bash|zsh|fish`: a completion script generated from the argument
parser itself, so it lists exactly the commands, options and choices the tool accepts."""

from __future__ import annotations

import argparse
import importlib
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from blueprint import exit_codes
from blueprint.cli.common import add_example

SHELLS = ("bash", "zsh", "fish")


def add_parser(sub: Any) -> None:
    p = sub.add_parser("completion", help="print a shell completion script (bash, zsh, fish)")
    p.add_argument("shell", choices=SHELLS)
    add_example(
        p,
        "blueprint completion fish > ~/.config/fish/completions/blueprint.fish",
        'eval "$(blueprint completion bash)"    # in ~/.bashrc',
        'eval "$(blueprint completion zsh)"     # in ~/.zshrc',
    )


@dataclass(frozen=True)
class Option:
    flags: tuple[str, ...]
    help: str
    choices: tuple[str, ...]  # empty: any value
    takes_value: bool
    is_path: bool  # the value is a file or directory


@dataclass(frozen=True)
class Command:
    name: str
    summary: str
    options: tuple[Option, ...]
    positional_choices: tuple[str, ...]  # of the first positional argument, if it has choices


def commands() -> list[Command]:
    """Every command with its options, read from the parsers the commands build."""
    from blueprint.cli import COMMANDS, SUMMARIES

    out = []
    for name, module in COMMANDS.items():
        holder = argparse.ArgumentParser(add_help=False)
        sub = holder.add_subparsers()
        importlib.import_module(module).add_parser(sub)
        parser: argparse.ArgumentParser = sub.choices[name]
        options: list[Option] = []
        positional: tuple[str, ...] = ()
        for action in parser._actions:
            choices = tuple(str(c) for c in action.choices or ())
            if action.option_strings:
                options.append(
                    Option(
                        tuple(action.option_strings),
                        (action.help or "").replace("%%", "%"),
                        choices,
                        action.nargs != 0,
                        action.type is Path or action.metavar in {"FILE", "DIR", "PATH"},
                    )
                )
            elif choices and not positional:
                positional = choices
        out.append(Command(name, SUMMARIES[name], tuple(options), positional))
    return out


def bash() -> str:
    cmds = commands()
    value_cases = []
    option_cases = []
    for c in cmds:
        flags = " ".join(f for o in c.options for f in o.flags)
        first = shlex.quote(" ".join(c.positional_choices))
        option_cases.append(f"        {c.name}) opts={shlex.quote(flags)}; first={first} ;;")
        for o in c.options:
            if o.choices:
                pattern = "|".join(f"{c.name}\\ {f}" for f in o.flags)
                words = shlex.quote(" ".join(o.choices))
                value_cases.append(
                    f'        {pattern}) COMPREPLY=($(compgen -W {words} -- "$cur")); return ;;'
                )
            elif o.takes_value:
                pattern = "|".join(f"{c.name}\\ {f}" for f in o.flags)
                reply = '($(compgen -f -- "$cur"))' if o.is_path else "()"
                value_cases.append(f"        {pattern}) COMPREPLY={reply}; return ;;")
    names = " ".join(c.name for c in cmds)
    return (
        "# blueprint completion for bash (zsh runs it through bashcompinit).\n"
        "_blueprint() {\n"
        '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"\n'
        '    local cmd="${COMP_WORDS[1]}" opts="" first=""\n'
        "    if [[ $COMP_CWORD -eq 1 ]]; then\n"
        f'        COMPREPLY=($(compgen -W "{names} --help --version" -- "$cur"))\n'
        "        return\n"
        "    fi\n"
        '    case "$cmd $prev" in\n' + "\n".join(value_cases) + "\n    esac\n"
        '    case "$cmd" in\n' + "\n".join(option_cases) + "\n    esac\n"
        "    if [[ $cur == -* ]]; then\n"
        '        COMPREPLY=($(compgen -W "$opts --help" -- "$cur"))\n'
        "    elif [[ $COMP_CWORD -eq 2 && -n $first ]]; then\n"
        '        COMPREPLY=($(compgen -W "$first" -- "$cur"))\n'
        "    else\n"
        '        COMPREPLY=($(compgen -f -- "$cur"))\n'
        "    fi\n"
        "}\n"
        "complete -o filenames -F _blueprint blueprint\n"
    )


def zsh() -> str:
    return (
        "#compdef blueprint\n"
        "# blueprint completion for zsh: the bash completion through zsh's bashcompinit.\n"
        "autoload -U +X bashcompinit && bashcompinit\n" + bash()
    )


def fish() -> str:
    lines = ["# blueprint completion for fish.", "complete -c blueprint -f"]
    names = [c.name for c in commands()]
    for c in commands():
        lines.append(
            f"complete -c blueprint -n '__fish_use_subcommand' -a {c.name} "
            f"-d {_fish_quote(c.summary)}"
        )
    lines.append(
        "complete -c blueprint -n '__fish_use_subcommand' -l version -d 'print the version'"
    )
    for c in commands():
        seen = f"'__fish_seen_subcommand_from {c.name}'"
        if c.positional_choices:
            lines.append(
                f"complete -c blueprint -n {seen} -a {_fish_quote(' '.join(c.positional_choices))}"
            )
        for o in c.options:
            parts = []
            for flag in o.flags:
                parts.append(f"-l {flag[2:]}" if flag.startswith("--") else f"-s {flag[1:]}")
            value = ""
            if o.choices:
                value = f" -xa {_fish_quote(' '.join(o.choices))}"
            elif o.takes_value:
                value = " -rF" if o.is_path else " -x"
            help_text = f" -d {_fish_quote(o.help)}" if o.help else ""
            lines.append(f"complete -c blueprint -n {seen} {' '.join(parts)}{value}{help_text}")
        if c.name not in {"schema", "rules", "completion"}:
            lines.append(f"complete -c blueprint -n {seen} -F")
    del names
    return "\n".join(lines) + "\n"


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def run(args: argparse.Namespace) -> int:
    print({"bash": bash, "zsh": zsh, "fish": fish}[args.shell](), end="")
    return exit_codes.OK
