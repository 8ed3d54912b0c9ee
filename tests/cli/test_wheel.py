"""From zero: the built wheel, installed into a fresh virtual environment with its runtime
dependencies only, reaches a rendered, checked system with `blueprint init`, `check` and
`render` and no other step (what `pipx install` does, with pip)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from blueprint import __version__
from tests.support import ROOT

pytestmark = pytest.mark.slow

# Test tools and validators live in the `test` extra; none may come with the tool itself.
TEST_ONLY = ("pytest", "cfn-lint", "checkov", "mypy", "ruff", "hypothesis", "python-hcl2")


def run(*argv: str | Path, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    return subprocess.run(
        [str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip


def test_the_wheel_installs_with_runtime_dependencies_and_reaches_a_rendered_system(
    tmp_path: Path,
) -> None:
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path / "dist",
                ROOT, cwd=tmp_path)  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("blueprint-*.whl")
    venv = tmp_path / "venv"
    created = run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    installed = run(venv / "bin" / "python", "-m", "pip", "install", "-q", wheel, cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr
    listed = run(venv / "bin" / "python", "-m", "pip", "list", "--format", "freeze", cwd=tmp_path)
    packages = {line.split("==")[0].lower() for line in listed.stdout.splitlines()}
    assert packages.isdisjoint(TEST_ONLY), packages & set(TEST_ONLY)

    blueprint = venv / "bin" / "blueprint"
    version = run(blueprint, "--version", cwd=tmp_path)
    assert (version.returncode, version.stdout) == (0, f"blueprint {__version__}\n")
    init = run(blueprint, "init", "shop", "--platform", "kubernetes", "--service", "web",
               "--port", "8080", cwd=tmp_path)  # fmt: skip
    assert init.returncode == 0, init.stderr
    check = run(blueprint, "check", "shop/blueprint.yaml", cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.splitlines()[-1].startswith("0 error(s)")
    render = run(blueprint, "render", "shop/blueprint.yaml", "--out", "shop/out", cwd=tmp_path)
    assert render.returncode == 0, render.stderr
    out = tmp_path / "shop" / "out"
    assert (out / "kubernetes" / "chart" / "Chart.yaml").is_file()  # templates are packaged
    assert (out / "kubernetes" / "manifests").is_dir()
    assert (out / ".blueprint-manifest.json").is_file()
