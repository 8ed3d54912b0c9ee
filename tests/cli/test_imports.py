"""`blueprint validate` and `blueprint schema` run on every commit: they must not import
jinja2 or networkx (nor PyYAML, which is only needed to position problems)."""

from __future__ import annotations

import json
import subprocess
import sys

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
