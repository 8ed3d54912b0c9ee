"""`blueprint verify OUT_DIR`: prove the rendered output is exactly what blueprint wrote."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from blueprint import exit_codes
from blueprint.cli.common import add_example


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "verify",
        help="check rendered output against its manifest (hand edits, missing files)",
        description=(
            "Recompute the hash of every file listed in OUT_DIR/.blueprint-manifest.json and "
            "report each hand-edited or missing file, and each file that carries a blueprint "
            "provenance header without being listed. Exit 0 clean, 1 on any mismatch, 2 when "
            "OUT_DIR has no manifest."
        ),
    )
    p.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    p.add_argument(
        "--blueprint",
        type=Path,
        metavar="FILE",
        help="also check that OUT_DIR was rendered from this exact blueprint (content hash)",
    )
    add_example(
        p,
        "blueprint verify out/aws-fargate-api",
        "blueprint verify out --blueprint blueprint.yaml",
    )


def run(args: argparse.Namespace) -> int:
    from blueprint.verification import NoManifestError, verify

    out_dir: Path = args.out_dir
    try:
        report = verify(out_dir, args.blueprint)
    except NoManifestError as exc:
        print(f"{out_dir}: {exc}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    for problem in report.problems:
        print(problem)
    if report.problems:
        print(
            f"{out_dir}: {len(report.problems)} problem(s) in {report.checked} listed file(s); "
            "re-render with `blueprint render` instead of editing the output",
            file=sys.stderr,
        )
        return exit_codes.FINDINGS
    print(f"{out_dir}: {report.checked} file(s) match the manifest")
    return exit_codes.OK
