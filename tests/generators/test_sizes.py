"""Generators stay small enough to read: no file over 500 lines, no function over 60.

ruff's C901/PLR0912/PLR0915 (pyproject) bound branches and statements; this bounds length,
which ruff does not measure. Templates count as files too.
"""

from __future__ import annotations

import ast
from pathlib import Path

GENERATORS = Path(__file__).resolve().parents[2] / "generators"
MAX_FILE_LINES = 500
MAX_FUNCTION_LINES = 60


def _files() -> list[Path]:
    return sorted(p for p in GENERATORS.rglob("*") if p.is_file() and p.suffix in {".py", ".j2"})


def test_no_generator_file_is_over_500_lines() -> None:
    long = [
        f"{p.relative_to(GENERATORS.parent)}: {n} lines"
        for p in _files()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_FILE_LINES
    ]
    assert long == []


def test_no_generator_function_is_over_60_lines() -> None:
    long: list[str] = []
    for path in _files():
        if path.suffix != ".py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(
                        f"{path.relative_to(GENERATORS.parent)}:{node.lineno}: "
                        f"{node.name} is {lines} lines"
                    )
    assert long == []


def test_the_checks_see_the_generators() -> None:
    """The walk above finds the modules it is meant to bound (a moved tree fails here)."""
    names = {p.relative_to(GENERATORS).as_posix() for p in _files()}
    assert {"aws/plan/__init__.py", "azure/__init__.py", "gcp/__init__.py"} <= names
