"""`blueprint render FILE... --out DIR`: check, then render atomically into DIR.

Several blueprints render in parallel (one process per core), each into the directory its
`--out` pattern names; see `blueprint.pipeline` for the sequence itself.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from blueprint import exit_codes
from blueprint.cli.common import add_example, add_jobs
from blueprint.cli.progress import report_progress


def add_parser(sub: Any) -> None:
    from generators import GENERATORS

    p = sub.add_parser(
        "render", help="check, then render the configuration into an output directory"
    )
    p.add_argument("files", type=Path, nargs="+", metavar="FILE")
    p.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help="output directory (owned files only are ever changed); with several blueprints "
        "a pattern where {dir} is each blueprint's directory, {name} its last component and "
        "{env} the environment, such as out/{name}",
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
    add_jobs(p)
    add_example(
        p,
        "blueprint render examples/aws-fargate-api/blueprint.yaml --out out/aws-fargate-api",
        "blueprint render blueprint.yaml --out out --check --env prod",
        "blueprint render examples/*/blueprint.yaml --out 'out/{name}'",
    )


def run(args: argparse.Namespace) -> int:
    from blueprint.out_paths import output_dirs
    from blueprint.pipeline import Request, run_many

    files: list[Path] = args.files
    targets = output_dirs([(f.as_posix(), args.out, args.env) for f in files])
    if isinstance(targets, str):
        print(f"blueprint render: {targets}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    requests = [
        Request(
            file=Path(source),
            out_dir=Path(out),
            environment=env,
            only=tuple(args.only or ()),
            mode="plan" if args.check else "apply",
        )
        for out, (source, env) in targets.items()
    ]
    worst = exit_codes.OK
    for done, (request, outcome) in enumerate(
        zip(requests, run_many(requests, args.jobs), strict=True), start=1
    ):
        sys.stdout.write(outcome.stdout)
        sys.stderr.write(outcome.stderr)
        report_progress(done, len(requests), request.file)
        worst = max(worst, outcome.code)
    return worst
