"""The layers hold: read every import (ast, including imports inside functions and under
TYPE_CHECKING) and fail on one that points the wrong way.

    blueprint core (model, loader, positions, view, writer, ...)   imports only itself
    generators, policies              import the core and themselves, never each other
    blueprint.cli, blueprint.pipeline (and the entry points on them)   import anything
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support import ROOT

PACKAGES = ("blueprint", "generators", "policies")
# The top layer: the CLI, the render pipeline, and what only they use (the `python -m
# blueprint` module, the pre-commit hooks, the in-memory manifest stream, the repository
# configuration that names rules, the importers behind `blueprint import`, which reuse a
# rule's secret detection).
TOP = (
    "blueprint.cli",
    "blueprint.pipeline",
    "blueprint.__main__",
    "blueprint.precommit",
    "blueprint.manifest_stream",
    "blueprint.config",
    "blueprint.importers",
)


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(f"{p}.") for p in prefixes)


def _imports(path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
    return found


def _layer(module: str) -> str:
    if _within(module, TOP):
        return "top"
    if _within(module, ("generators",)):
        return "generators"
    if _within(module, ("policies",)):
        return "policies"
    return "core"


# layer of the importer -> layers it may import
ALLOWED = {
    "core": {"core"},
    "generators": {"core", "generators"},
    "policies": {"core", "policies"},
    "top": {"core", "generators", "policies", "top"},
}


def violations() -> list[str]:
    found: list[str] = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            importer = _module(path)
            for line, imported in _imports(path):
                if not _within(imported, PACKAGES):
                    continue
                if _layer(imported) not in ALLOWED[_layer(importer)]:
                    found.append(f"{path.relative_to(ROOT)}:{line}: {importer} -> {imported}")
    return found


def test_no_import_points_the_wrong_way() -> None:
    assert violations() == []


@pytest.mark.parametrize(
    ("importer", "imported", "ok"),
    [
        ("blueprint.model.blueprint", "policies.graph", False),
        ("blueprint.loader", "generators.kubernetes", False),
        ("generators.kubernetes.network", "policies.graph", False),
        ("policies.graph", "generators.aws", False),
        ("blueprint.writer", "blueprint.pipeline", False),
        ("blueprint.view", "blueprint.model", True),
        ("generators.gitops.layout", "blueprint.view", True),
        ("blueprint.pipeline", "generators", True),
        ("blueprint.cli.check", "policies.engine", True),
    ],
)
def test_the_layers(importer: str, imported: str, ok: bool) -> None:
    assert (_layer(imported) in ALLOWED[_layer(importer)]) is ok
