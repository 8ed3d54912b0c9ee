"""`blueprint rules`: list the policy rules, or those evidencing one framework's controls."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from blueprint import exit_codes
from blueprint.cli.common import add_example
from blueprint.errors import did_you_mean


def add_parser(sub: Any) -> None:
    from policies.rules.base import FRAMEWORKS

    p = sub.add_parser("rules", help="list the policy rules")
    p.add_argument(
        "--framework",
        metavar="KEY",
        help=(
            "only the rules mapped to this framework's controls, with the controls: "
            + ", ".join(FRAMEWORKS)
        ),
    )
    add_example(p, "blueprint rules --framework cis-aws")


def run(args: argparse.Namespace) -> int:
    from policies.registry import RULES
    from policies.rules.base import FRAMEWORKS

    framework = args.framework
    if framework is None:
        for rule in RULES:
            print(f"{rule.id}  {rule.severity:<7}  {rule.title}  (docs/rules.md#{rule.anchor})")
        return exit_codes.OK
    if framework not in FRAMEWORKS:
        print(
            f"blueprint: unknown framework {framework!r}{did_you_mean(framework, FRAMEWORKS)}; "
            f"expected one of: {', '.join(FRAMEWORKS)}",
            file=sys.stderr,
        )
        return exit_codes.BAD_INPUT
    print(f"# {FRAMEWORKS[framework]}")
    for rule in RULES:
        controls = rule.controls_of(framework)
        if controls:
            print(f"{rule.id}  {rule.severity:<7}  {', '.join(controls):<14}  {rule.title}")
    return exit_codes.OK
