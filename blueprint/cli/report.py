"""`blueprint report FILE --out report.html [--base OTHER.yaml]`: the system as one HTML page."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from blueprint import exit_codes
from blueprint.cli.common import add_example, load_file


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "report",
        help="write a self-contained HTML report: views, findings, paths, security diff",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--out", type=Path, required=True, metavar="PATH", help="the HTML file")
    p.add_argument(
        "--base",
        type=Path,
        metavar="OTHER",
        help="add the security diff against the blueprint OTHER and colour each view's "
        "added and removed edges",
    )
    p.add_argument("--env", metavar="NAME", help="apply the environment overlay NAME")
    add_example(
        p,
        "blueprint report examples/aws-fargate-api/blueprint.yaml --out report.html",
        "blueprint report blueprint.yaml --base old/blueprint.yaml --out report.html",
    )


def run(args: argparse.Namespace) -> int:
    from policies.engine import run_checks
    from policies.html_report import build

    loaded = load_file(args.file, args.env)
    base = None if args.base is None else load_file(args.base, args.env)
    diff = None
    if base is not None:
        from policies.security_diff import compare
        from policies.security_surface import surface

        diff = compare(
            surface(base.blueprint), surface(loaded.blueprint), base.source.name, loaded.source.name
        )
    page = build(loaded, run_checks(loaded), base=base, diff=diff)
    out: Path = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    print(f"{out}: report of {loaded.source.name}")
    return exit_codes.OK
