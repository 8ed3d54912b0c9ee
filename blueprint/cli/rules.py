"""`blueprint rules`: list the policy rules."""

from __future__ import annotations

import argparse
from typing import Any

from blueprint import exit_codes
from blueprint.cli.common import add_example


def add_parser(sub: Any) -> None:
    p = sub.add_parser("rules", help="list the policy rules")
    add_example(p, "blueprint rules")


def run(args: argparse.Namespace) -> int:
    del args
    from policies.registry import RULES

    for rule in RULES:
        print(f"{rule.id}  {rule.severity:<7}  {rule.title}  (docs/rules.md#{rule.anchor})")
    return exit_codes.OK
