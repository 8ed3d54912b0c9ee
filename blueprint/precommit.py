"""The pre-commit hooks (.pre-commit-hooks.yaml): `python -m blueprint.precommit render|check`.

pre-commit passes all the staged blueprint files in one call; each maps to its output
directory through the `--out` pattern (see `blueprint.out_paths.output_dir`), once per
environment the repository configuration lists. `render` runs the render pipeline on all of
them at once (a process pool when several need work) and fails when anything changed so the
user stages the new output, as formatters do; `check` runs the policy rules on all of them in
one `blueprint check` per environment. The no-op case reads bytes only: the manifest records
the blueprint's and the configuration's hashes, the tool version and the environment (see
`blueprint.noop`); the configuration is parsed only where one exists.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from blueprint import exit_codes
from blueprint.out_paths import output_dir as _output_dir
from blueprint.out_paths import output_dirs
from blueprint.pipeline import Request, run_many

if TYPE_CHECKING:
    from blueprint.config import Settings

DEFAULT_OUT = "out/{name}"


def output_dir(blueprint: str, pattern: str = DEFAULT_OUT, env: str | None = None) -> str:
    """The output directory of a blueprint file (a path relative to the repository root);
    with the default `out/{name}`: `blueprint.yaml` -> `out`, `examples/shop/blueprint.yaml`
    -> `out/shop`."""
    return _output_dir(blueprint, pattern, env)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="blueprint-precommit")
    parser.add_argument("hook", choices=["render", "check"])
    parser.add_argument("files", nargs="*", metavar="FILE")
    parser.add_argument(
        "--out",
        metavar="PATTERN",
        help="output directory per blueprint; {dir} and {name} name its directory, {env} the "
        f"environment (default: the repository configuration's out, else {DEFAULT_OUT})",
    )
    parser.add_argument(
        "--env",
        metavar="NAME",
        help="apply the environment overlay NAME (default: the repository configuration's "
        "environments, each in turn)",
    )
    parser.add_argument(
        "--fail-on",
        choices=["error", "warning", "note"],
        help="for the check hook (default: the repository configuration's, else error)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from blueprint.cli import guarded

    # pre-commit appends the file names after the hook's args: options and files intermix.
    args = build_parser().parse_intermixed_args(argv)
    files: list[str] = args.files
    if args.hook == "check":
        return guarded(lambda: _check(files, args.env, args.fail_on))
    return guarded(lambda: _render(files, args.out, args.env))


def _check(files: list[str], env_flag: str | None, fail_on: str | None) -> int:
    """One `blueprint check` of every blueprint per environment."""
    from blueprint.cli import main as cli_main

    by_env: dict[str | None, list[str]] = {}
    for f in files:
        for env in _environments(f, env_flag):
            by_env.setdefault(env, []).append(f)
    fail_flag = ["--fail-on", fail_on] if fail_on else []
    return max(
        (cli_main(["check", *fail_flag, *_env_flag(env), "--", *fs]) for env, fs in by_env.items()),
        default=exit_codes.OK,
    )


def _render(files: list[str], pattern: str | None, env_flag: str | None) -> int:
    targets = output_dirs(
        [(f, _pattern(f, pattern), env) for f in files for env in _environments(f, env_flag)]
    )
    if isinstance(targets, str):
        print(targets, file=sys.stderr)
        return exit_codes.BAD_INPUT
    requests = [
        Request(file=Path(f), out_dir=Path(out), environment=env)
        for out, (f, env) in targets.items()
    ]
    worst = exit_codes.OK
    for request, outcome in zip(requests, run_many(requests), strict=True):
        sys.stdout.write(outcome.stdout)
        sys.stderr.write(outcome.stderr)
        if outcome.code != exit_codes.OK:
            worst = max(worst, outcome.code)
        elif outcome.changed:
            print(
                f"{request.out_dir}: re-rendered from {request.file}; review and stage it: "
                f"git add {request.out_dir}"
            )
            worst = max(worst, exit_codes.FINDINGS)
    return worst


def _environments(blueprint: str, flag: str | None) -> list[str | None]:
    """--env wins; else the repository configuration's environments; else none (the base)."""
    if flag:
        return [flag]
    settings = _settings(blueprint)
    return list(settings.environments) if settings and settings.environments else [None]


def _pattern(blueprint: str, flag: str | None) -> str:
    settings = _settings(blueprint)
    return flag or (settings.out if settings else None) or DEFAULT_OUT


def _settings(blueprint: str) -> Settings | None:
    """The repository configuration's settings, parsed (with pydantic) only where a
    configuration file exists, so a repository without one keeps the no-op light."""
    from blueprint.inputs import config_file

    if config_file(Path(blueprint)) is None:
        return None
    from blueprint.config import find

    return find(Path(blueprint)).settings


def _env_flag(env: str | None) -> list[str]:
    return ["--env", env] if env else []


if __name__ == "__main__":
    sys.exit(main())
