"""`blueprint validate FILE...`: schema and cross-references, every problem positioned."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from blueprint import exit_codes
from blueprint.cli.common import add_example, load_file
from blueprint.errors import BlueprintError


def add_parser(sub: Any) -> None:
    p = sub.add_parser("validate", help="validate blueprints: schema and cross-references")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--env", metavar="NAME", help="also apply environment NAME")
    p.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    add_example(p, "blueprint validate examples/*/blueprint.yaml")


def run(args: argparse.Namespace) -> int:
    code = exit_codes.OK
    for path in args.files:
        try:
            loaded = load_file(path, args.env)
        except BlueprintError as exc:
            for diagnostic in exc.diagnostics:
                print(diagnostic, file=sys.stderr)
            code = exit_codes.BAD_INPUT
            continue
        if not args.quiet:
            bp = loaded.blueprint
            print(
                f"{loaded.source.name}: ok ({bp.name}: {len(bp.services)} services, "
                f"{len(bp.jobs)} jobs, {len(bp.resources)} resources)"
            )
    return code
