"""`blueprint graph FILE`: export one view of the system graph (Mermaid, DOT, JSON, Markdown).

With `--base OTHER.yaml` the drawing marks what changed since OTHER: added edges `+` (green),
removed ones `-` (red, dashed). `--format markdown` wraps the Mermaid drawing in a fenced
block for a pull-request comment, and with `--base` prints nothing when neither the view nor
the security surface changed (so a workflow appends it only when there is something to see).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from blueprint import exit_codes
from blueprint.cli.common import add_example, display_name, load_file

VIEW_CHOICES = ("calls", "network", "identity", "all")
FORMAT_CHOICES = ("mermaid", "dot", "json", "markdown")


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "graph", help="export a view of the system graph (mermaid, dot, json, markdown)"
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--format", choices=FORMAT_CHOICES, default="mermaid")
    p.add_argument(
        "--view",
        choices=VIEW_CHOICES,
        default="all",
        help="calls: ingress, workloads, data; network: networks, subnets, gateways, exposure; "
        "identity: principals, scopes, grants; all: everything (default)",
    )
    p.add_argument(
        "--base",
        type=Path,
        metavar="OTHER",
        help="mark what changed since the blueprint OTHER (mermaid, dot, markdown)",
    )
    p.add_argument("--env", metavar="NAME", help="apply the environment overlay NAME")
    add_example(
        p,
        "blueprint graph examples/aws-fargate-api/blueprint.yaml --view calls",
        "blueprint graph blueprint.yaml --view calls --base old.yaml --format markdown",
    )


def run(args: argparse.Namespace) -> int:
    from policies.export import dot_drawing, export, mermaid_drawing
    from policies.graph import build_graph
    from policies.views import changed, compare, draw

    loaded = load_file(args.file, args.env)
    graph = build_graph(loaded.blueprint)
    if args.base is None:
        if args.format == "markdown":
            sys.stdout.write(_markdown(args.view, mermaid_drawing(draw(graph, args.view))))
        else:
            sys.stdout.write(export(graph, args.format, args.view))
        return exit_codes.OK
    if args.format == "json":
        print(
            "blueprint graph: error: --base draws changes; use --format mermaid, dot or markdown",
            file=sys.stderr,
        )
        return exit_codes.BAD_INPUT
    base = load_file(args.base, args.env)
    drawing = compare(draw(build_graph(base.blueprint), args.view), draw(graph, args.view))
    if args.format == "dot":
        sys.stdout.write(dot_drawing(drawing))
    elif args.format == "mermaid":
        sys.stdout.write(mermaid_drawing(drawing))
    elif changed(drawing) or _surface_changed(base.blueprint, loaded.blueprint):
        title = f"{args.view} view: {display_name(args.base)} → {display_name(args.file)}"
        sys.stdout.write(_markdown(title, mermaid_drawing(drawing), legend=True))
    return exit_codes.OK


def _surface_changed(base: Any, head: Any) -> bool:
    from policies.security_diff import compare
    from policies.security_surface import surface

    return bool(compare(surface(base), surface(head), "base", "head").changes)


def _markdown(title: str, mermaid: str, *, legend: bool = False) -> str:
    from policies.security_diff import md_escape

    lines = [f"#### {md_escape(title)}", ""]
    if legend:
        lines += ["Edges marked `+` (green) are new, `-` (red, dashed) removed.", ""]
    return "\n".join([*lines, "```mermaid", mermaid.rstrip("\n"), "```"]) + "\n"
