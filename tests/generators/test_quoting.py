"""Values the platforms reinterpret: spelled so each reads back exactly the literal.

Issue 21, defect 2: the kubelet expands `$(VAR)` and reads `$$` as `$` in env values, so the
container saw `costs $5, name is visible` for the literal `costs $$5, name is $(A_NAME)`.
Defect 6: `${AWS::AccountId}` in an env value made cfn-lint report E1029.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from cfnlint.api import ManualArgs, lint_file
from hypothesis import given
from hypothesis import strategies as st

from blueprint.pipeline import render_files
from generators.common.quoting import cloudformation_literal, kubelet_literal
from tests.generators.platform_readers import cloudformation_value, kubelet_expand
from tests.support import ROOT, load_text

DEFINED = {"A_NAME": "visible", "X": "y"}
dollar_text = st.lists(
    st.sampled_from(["$", "$$", "(", ")", "$(", "$(A_NAME)", "$$(X)", "{", "${", "a", " ", "é"]),
    max_size=16,
).map("".join)


def test_the_reported_value_reaches_the_container_literally() -> None:
    literal = "costs $$5, name is $(A_NAME)"
    assert kubelet_expand(literal, DEFINED) == "costs $5, name is visible"  # the defect
    assert kubelet_literal(literal) == "costs $$$5, name is $$(A_NAME)"
    assert kubelet_expand(kubelet_literal(literal), DEFINED) == literal


@pytest.mark.parametrize(
    ("literal", "spelled"),
    [
        ("plain", "plain"),
        ("$5 and $HOME", "$5 and $HOME"),  # a `$` before anything else is already literal
        ("$(X)", "$$(X)"),
        ("$$", "$$$"),
        ("end$", "end$"),
        ("$(unclosed", "$$(unclosed"),
    ],
)
def test_only_dollars_the_kubelet_would_read_are_doubled(literal: str, spelled: str) -> None:
    assert kubelet_literal(literal) == spelled
    assert kubelet_expand(spelled, DEFINED) == literal


@given(dollar_text)
def test_every_value_survives_the_kubelets_expansion(literal: str) -> None:
    assert kubelet_expand(kubelet_literal(literal), DEFINED) == literal


@given(dollar_text)
def test_every_value_survives_cloudformation(literal: str) -> None:
    spelled = cloudformation_literal(literal)
    assert cloudformation_value(spelled) == literal
    if isinstance(spelled, dict):
        assert all("${" not in piece for piece in spelled["Fn::Join"][1])  # type: ignore[union-attr]


REPRODUCER = {
    "PRICE": "costs $$5, name is $(A_NAME)",
    "A_NAME": "visible",
    "ACCOUNT": "${AWS::AccountId} and ${Name}",
}


def rendered_with_reproducer(example: str, targets: list[str]) -> dict[str, str]:
    """The example with the reporter's env values on every service, rendered in memory."""
    data = yaml.safe_load((ROOT / "examples" / example / "blueprint.yaml").read_text("utf-8"))
    for service in data["services"].values():
        service["env"] = dict(REPRODUCER)
    return render_files(load_text(yaml.safe_dump(data, sort_keys=False)), targets)


def env_readings(files: dict[str, str], prefixes: tuple[str, ...]) -> list[dict[str, str]]:
    """Every env list in the YAML documents under `prefixes`, as name -> value written."""
    found: list[dict[str, str]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            env = node.get("env")
            if isinstance(env, list) and env and all(isinstance(e, dict) for e in env):
                found.append({e["name"]: e["value"] for e in env if "value" in e})
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    for path, text in sorted(files.items()):
        if path.startswith(prefixes) and path.endswith(".yaml"):
            for document in yaml.safe_load_all(text):
                walk(document)
    return found


@pytest.mark.parametrize(
    ("example", "target", "prefixes"),
    [
        ("kubernetes-helm", "kubernetes", ("kubernetes/manifests/", "kubernetes/values/")),
        ("gcp-cloud-run", "gcp", ("gcp/cloudrun/", "gcp/config-connector/")),
    ],
)
def test_the_container_sees_the_literal_env_values(
    example: str, target: str, prefixes: tuple[str, ...]
) -> None:
    readings = env_readings(rendered_with_reproducer(example, [target]), prefixes)
    assert readings
    for env in readings:
        seen = {name: kubelet_expand(value, env) for name, value in env.items()}
        assert {k: seen[k] for k in REPRODUCER} == REPRODUCER


def test_cloudformation_reads_the_literal_and_cfn_lint_is_clean(tmp_path: Path) -> None:
    files = rendered_with_reproducer("aws-fargate-api", ["aws"])
    path = tmp_path / "template.json"
    path.write_text(files["aws/cloudformation/template.json"], encoding="utf-8")
    matches = lint_file(path, config=ManualArgs(regions=["eu-west-2"]))
    assert [str(m) for m in matches] == []
    template = json.loads(path.read_text("utf-8"))
    (container,) = template["Resources"]["WebServiceTask"]["Properties"]["ContainerDefinitions"]
    env = {e["Name"]: cloudformation_value(e["Value"]) for e in container["Environment"]}
    assert env == REPRODUCER


def test_cfn_lint_reports_e1029_for_the_raw_spelling(tmp_path: Path) -> None:
    """The check above could not fail if cfn-lint ignored such strings: it does not."""
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "${AWS::AccountId}"}}
        },
    }
    path = tmp_path / "template.json"
    path.write_text(json.dumps(template), encoding="utf-8")
    assert [m.rule.id for m in lint_file(path, config=ManualArgs(regions=["eu-west-2"]))] == [
        "E1029"
    ]
