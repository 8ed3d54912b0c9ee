"""`blueprint init`: a starting blueprint that validates, checks clean and renders, for every
platform and every shape it accepts; refusals for what a platform cannot render; no overwrite."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from blueprint.loader import load_source, source_from_bytes
from blueprint.model import Blueprint
from blueprint.starter import DATABASE, PLATFORMS, QUEUE, Shape, blueprint_text, unsupported
from blueprint.support.matrix import BY_ID
from tests.conftest import ROOT, TEST_DATA
from tests.support import run_cli

ACCEPTED = [
    (platform, extras)
    for platform in PLATFORMS
    for extras in ((), ("--database",), ("--queue",), ("--database", "--queue"))
    if not any((platform, e.removeprefix("--")) in unsupported() for e in extras)
]


def init(directory: Path, *argv: str) -> tuple[int, str, str]:
    return run_cli("init", str(directory), *argv)


@pytest.mark.parametrize(("platform", "extras"), ACCEPTED)
def test_every_accepted_shape_validates_checks_clean_and_renders(
    tmp_path: Path, platform: str, extras: tuple[str, ...]
) -> None:
    code, out, err = init(
        tmp_path / "shop",
        "--platform", platform, "--service", "web", "--port", "8080",
        "--service", "api", "--port", "9000", *extras,
    )  # fmt: skip
    assert (code, err) == (0, "")
    bp = tmp_path / "shop" / "blueprint.yaml"
    assert out.splitlines()[0] == f"{bp}: written ({platform}, services web, api)"
    code, out, _ = run_cli("check", str(bp))
    assert code == 0
    assert out.splitlines()[-1].startswith("0 error(s), 0 warning(s)")
    code, out, err = run_cli("render", str(bp), "--out", str(tmp_path / "out"))
    assert (code, err) == (0, ""), err
    rendered = "".join(p.read_text("utf-8") for p in (tmp_path / "out").rglob("*") if p.is_file())
    # What was asked for is rendered, not silently dropped by the generator.
    for flag, name in (("--database", DATABASE), ("--queue", QUEUE)):
        assert (name in rendered) == (flag in extras), (flag, name)


@pytest.mark.parametrize(("platform", "kind"), sorted(unsupported()))
def test_a_shape_the_platform_cannot_render_is_refused(
    tmp_path: Path, platform: str, kind: str
) -> None:
    code, out, err = init(tmp_path, "--platform", platform, f"--{kind}")
    assert (code, out) == (2, "")
    assert err == (
        f"blueprint init: --{kind} with --platform {platform}: {unsupported()[(platform, kind)]}; "
        "leave it out and add it when the generator supports it\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_the_blueprint_has_the_modeline_and_an_example_of_every_top_level_section(
    tmp_path: Path,
) -> None:
    assert init(tmp_path, "--platform", "kubernetes")[0] == 0
    text = (tmp_path / "blueprint.yaml").read_text("utf-8")
    assert text.splitlines()[0] == (
        "# yaml-language-server: $schema=https://blueprint.dev/schema/blueprint.schema.json"
    )
    for section in Blueprint.model_fields:
        assert re.search(rf"^(# )?{section}:", text, re.MULTILINE), section


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_commented_examples_are_valid_once_uncommented(platform: str) -> None:
    text = blueprint_text(Shape("shop", platform, (("web", 8080),)))
    lines, inside = [], False
    for line in text.splitlines():
        starts = re.match(r"^# [a-z_]+:( |$)", line) is not None
        inside = starts or (inside and line.startswith("#  "))
        lines.append(line[2:] if inside else line)
    uncommented = "\n".join(lines) + "\n"
    assert uncommented.count("\n# ") < text.count("\n# ")
    bp = load_source(source_from_bytes(uncommented.encode(), "blueprint.yaml")).blueprint
    # A scheduled job is suggested only where one renders (docs/support.md).
    renders_jobs = BY_ID["job-schedule"].cells[platform].status != "refused"
    assert bool(bp.jobs) == renders_jobs
    assert bp.gitops and bp.monitoring and bp.identity.principals and bp.policy.waivers


def test_the_pre_commit_configuration_is_valid_and_names_our_hooks(tmp_path: Path) -> None:
    assert init(tmp_path, "--platform", "cloud-run")[0] == 0
    config = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text("utf-8"))
    schema = json.loads((TEST_DATA / "schemas/schemastore/pre-commit-config.json").read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(config)
    ours = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert [h["id"] for h in config["repos"][0]["hooks"]] == ["blueprint-render", "blueprint-check"]
    assert {"blueprint-render", "blueprint-check"} <= ours


def test_an_existing_pre_commit_configuration_is_left_alone_and_the_snippet_printed(
    tmp_path: Path,
) -> None:
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n")
    code, out, _ = init(tmp_path, "--platform", "cloud-run")
    assert code == 0
    assert (tmp_path / ".pre-commit-config.yaml").read_text() == "repos: []\n"
    assert f"{tmp_path}/.pre-commit-config.yaml: exists, left unchanged" in out
    assert "      - id: blueprint-check\n" in out


def test_an_existing_blueprint_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "blueprint.yaml").write_text("mine\n")
    code, out, err = init(tmp_path, "--platform", "kubernetes")
    assert (code, out) == (2, "")
    assert err == (
        f"blueprint init: {tmp_path}/blueprint.yaml: already exists; blueprint init never "
        "overwrites a file\n"
    )
    assert (tmp_path / "blueprint.yaml").read_text() == "mine\n"
    assert not (tmp_path / ".pre-commit-config.yaml").exists()


def test_bad_names_and_ports_are_each_reported(tmp_path: Path) -> None:
    code, _, err = init(
        tmp_path, "--platform", "kubernetes", "--service", "Web", "--port", "70000",
        "--name", "my_shop",
    )  # fmt: skip
    assert code == 2
    assert err.splitlines() == [
        "blueprint init: --name 'my_shop': expected a DNS label (lowercase letters, digits and "
        "-, starting with a letter), such as web",
        "blueprint init: --service 'Web': expected a DNS label (lowercase letters, digits and "
        "-, starting with a letter), such as web",
        "blueprint init: --port 70000: expected a port from 1 to 65535",
    ]
    assert list(tmp_path.iterdir()) == []


def test_a_service_may_not_take_a_name_the_starter_uses(tmp_path: Path) -> None:
    code, _, err = init(tmp_path, "--platform", "aws-fargate", "--service", "gateway")
    assert code == 2
    assert err == (
        "blueprint init: --service gateway: the starting blueprint uses the name 'gateway' "
        "for its API gateway; choose another service name\n"
    )


def test_more_ports_than_services_is_refused(tmp_path: Path) -> None:
    code, _, err = init(tmp_path, "--platform", "cloud-run", "--port", "1", "--port", "2")
    assert code == 2
    assert err == (
        "blueprint init: found 2 --port for 1 --service, expected at most one --port per "
        "--service (they pair in order)\n"
    )


def test_the_system_is_named_after_the_directory(tmp_path: Path) -> None:
    assert init(tmp_path / "My Shop_2", "--platform", "kubernetes")[0] == 0
    text = (tmp_path / "My Shop_2" / "blueprint.yaml").read_text("utf-8")
    assert "\nname: my-shop-2\n" in text
