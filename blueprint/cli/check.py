"""`blueprint check FILE`: run the policy rules and report the findings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from blueprint import exit_codes
from blueprint.cli.common import add_example, load_file


def add_parser(sub: Any) -> None:
    p = sub.add_parser("check", help="run the policy rules and report findings")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--format", choices=["text", "json", "sarif"], default="text")
    p.add_argument("--output", type=Path, metavar="PATH", help="write the report here, not stdout")
    p.add_argument(
        "--fail-on",
        choices=["error", "warning"],
        default="error",
        help="lowest severity that makes the exit code 1 (default: error)",
    )
    p.add_argument("--env", metavar="NAME", help="apply the environment overlay NAME")
    add_example(
        p,
        "blueprint check examples/latency-chain/blueprint.yaml",
        "blueprint check blueprint.yaml --format sarif --output blueprint.sarif --env prod",
    )


def run(args: argparse.Namespace) -> int:
    from policies import report
    from policies.engine import paused_gc, run_checks
    from policies.findings import SEVERITY_RANK

    with paused_gc():
        loaded = load_file(args.file, args.env)
        findings = run_checks(loaded)
    rendered = report.render(
        findings, args.format, color=args.output is None and sys.stdout.isatty()
    )
    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(rendered, encoding="utf-8")
    else:
        sys.stdout.write(rendered)
    threshold = SEVERITY_RANK[args.fail_on]
    failing = [
        f for f in findings if f.waived_by is None and SEVERITY_RANK[f.severity] >= threshold
    ]
    return exit_codes.FINDINGS if failing else exit_codes.OK
