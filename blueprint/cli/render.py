"""`blueprint render FILE --out DIR`: check, then render atomically into DIR."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from blueprint import exit_codes
from blueprint.cli.common import add_example, load_file


def add_parser(sub: Any) -> None:
    from generators import GENERATORS

    p = sub.add_parser(
        "render", help="check, then render the configuration into an output directory"
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help="output directory (owned files only are ever changed)",
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; print a diff and exit 1 if anything would change",
    )
    p.add_argument(
        "--only",
        nargs="+",
        choices=list(GENERATORS),
        metavar="TARGET",
        help=f"render only these targets: {', '.join(GENERATORS)}",
    )
    p.add_argument("--env", metavar="NAME", help="apply the environment overlay NAME")
    add_example(
        p,
        "blueprint render examples/aws-fargate-api/blueprint.yaml --out out/aws-fargate-api",
        "blueprint render blueprint.yaml --out out --check --env prod",
    )


def run(args: argparse.Namespace) -> int:
    from blueprint import pipeline, writer
    from generators import GENERATORS

    loaded = load_file(args.file, args.env, out_dir=args.out)
    out_dir: Path = args.out
    if not args.check:
        writer.recover(out_dir)  # what a killed render left behind, even when up to date
    if not args.only and pipeline.up_to_date(out_dir, loaded, args.env):
        if not args.check:
            print(f"{out_dir}: up to date")
        return exit_codes.OK

    from policies.engine import run_checks
    from policies.report import blocking_summary

    findings = run_checks(loaded)
    errors = [f for f in findings if f.blocking]
    if errors:
        print(blocking_summary(errors, loaded.source.name), file=sys.stderr)
        return exit_codes.FINDINGS

    files = pipeline.render_files(loaded, args.only, args.env)
    if args.only:
        files = pipeline.keep_other_targets(out_dir, args.only, files)
    partial = args.only if args.only and set(args.only) != set(GENERATORS) else None
    manifest = pipeline.manifest_for(loaded, files, args.env, partial)
    if args.check:
        plan = writer.plan(out_dir, files, manifest)
        if plan.changed:
            sys.stdout.write(writer.diff(out_dir, plan))
            print(
                f"{out_dir}: stale; run `blueprint render {args.file} --out {out_dir}`",
                file=sys.stderr,
            )
            return exit_codes.FINDINGS
        return exit_codes.OK
    try:
        plan = writer.apply(out_dir, files, manifest)
    except (writer.OwnershipError, writer.UnsafePathError) as exc:
        print(f"blueprint: {exc}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    print(
        f"{out_dir}: {len(plan.write)} written, {len(plan.remove)} removed, "
        f"{len(plan.unchanged)} unchanged"
    )
    return exit_codes.OK
