"""Argument helpers shared by the commands."""

from __future__ import annotations

import argparse
from pathlib import Path

from blueprint.loader import Loaded, load


def add_example(parser: argparse.ArgumentParser, *lines: str) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = "example:\n" + "\n".join(f"  {line}" for line in lines)


def display_name(path: Path) -> str:
    """The blueprint's name in messages and provenance: relative to the working directory when
    inside it, so output is the same on every machine."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def load_file(path: Path, environment: str | None = None) -> Loaded:
    return load(path, environment=environment, name=display_name(path))
