"""The command line's argparse parser: the top level and, with a known command, its parser."""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import NoReturn

from blueprint import __version__, exit_codes
from blueprint.cli import COMMANDS, DEBUG_ENV, SUMMARIES


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(exit_codes.BAD_INPUT, f"{self.prog}: error: {message}\n")


def build_parser(command: str | None) -> argparse.ArgumentParser:
    """The command line's parser; with a known command, that command's parser only."""
    parser = _Parser(
        prog="blueprint",
        description="One blueprint.yaml: rendered to cloud configuration, checked on one graph.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example:\n  blueprint validate examples/aws-fargate-api/blueprint.yaml",
    )
    parser.add_argument("--version", action="version", version=f"blueprint {__version__}")
    parser.add_argument(
        "--debug",
        action="store_true",
        help=f"print the traceback of an internal error (also {DEBUG_ENV}=1)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    if command is not None:
        # Only this command's parser: the others' stubs would serve the top-level help and
        # an unknown command's error, and neither happens with a known command. Each stub
        # costs ~0.5 ms, which counts on the pre-commit no-op.
        importlib.import_module(COMMANDS[command]).add_parser(sub)
        return parser
    for name in COMMANDS:
        sub.add_parser(name, help=SUMMARIES[name])
    return parser
