"""Argument helpers shared by the commands."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # both import pydantic: only when a command loads a blueprint
    from blueprint.config import Applied
    from blueprint.loader import Loaded, OnModel


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
    return load_configured(path, environment, out_dir)[0]


def load_configured(
    path: Path,
    environment: str | None = None,
    out_dir: Path | None = None,
    on_model: OnModel | None = None,
) -> tuple[Loaded, list[Applied]]:
    """The blueprint with the repository configuration's rule settings applied (see
    blueprint.config), and those settings, for the check summary. Named for messages relative
    to the working directory and for provenance relative to its repository root (the git work
    tree, else `out_dir`'s parent)."""
    from blueprint import early_parse

    early_parse.start(path)  # parses while the model is imported
    from blueprint.config import configured
    from blueprint.loader import load
    from blueprint.provenance import repository_name

    loaded = load(path, environment=environment, name=display_name(path), on_model=on_model)
    source = dataclasses.replace(loaded.source, repository_name=repository_name(path, out_dir))
    from blueprint.cli.override_problems import refuse_failing_overrides

    refuse_failing_overrides(loaded)
    return configured(dataclasses.replace(loaded, source=source), path, environment)


def add_jobs(
    parser: argparse.ArgumentParser,
    help: str = "with several blueprints, how many to process at once (default: one per core)",
) -> None:
    parser.add_argument("--jobs", "-j", type=int, metavar="N", help=help)
