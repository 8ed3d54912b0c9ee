"""Argument helpers shared by the commands."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from blueprint.loader import Loaded, load


def add_example(parser: argparse.ArgumentParser, *lines: str) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = "example:\n" + "\n".join(f"  {line}" for line in lines)


def display_name(path: Path) -> str:
    """The blueprint's name in messages: relative to the working directory when
    inside it, so output is the same on every machine."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def load_file(path: Path, environment: str | None = None, out_dir: Path | None = None) -> Loaded:
    """Load `path`, named for messages relative to the working directory and for provenance
    relative to its repository root (the git work tree, else `out_dir`'s parent)."""
    from blueprint.provenance import repository_name
    from blueprint.requirements import check_renderable

    loaded = load(path, environment=environment, name=display_name(path))
    check_renderable(loaded)
    source = dataclasses.replace(loaded.source, repository_name=repository_name(path, out_dir))
    return dataclasses.replace(loaded, source=source)
