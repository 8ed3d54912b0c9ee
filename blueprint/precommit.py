"""The pre-commit hooks (.pre-commit-hooks.yaml): `python -m blueprint.precommit render|check`.

pre-commit passes the staged blueprint files; each maps to its output directory through the
`--out` pattern (see `output_dir`). `render` re-renders and fails when anything changed so the
user stages the new output, as formatters do; `check` runs the policy rules. The no-op case
costs one load of the blueprint: `blueprint render` skips the graph and the generators when
the manifest records the same source hash, tool version and environment.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from blueprint import exit_codes
from blueprint.writer import MANIFEST, Manifest

DEFAULT_OUT = "out/{name}"


def output_dir(blueprint: str, pattern: str = DEFAULT_OUT, env: str | None = None) -> str:
    """The output directory of a blueprint file (a path relative to the repository root).

    `{dir}` is the blueprint's directory and `{name}` that directory's last component, both
    empty for a blueprint at the root; empty segments collapse. With the default `out/{name}`:
    `blueprint.yaml` -> `out`, `examples/shop/blueprint.yaml` -> `out/shop`.
    """
    parent = PurePosixPath(blueprint.replace("\\", "/")).parent
    directory = "" if str(parent) == "." else parent.as_posix()
    formatted = pattern.format(dir=directory, name=parent.name, env=env or "")
    parts = [part for part in formatted.split("/") if part not in {"", "."}]
    return "/".join(parts) or "."


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
    # pre-commit appends the file names after the hook's args: options and files intermix.
    args = build_parser().parse_intermixed_args(argv)
    files: list[str] = args.files
    jobs = [(f, env) for f in files for env in _environments(f, args.env)]
    if args.hook == "check":
        fail_on = ["--fail-on", args.fail_on] if args.fail_on else []
        return max(
            (_cli("check", f, *fail_on, *_env_flag(env)) for f, env in jobs),
            default=exit_codes.OK,
        )
    targets: dict[str, tuple[str, str | None]] = {}
    for f, env in jobs:
        out = output_dir(f, _pattern(f, args.out), env)
        if out in targets:
            print(
                f"{f}: renders to {out}, as {targets[out][0]} does; pass an --out pattern with "
                "{dir}, {name} or {env} so each blueprint and environment has its own directory",
                file=sys.stderr,
            )
            return exit_codes.BAD_INPUT
        targets[out] = (f, env)
    worst = exit_codes.OK
    for out, (f, env) in targets.items():
        before = _snapshot(Path(out))
        code = _cli("render", f, "--out", out, *_env_flag(env))
        if code != exit_codes.OK:
            worst = max(worst, code)
        elif _snapshot(Path(out)) != before:
            print(f"{out}: re-rendered from {f}; review and stage it: git add {out}")
            worst = max(worst, exit_codes.FINDINGS)
    return worst


def _environments(blueprint: str, flag: str | None) -> list[str | None]:
    """--env wins; else the repository configuration's environments; else none (the base)."""
    if flag:
        return [flag]
    from blueprint.config import find

    return list(find(Path(blueprint)).settings.environments) or [None]


def _pattern(blueprint: str, flag: str | None) -> str:
    from blueprint.config import find

    return flag or find(Path(blueprint)).settings.out or DEFAULT_OUT


def _env_flag(env: str | None) -> list[str]:
    return ["--env", env] if env else []


def _cli(*argv: str) -> int:
    from blueprint.cli import main as cli_main

    return cli_main(list(argv))


def _snapshot(out_dir: Path) -> str:
    """A digest of the manifest and of every file it lists, as they are on disk."""
    digest = hashlib.sha256()
    manifest = Manifest.read(out_dir)
    if manifest is None:
        return ""
    digest.update((out_dir / MANIFEST).read_bytes())
    for path in sorted(manifest.files):
        digest.update(path.encode())
        try:
            digest.update((out_dir / path).read_bytes())
        except OSError:
            digest.update(b"\0missing")
    return digest.hexdigest()


if __name__ == "__main__":
    sys.exit(main())
