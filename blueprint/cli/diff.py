"""`blueprint diff BASE HEAD` or `blueprint diff --git REV FILE`: the security diff."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import Any

from blueprint import exit_codes
from blueprint.cli.common import add_example, display_name
from blueprint.errors import BlueprintError, Diagnostic

USAGE_ERROR = "expected BASE.yaml HEAD.yaml, or --git REV FILE"


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "diff",
        help="security diff of two blueprints: new exposure, widened grants",
        description=(
            "Compare two versions of a blueprint on what matters for security: new "
            "internet-reachable paths, widened grants, new principals or scopes, new escalation "
            "paths, waivers added or removed, latency-budget changes, overrides added, changed "
            "or removed."
        ),
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="BASE HEAD, or FILE")
    p.add_argument(
        "--git",
        metavar="REV",
        help="compare FILE at git revision REV (base) with FILE in the working tree (head)",
    )
    p.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    p.add_argument("--output", type=Path, metavar="PATH", help="write the report here, not stdout")
    p.add_argument(
        "--fail-on-widening",
        action="store_true",
        help="exit 1 when exposure grows (otherwise the diff only reports)",
    )
    p.add_argument("--env", metavar="NAME", help="apply the environment overlay NAME to both")
    add_example(
        p,
        "blueprint diff old/blueprint.yaml blueprint.yaml --fail-on-widening",
        "blueprint diff --git origin/main blueprint.yaml --format markdown",
    )


def run(args: argparse.Namespace) -> int:
    from policies.security_diff import FORMATS, compare
    from policies.security_surface import Surface, surface

    files: list[Path] = args.files
    if len(files) != (1 if args.git else 2):
        print(f"blueprint diff: error: {USAGE_ERROR}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    diagnostics: list[Diagnostic] = []
    surfaces: list[Surface] = []
    names: list[str] = []
    for side in ("base", "head"):
        try:
            name, found = _read_side(side, args)
        except BlueprintError as exc:
            diagnostics.extend(exc.diagnostics)
            continue
        names.append(name)
        surfaces.append(Surface() if found is None else surface(found.blueprint))
    if diagnostics:
        raise BlueprintError(diagnostics)
    diff = compare(surfaces[0], surfaces[1], names[0], names[1])
    report = FORMATS[args.format](diff)
    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(report, encoding="utf-8")
    else:
        sys.stdout.write(report)
    if args.fail_on_widening and diff.widening:
        return exit_codes.FINDINGS
    return exit_codes.OK


def _read_side(side: str, args: argparse.Namespace) -> tuple[str, Any]:
    """(display name, Loaded or None for a file absent at the base revision)."""
    from blueprint.loader import load, load_source, source_from_bytes

    files: list[Path] = args.files
    # The diff compares what each side grants and exposes; whether a target can render it is
    # `validate`'s question (docs/support.md), so a gap there does not hide a widening here.
    if args.git is None:
        path = files[0] if side == "base" else files[1]
        return display_name(path), load(
            path, environment=args.env, name=display_name(path), support=False
        )
    path = files[0]
    if side == "head":
        return display_name(path), load(
            path, environment=args.env, name=display_name(path), support=False
        )
    name = f"{args.git}:{display_name(path)}"
    raw = _git_show(args.git, path)
    if raw is None:
        return f"{name} (absent)", None
    return name, load_source(source_from_bytes(raw, name), environment=args.env, support=False)


def _git_show(rev: str, path: Path) -> bytes | None:
    """The file's bytes at `rev`, or None when the file does not exist there (a new file)."""
    shown = display_name(path)
    if rev.startswith("-"):
        raise BlueprintError(
            [Diagnostic(shown, 1, 1, f"found revision {rev!r}, expected a git revision")]
        )
    directory = path.parent if str(path.parent) else Path()
    try:
        done = subprocess.run(
            ["git", "show", f"{rev}:./{path.name}"],
            cwd=directory,
            capture_output=True,
            check=False,
        )
    except OSError as exc:
        raise BlueprintError(
            [Diagnostic(shown, 1, 1, f"cannot run git to read it at {rev!r}: {exc}")]
        ) from None
    if done.returncode == 0:
        return done.stdout
    message = done.stderr.decode("utf-8", "replace").strip().splitlines()
    reason = message[0].removeprefix("fatal: ") if message else f"git exited {done.returncode}"
    if "does not exist in" in reason or "exists on disk, but not in" in reason:
        return None
    raise BlueprintError([Diagnostic(shown, 1, 1, f"cannot read it at revision {rev!r}: {reason}")])
