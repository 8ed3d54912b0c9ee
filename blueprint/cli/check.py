"""`blueprint check FILE...`: run the policy rules and report the findings.

Several blueprints are checked in parallel (one process per core) and reported together, in
the order given. Only what the check needs is imported: networkx as a graph container (see
`blueprint.light_imports`), no generators, no Jinja2.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from blueprint import exit_codes
from blueprint.cli.common import add_example, add_jobs, load_file, report_progress

if TYPE_CHECKING:
    from policies.findings import Finding


def add_parser(sub: Any) -> None:
    p = sub.add_parser("check", help="run the policy rules and report findings")
    p.add_argument("files", type=Path, nargs="+", metavar="FILE")
    p.add_argument("--format", choices=["text", "json", "sarif"], default="text")
    p.add_argument("--output", type=Path, metavar="PATH", help="write the report here, not stdout")
    p.add_argument(
        "--fail-on",
        choices=["error", "warning"],
        default="error",
        help="lowest severity that makes the exit code 1 (default: error)",
    )
    p.add_argument("--env", metavar="NAME", help="apply the environment overlay NAME")
    add_jobs(p)
    add_example(
        p,
        "blueprint check examples/latency-chain/blueprint.yaml",
        "blueprint check blueprint.yaml --format sarif --output blueprint.sarif --env prod",
        "blueprint check examples/*/blueprint.yaml",
    )


@dataclass(frozen=True)
class Checked:
    """One blueprint's findings, or the problems that stopped it loading."""

    findings: tuple[Finding, ...] = ()
    problems: str = ""


def check_one(job: tuple[Path, str | None]) -> Checked:
    from blueprint import light_imports
    from blueprint.errors import BlueprintError
    from policies.engine import paused_gc, run_checks

    light_imports.networkx()
    file, environment = job
    with paused_gc():
        try:
            loaded = load_file(file, environment)
        except BlueprintError as exc:
            return Checked(problems="".join(f"{d}\n" for d in exc.diagnostics))
        return Checked(tuple(run_checks(loaded)))


def run(args: argparse.Namespace) -> int:
    from blueprint.pipeline import available_cores, parallel_map
    from policies import report
    from policies.findings import SEVERITY_RANK

    files: list[Path] = args.files
    jobs = [(f, args.env) for f in files]
    workers = min(args.jobs or available_cores(), len(jobs))
    findings: list[Finding] = []
    bad_input = False
    for done, (file, checked) in enumerate(
        zip(files, parallel_map(check_one, jobs, workers), strict=True), start=1
    ):
        sys.stderr.write(checked.problems)
        bad_input = bad_input or bool(checked.problems)
        findings.extend(checked.findings)
        report_progress(done, len(files), file)
    if bad_input and len(files) == 1:
        return exit_codes.BAD_INPUT
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
    if bad_input:
        return exit_codes.BAD_INPUT
    return exit_codes.FINDINGS if failing else exit_codes.OK
