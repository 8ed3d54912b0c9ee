"""`blueprint check FILE`: run the policy rules and report the findings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from blueprint import exit_codes
from blueprint.cli import check_options
from blueprint.cli.common import add_example


def add_parser(sub: Any) -> None:
    p = sub.add_parser("check", help="run the policy rules and report findings")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--format", choices=["text", "json", "sarif", "junit"], default="text")
    p.add_argument("--output", type=Path, metavar="PATH", help="write the report here, not stdout")
    p.add_argument(
        "--fail-on",
        choices=["error", "warning", "note"],
        help="lowest severity that makes the exit code 1 (default: the repository "
        "configuration's fail-on, else error)",
    )
    p.add_argument("--env", metavar="NAME", help="apply the environment overlay NAME")
    check_options.add_options(p)
    add_example(
        p,
        "blueprint check examples/latency-chain/blueprint.yaml",
        "blueprint check blueprint.yaml --format sarif --output blueprint.sarif --env prod",
        "blueprint check blueprint.yaml --write-baseline .blueprint-baseline.json",
        "blueprint check blueprint.yaml --baseline .blueprint-baseline.json --format junit",
    )


def run(args: argparse.Namespace) -> int:
    from policies import report
    from policies.engine import paused_gc, run_checks

    with paused_gc():
        ctx = check_options.load(args)
        findings = run_checks(ctx.loaded)
    findings = check_options.filter_findings(args, ctx, findings)
    rendered = report.render(
        findings, args.format, color=args.output is None and sys.stdout.isatty()
    )
    if args.format == "text":
        rendered += "".join(f"{note}\n" for note in ctx.notes)
    else:
        for note in ctx.notes:
            print(note, file=sys.stderr)
    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(rendered, encoding="utf-8")
    else:
        sys.stdout.write(rendered)
    return exit_codes.FINDINGS if check_options.failing(args, ctx, findings) else exit_codes.OK
