"""`blueprint graph FILE`: export the system graph."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from blueprint import exit_codes
from blueprint.cli.common import add_example, load_file


def add_parser(sub: Any) -> None:
    p = sub.add_parser("graph", help="export the system graph (mermaid, dot, json)")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--format", choices=["mermaid", "dot", "json"], default="mermaid")
    p.add_argument("--env", metavar="NAME", help="apply the environment overlay NAME")
    add_example(p, "blueprint graph examples/aws-fargate-api/blueprint.yaml --format mermaid")


def run(args: argparse.Namespace) -> int:
    from policies.export import export
    from policies.graph import build_graph

    loaded = load_file(args.file, args.env)
    sys.stdout.write(export(build_graph(loaded.blueprint), args.format))
    return exit_codes.OK
