"""Helpers for tests: load examples and in-memory blueprints, run the CLI in-process."""

from __future__ import annotations

import contextlib
import io
import textwrap
from pathlib import Path

from blueprint.cli import main
from blueprint.loader import Loaded, load, load_source, source_from_bytes

ROOT = Path(__file__).resolve().parent.parent


def load_example(name: str) -> Loaded:
    return load(ROOT / "examples" / name / "blueprint.yaml", name=f"examples/{name}/blueprint.yaml")


def load_text(
    text: str, name: str = "blueprint.yaml", environment: str | None = None, *, support: bool = True
) -> Loaded:
    return load_source(
        source_from_bytes(textwrap.dedent(text).encode(), name),
        environment=environment,
        support=support,
    )


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()
