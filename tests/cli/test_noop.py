"""The no-op render decides from bytes: nothing heavy is imported when nothing changed, and a
changed byte anywhere (the blueprint, another input, an owned file) takes the full path."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from blueprint.writer import MANIFEST, Manifest
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples/aws-fargate-api/blueprint.yaml"
PROBE = """
import contextlib, io, json, sys
from blueprint.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "out": out.getvalue(), "modules": sorted(sys.modules)}))
"""
# The no-op answers before the command line parser, so argparse, dataclasses and typing too.
HEAVY = {
    "pydantic",
    "yaml",
    "yaml_rs",
    "jinja2",
    "networkx",
    "policies",
    "generators",
    "argparse",
    "dataclasses",
    "typing",
    "tomllib",
}


def cli(cwd: Path, *argv: str, code_root: Path = ROOT) -> tuple[int, str, set[str]]:
    """Exit code, stdout and the top-level modules imported, in a fresh interpreter running
    the blueprint packages found in `code_root`."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        env={
            "PYTHONPATH": str(code_root),
            "PATH": "/usr/bin:/bin",
            "BLUEPRINT_CACHE_DIR": os.environ["BLUEPRINT_CACHE_DIR"],
        },
    )
    report = json.loads(done.stdout.splitlines()[-1])
    modules = {m.split(".")[0] for m in report["modules"]}
    modules |= {f"{m.split('.')[0]}.*" for m in report["modules"] if "." in m}
    return report["code"], report["out"], modules


@pytest.fixture
def rendered(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLE, tmp_path / "blueprint.yaml")
    code, out, _ = cli(tmp_path, "render", "blueprint.yaml", "--out", "out")
    assert (code, out.endswith(" written, 0 removed, 0 unchanged\n")) == (0, True)
    return tmp_path


@pytest.mark.slow
@pytest.mark.parametrize("check", [False, True])
def test_a_no_op_render_imports_nothing_heavy(rendered: Path, check: bool) -> None:
    argv = ["render", "blueprint.yaml", "--out", "out", *(["--check"] if check else [])]
    code, out, modules = cli(rendered, *argv)
    assert (code, out) == (0, "" if check else "out: up to date\n")
    assert modules & HEAVY == set()


@pytest.mark.slow
def test_a_changed_byte_in_the_blueprint_takes_the_full_path(rendered: Path) -> None:
    source = rendered / "blueprint.yaml"
    source.write_bytes(source.read_bytes() + b"# a comment\n")
    code, _out, modules = cli(rendered, "render", "blueprint.yaml", "--out", "out", "--check")
    assert code == 1  # every header names the new hash
    assert {"pydantic", "policies", "generators.*"} <= modules


@pytest.mark.slow
def test_an_edited_owned_file_takes_the_full_path_and_is_restored(rendered: Path) -> None:
    owned = rendered / "out/aws/terraform/ecs.tf"
    before = owned.read_bytes()
    owned.write_bytes(before.replace(b"\n", b"\n\n", 1))
    code, out, _ = cli(rendered, "render", "blueprint.yaml", "--out", "out")
    assert (code, out) == (0, "out: 1 written, 0 removed, 19 unchanged\n")
    assert owned.read_bytes() == before


