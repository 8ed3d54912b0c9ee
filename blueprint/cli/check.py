"""`blueprint check FILE...`: run the policy rules and report the findings.

Several blueprints are checked in parallel (one process per core) and reported together, in
the order given; each follows its own repository configuration (rule settings, fail-on). Only
what the check needs is imported: no networkx (the rules read the graph's own tables, see
`policies.system_graph`), no generators, no Jinja2.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from blueprint import exit_codes
from blueprint.cli import check_options
from blueprint.cli.common import add_example, add_jobs
from blueprint.cli.progress import report_progress

if TYPE_CHECKING:
    from policies.findings import Finding


def add_parser(sub: Any) -> None:
    p = sub.add_parser("check", help="run the policy rules and report findings")
    p.add_argument("files", type=Path, nargs="+", metavar="FILE")
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
    add_jobs(
        p,
        "how many processes to use: for several blueprints at once, or for one large "
        "blueprint's rules (default: one per core; 1 for a single process)",
    )
    add_example(
        p,
        "blueprint check examples/latency-chain/blueprint.yaml",
        "blueprint check blueprint.yaml --format sarif --output blueprint.sarif --env prod",
        "blueprint check blueprint.yaml --write-baseline .blueprint-baseline.json",
        "blueprint check blueprint.yaml --baseline .blueprint-baseline.json --format junit",
        "blueprint check examples/*/blueprint.yaml",
    )


@dataclass(frozen=True)
class Checked:
    """One blueprint's findings, notes and verdict, or the problems that stopped it loading."""

    findings: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()
    failing: bool = False
    problems: str = ""


def check_one(args: argparse.Namespace) -> Checked:
    """Check `args.file` (one blueprint): in this process or in a pool worker."""
    from blueprint import early_parse

    early_parse.start(args.file)  # parses while the rules and the model are imported
    from blueprint.errors import BlueprintError
    from blueprint.gc_pause import paused_gc
    from policies.early_split import Starter
    from policies.engine import run_checks

    # With an environment the blueprint checked is another than the one the schema passed:
    # the rules are split, if at all, once it is known (policies/split_run.py).
    early = Starter(args.cores if args.env is None else 1)
    try:
        with paused_gc(), early:
            ctx = check_options.load(args, on_model=early.start)
            started = early.take(ctx.loaded.blueprint)
            findings = run_checks(ctx.loaded, cores=args.cores, started=started)
    except BlueprintError as exc:
        return Checked(problems="".join(f"{d}\n" for d in exc.diagnostics))
    findings = check_options.filter_findings(args, ctx, findings)
    return Checked(tuple(findings), tuple(ctx.notes), check_options.failing(args, ctx, findings))


def run(args: argparse.Namespace) -> int:
    from blueprint.parallel import available_cores, parallel_map
    from policies import report

    files: list[Path] = args.files
    if len(files) > 1 and (args.baseline or args.write_baseline):
        print(
            "blueprint check: a baseline records one blueprint's findings; expected one FILE "
            f"with --baseline or --write-baseline, found {len(files)}",
            file=sys.stderr,
        )
        return exit_codes.BAD_INPUT
    cores = args.jobs or available_cores()
    # One blueprint may use every core (`policies.early_split`, `policies.split_run`); several
    # share them, one each.
    each = cores if len(files) == 1 else 1
    jobs = [argparse.Namespace(**{**vars(args), "file": f, "cores": each}) for f in files]
    workers = min(cores, len(jobs))
    findings: list[Finding] = []
    notes: list[str] = []
    bad_input = failing = False
    for done, (file, checked) in enumerate(
        zip(files, parallel_map(check_one, jobs, workers), strict=True), start=1
    ):
        sys.stderr.write(checked.problems)
        bad_input = bad_input or bool(checked.problems)
        failing = failing or checked.failing
        findings.extend(checked.findings)
        notes.extend(n for n in checked.notes if n not in notes)
        report_progress(done, len(files), file)
    if bad_input and len(files) == 1:
        return exit_codes.BAD_INPUT
    rendered = report.render(
        findings, args.format, color=args.output is None and sys.stdout.isatty()
    )
    if args.format == "text":
        rendered += "".join(f"{note}\n" for note in notes)
    else:
        for note in notes:
            print(note, file=sys.stderr)
    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(rendered, encoding="utf-8")
    else:
        sys.stdout.write(rendered)
    if bad_input:
        return exit_codes.BAD_INPUT
    return exit_codes.FINDINGS if failing else exit_codes.OK
