"""`blueprint validate` and `blueprint schema` run on every commit: they must not import
jinja2 or networkx (nor PyYAML, which is only needed to position problems)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PROBE = """
import contextlib, io, json, sys
from blueprint.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""

HEAVY = {"jinja2", "networkx", "yaml", "generators", "policies"}


def imported(*argv: str) -> tuple[int, set[str]]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout.splitlines()[-1])
    return report["code"], {m.split(".")[0] for m in report["modules"]}


@pytest.mark.parametrize(
    "argv",
    [
        ("validate", "examples/aws-fargate-api/blueprint.yaml"),
        ("validate", "--env", "prod", "examples/aws-fargate-api/blueprint.yaml"),
        ("schema",),
    ],
)
def test_commands_run_on_every_commit_stay_light(argv: tuple[str, ...]) -> None:
    code, modules = imported(*argv)
    assert code == 0
    assert modules & HEAVY == set()


def test_reporting_a_problem_imports_yaml_but_not_jinja2_or_networkx() -> None:
    code, modules = imported("validate", "tests/data/invalid/several-problems.yaml")
    assert code == 2
    assert "yaml" in modules
    assert modules & {"jinja2", "networkx"} == set()


def imported_modules(*argv: str) -> tuple[int, set[str]]:
    """Exit code and every module imported (full names), in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], cwd=ROOT, capture_output=True, text=True, check=True
    )
    report = json.loads(result.stdout.splitlines()[-1])
    return report["code"], set(report["modules"])


# What `check` has no use for: the render pipeline, the writer and the output's hashes
# (`check` runs its blueprints through blueprint.parallel), baselines without --baseline, the
# generators and their templates, the full networkx, and PyYAML (only needed to position a
# problem).
NOT_CHECKING = {
    "blueprint.pipeline",
    "blueprint.writer",
    "blueprint.out_state",
    "policies.baseline",
    "generators",
    "jinja2",
    "networkx",
    "yaml",
}


def test_check_imports_nothing_it_does_not_use() -> None:
    code, modules = imported_modules("check", "examples/aws-fargate-api/blueprint.yaml")
    assert code == 0
    assert "policies.engine" in modules  # the probe did run a check
    assert modules & NOT_CHECKING == set()


BUILT = """
import json, sys
import pydantic
from blueprint import config, model
from blueprint.model.base import Model

def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)

classes = [*subclasses(Model), *subclasses(config._Strict)]
print(json.dumps({
    "classes": len(classes),
    "built": sorted(c.__name__ for c in classes if c.__pydantic_complete__),
}))
"""


def test_importing_the_model_and_configuration_builds_no_validator() -> None:
    """Their schemas are built at the first validation (`defer_build`), which builds every
    nested model's with the blueprint's; a default instance made by validation at import would
    build its class's validator a second time, for every command."""
    result = subprocess.run(
        [sys.executable, "-c", BUILT], cwd=ROOT, capture_output=True, text=True, check=True
    )
    report = json.loads(result.stdout)
    assert report["classes"] > 50
    assert report["built"] == []


def test_check_without_a_configuration_file_does_not_import_a_toml_parser(
    tmp_path: Path,
) -> None:
    blueprint = tmp_path / "blueprint.yaml"
    shutil.copyfile(ROOT / "examples/aws-fargate-api/blueprint.yaml", blueprint)
    code, modules = imported_modules("check", str(blueprint))
    assert code == 0
    assert "blueprint.config" in modules  # it did look for one
    assert modules & {"tomllib", *NOT_CHECKING} == set()