@pytest.mark.slow
def test_the_repository_configuration_is_an_input(rendered: Path) -> None:
    config = rendered / ".blueprint.toml"
    config.write_text('fail-on = "error"\n')
    code, out, _ = cli(rendered, "render", "blueprint.yaml", "--out", "out")
    assert (code, out) == (0, "out: 0 written, 0 removed, 20 unchanged\n")
    manifest = Manifest.read(rendered / "out")
    assert manifest is not None
    assert manifest.inputs == {".blueprint.toml": _sha256(config.read_bytes())}
    assert '"inputs": {\n    ".blueprint.toml": ' in (rendered / "out" / MANIFEST).read_text()
    code, out, modules = cli(rendered, "render", "blueprint.yaml", "--out", "out", "--check")
    assert (code, out, modules & HEAVY) == (0, "", set())
    config.write_text('fail-on = "warning"\n')
    code, _out, modules = cli(rendered, "render", "blueprint.yaml", "--out", "out", "--check")
    assert code == 1  # the manifest records the old configuration's hash
    assert "pydantic" in modules
    config.unlink()
    code, out, _ = cli(rendered, "render", "blueprint.yaml", "--out", "out")
    assert (code, out) == (0, "out: 0 written, 0 removed, 20 unchanged\n")
    assert '"inputs"' not in (rendered / "out" / MANIFEST).read_text()


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({}, None),
        ({"pyproject.toml": "[tool.ruff]\n"}, None),
        ({"pyproject.toml": "# blueprint\n[tool.ruff]\n"}, None),
        ({"pyproject.toml": "[tool.blueprint]\nfail-on = 'warning'\n"}, "pyproject.toml"),
        ({"a/.blueprint.toml": "", "pyproject.toml": "[tool.blueprint]\n"}, "a/.blueprint.toml"),
        (
            {"a/pyproject.toml": "[tool.blueprint]\n", "a/.blueprint.toml": ""},
            "a/.blueprint.toml",
        ),
        ({"a/pyproject.toml": "[tool.x]\n", ".blueprint.toml": ""}, ".blueprint.toml"),
    ],
)
def test_the_configuration_file_is_the_one_blueprint_config_finds(
    tmp_path: Path, files: dict[str, str], expected: str | None
) -> None:
    from blueprint.config import find
    from blueprint.inputs import config_file

    repo = tmp_path / "repo"
    (repo / "a").mkdir(parents=True)
    for name, text in files.items():
        (repo / name).write_text(text)
    blueprint = repo / "a" / "blueprint.yaml"
    found = config_file(blueprint)
    assert found == (repo / expected if expected else None)
    config = find(blueprint)
    assert (config.path is not None) == (expected is not None)


def _source_copy(tmp_path: Path) -> Path:
    """blueprint's packages copied into a folder of their own: a source checkout to edit."""
    root = tmp_path / "checkout"
    for package in ("blueprint", "generators", "policies"):
        shutil.copytree(
            ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    return root


@pytest.mark.slow
def test_a_code_change_under_the_same_version_takes_the_full_path(tmp_path: Path) -> None:
    """The manifest's tool version is the same for every commit of a checkout: after a change
    to a generator, `render --check` must find the committed out/ stale, not up to date."""
    code_root = _source_copy(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(EXAMPLE, work / "blueprint.yaml")
    argv = ("render", "blueprint.yaml", "--out", "out")
    assert cli(work, *argv, code_root=code_root)[0] == 0
    assert cli(work, *argv, code_root=code_root)[:2] == (0, "out: up to date\n")
    provenance = code_root / "blueprint/provenance.py"
    text = provenance.read_text()
    provenance.write_text(text.replace("Do not edit: change", "Do not edit; change"))
    code, _out, modules = cli(work, *argv, "--check", code_root=code_root)
    assert code == 1  # every header's second line changed
    assert "pydantic" in modules
    provenance.write_text(text)  # back as it was, but a new modification time
    code, out, modules = cli(work, *argv, code_root=code_root)
    assert (code, out) == (0, "out: 0 written, 0 removed, 20 unchanged\n")
    assert "pydantic" in modules
    assert cli(work, *argv, code_root=code_root)[:2] == (0, "out: up to date\n")


PYPROJECTS = [
    "[tool.ruff]\nline-length = 100\n",
    '[project]\ndependencies = ["blueprint-tools"]\n',
    "[tool.blueprint]\nfail-on = 'warning'\n",
    "[ tool . blueprint ]\n",
    "[\"tool\".'blueprint'.environments]\n",
    "[[tool.blueprint]]\nx = 1\n",
    "[tool]\nblueprint = { fail-on = 'error' }\n",
    "[tool]\nruff = {}\n# blueprint\n",
    "tool.blueprint.fail-on = 'error'\n",
    "tool = { blueprint = {} }\n",
    "[tool.blueprint-extra]\n",
    "[tool.blueprints]\n",
    'x = """\n[tool.blueprint]\n"""\n',
    "x = '''\n[tool.blueprint]\n'''\n[tool.blueprint]\n",
    "[tool.blueprint\n",  # does not parse: blueprint.config reports it
    "[tool.ruff]\n# see [tool.blueprint] in .blueprint.toml\n",
]


@pytest.mark.parametrize("text", PYPROJECTS)
def test_a_pyproject_configures_blueprint_as_tomllib_reads_it(text: str) -> None:
    """The no-op decides without tomllib where the bytes leave no doubt; it agrees with a
    parse (or, for a file that does not parse, calls it an input)."""
    import tomllib

    from blueprint.inputs import _configures_blueprint

    try:
        tool = tomllib.loads(text).get("tool", {})
        expected = isinstance(tool, dict) and "blueprint" in tool
    except tomllib.TOMLDecodeError:
        expected = True
    assert _configures_blueprint(text.encode()) is expected
