"""`blueprint explain RULE_ID`: what a rule checks, why, how to fix it, and an example."""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import Any

from blueprint import exit_codes
from blueprint.cli.common import add_example
from blueprint.errors import did_you_mean


def add_parser(sub: Any) -> None:
    p = sub.add_parser("explain", help="explain one policy rule, with a bad and a fixed example")
    p.add_argument("rule_id", metavar="RULE_ID")
    add_example(p, "blueprint explain BP3001")


def run(args: argparse.Namespace) -> int:
    from policies.registry import RULES, find

    rule = find(args.rule_id)
    if rule is None:
        hint = did_you_mean(args.rule_id.upper(), [r.id for r in RULES])
        print(
            f"blueprint: unknown rule {args.rule_id!r}{hint}; `blueprint rules` lists them",
            file=sys.stderr,
        )
        return exit_codes.BAD_INPUT
    controls = ", ".join(rule.controls) or "none mapped"
    print(
        f"{rule.id} ({rule.name}): {rule.title}\n"
        f"default severity: {rule.severity}\n"
        f"controls: {controls}\n\n"
        f"{rule.rationale}\n\n"
        f"fix: {rule.fix}\n\n"
        f"raises {rule.id}:\n\n{textwrap.indent(rule.example.bad, '    ')}\n"
        f"fixed:\n\n{textwrap.indent(rule.example.good, '    ')}\n"
        f"docs: {rule.help_uri}"
    )
    return exit_codes.OK
