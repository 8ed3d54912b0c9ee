"""The pre-commit hooks (.pre-commit-hooks.yaml): `python -m blueprint.precommit render|check`.

pre-commit passes all the staged blueprint files in one call; each maps to its output
directory through the `--out` pattern (see `blueprint.pipeline.output_dir`). `render` runs the
render pipeline on all of them at once (a process pool when several need work) and fails when
anything changed so the user stages the new output, as formatters do; `check` runs the policy
rules on all of them in one `blueprint check`. The no-op case reads bytes only: the manifest
records the blueprint's hash, the tool version and the environment (see `pipeline.unchanged`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from blueprint import exit_codes
from blueprint.pipeline import Request, output_dirs, run_many
from blueprint.pipeline import output_dir as _output_dir

DEFAULT_OUT = "out/{name}"


def output_dir(blueprint: str, pattern: str = DEFAULT_OUT) -> str:
    """The output directory of a blueprint file (a path relative to the repository root);
    with the default `out/{name}`: `blueprint.yaml` -> `out`, `examples/shop/blueprint.yaml`
    -> `out/shop`."""
    return _output_dir(blueprint, pattern)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="blueprint-precommit")
    parser.add_argument("hook", choices=["render", "check"])
    parser.add_argument("files", nargs="*", metavar="FILE")
    parser.add_argument(
        "--out",
        default=DEFAULT_OUT,
        metavar="PATTERN",
        help="output directory per blueprint; {dir} and {name} name its directory "
        f"(default: {DEFAULT_OUT})",
    )
    parser.add_argument("--env", metavar="NAME", help="apply the environment overlay NAME")
    parser.add_argument(
        "--fail-on", choices=["error", "warning"], default="error", help="for the check hook"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # pre-commit appends the file names after the hook's args: options and files intermix.
    args = build_parser().parse_intermixed_args(argv)
    files: list[str] = args.files
    if not files:
        return exit_codes.OK
    env = ["--env", args.env] if args.env else []
    if args.hook == "check":
        from blueprint.cli import main as cli_main

        return cli_main(["check", "--fail-on", args.fail_on, *env, "--", *files])
    from blueprint.cli import guarded

    return guarded(lambda: _render(files, args.out, args.env))


def _render(files: list[str], pattern: str, environment: str | None) -> int:
    targets = output_dirs(files, pattern)
    if isinstance(targets, str):
        print(targets, file=sys.stderr)
        return exit_codes.BAD_INPUT
    requests = [
        Request(file=Path(f), out_dir=Path(out), environment=environment)
        for out, f in targets.items()
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


if __name__ == "__main__":
    sys.exit(main())
