"""`blueprint render` when every output folder is already current: answered before argparse.

The pre-commit hook and `render --check` in CI run this on every commit, and most of the time
nothing changed. This reads the plain forms of the command line (`render FILE... --out DIR
[--check] [--env NAME] [--jobs N]`) and, when every blueprint's folder is up to date
(`blueprint.noop`) with nothing left by a killed render beside it, prints exactly what the full
command prints and exits. Anything else (another option, an abbreviation, `--help`, a missing
value, a stale folder) returns None and the full command line runs as usual: this is only a
shortcut to the same answer.
"""

from __future__ import annotations

import sys
from pathlib import Path

from blueprint import exit_codes
from blueprint.cli.progress import report_progress
from blueprint.noop import up_to_date
from blueprint.out_paths import output_dirs
from blueprint.out_state import has_leftovers

_VALUED = {"--out", "--env", "--jobs", "-j"}


def up_to_date_render(argv: list[str]) -> int | None:
    """The exit code when every folder is current (after printing what `render` prints), else
    None: the caller runs the full command."""
    parsed = _plain_render(argv)
    if parsed is None:
        return None
    files, options = parsed
    check = "--check" in options
    env = options.get("--env")
    targets = output_dirs([(Path(f).as_posix(), options["--out"], env) for f in files])
    if isinstance(targets, str):
        return None
    hidden: dict[Path, list[str] | None] = {}
    for out, (source, environment) in targets.items():
        out_dir = Path(out)
        if (not check and has_leftovers(out_dir, hidden)) or not up_to_date(
            Path(source), out_dir, environment
        ):
            return None
    for done, (out, (source, _)) in enumerate(targets.items(), start=1):
        if not check:
            sys.stdout.write(f"{out}: up to date\n")
        report_progress(done, len(targets), Path(source))
    return exit_codes.OK


def _plain_render(argv: list[str]) -> tuple[list[str], dict[str, str]] | None:
    """(files, {option: value}) of a plain `render` command line, or None for anything else."""
    if not argv or argv[0] != "render":
        return None
    files: list[str] = []
    options: dict[str, str] = {}
    closed = False  # an option came after the files: more files would be a second group
    rest = iter(argv[1:])
    for token in rest:
        if token == "--":
            if files:
                return None
            files.extend(rest)
            break
        name, equals, value = token.partition("=")
        if token == "--check":
            name, value = token, ""
        elif name in _VALUED and not equals:
            value = next(rest, "-")
        elif not (name in _VALUED and name.startswith("--")):
            if token.startswith("-") or closed:
                # -h, --only, an abbreviation, -j4; or files on both sides of an option,
                # which argparse refuses: its business.
                return None
            files.append(token)
            continue
        if name in options or (name != "--check" and (not value or value.startswith("-"))):
            return None  # given twice, or a missing value: argparse says how it reads them
        options[name] = value
        closed = bool(files)
    jobs = options.get("--jobs", options.get("-j", "1"))
    if "--jobs" in options and "-j" in options:
        return None
    if not files or "" in files or "--out" not in options or not jobs.isdigit():
        return None
    return files, options
