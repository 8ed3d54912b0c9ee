"""From zero, as the README says: `pipx install .` (a fresh virtual environment with the
runtime dependencies only), then `blueprint init`, `check` and `render` and no other step reach
a rendered, checked system. A second test does the same with the wheel and plain pip."""

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


def run(
    *argv: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env = {**clean, **(env or {})}
    return subprocess.run(
        [str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip


def test_pipx_install_then_init_check_render(tmp_path: Path) -> None:
    pipx = {"PIPX_HOME": str(tmp_path / "pipx"), "PIPX_BIN_DIR": str(tmp_path / "bin"),
            "PIPX_MAN_DIR": str(tmp_path / "man")}  # fmt: skip
    installed = run(sys.executable, "-m", "pipx", "install", ROOT, cwd=tmp_path, env=pipx)
    assert installed.returncode == 0, installed.stderr
    listed = run(
        tmp_path / "pipx" / "venvs" / "blueprint" / "bin" / "python", "-m", "pip", "list",
        "--format", "freeze", cwd=tmp_path,
    )  # fmt: skip
    assert_runtime_only(listed.stdout)
    assert_reaches_a_rendered_system(tmp_path / "bin" / "blueprint", tmp_path)


def assert_runtime_only(freeze: str) -> None:
    packages = {line.split("==")[0].lower() for line in freeze.splitlines()}
    assert "pydantic" in packages
    assert packages.isdisjoint(TEST_ONLY), packages & set(TEST_ONLY)


def assert_reaches_a_rendered_system(blueprint: Path, cwd: Path) -> None:
    version = run(blueprint, "--version", cwd=cwd)
    assert (version.returncode, version.stdout) == (0, f"blueprint {__version__}\n")
    init = run(blueprint, "init", "shop", "--platform", "kubernetes", "--service", "web",
               "--port", "8080", cwd=cwd)  # fmt: skip
    assert init.returncode == 0, init.stderr
    check = run(blueprint, "check", "shop/blueprint.yaml", cwd=cwd)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.splitlines()[-1].startswith("0 error(s)")
    render = run(blueprint, "render", "shop/blueprint.yaml", "--out", "shop/out", cwd=cwd)
    assert render.returncode == 0, render.stderr
    out = cwd / "shop" / "out"
    assert (out / "kubernetes" / "chart" / "Chart.yaml").is_file()  # templates are packaged
    assert (out / "kubernetes" / "manifests").is_dir()
    assert (out / ".blueprint-manifest.json").is_file()


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
    assert_runtime_only(listed.stdout)
    assert_reaches_a_rendered_system(venv / "bin" / "blueprint", tmp_path)
