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
    path = ROOT / "examples" / name / "blueprint.yaml"
    if not path.exists():  # a test system: tests/data/systems/<name>.yaml
        path = ROOT / "tests" / "data" / "systems" / f"{name}.yaml"
    return load(path, name=path.relative_to(ROOT).as_posix())


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
