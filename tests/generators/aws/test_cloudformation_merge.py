"""CloudFormation overrides (issue 12, item 5): a JSON merge (RFC 7386) onto named resources of
template.json, cfn-lint clean afterwards; merges that cannot apply, or that reach identity and
network-security resources without a justification, are refused at validation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from cfnlint.api import ManualArgs, lint_file

from generators.aws.cloudformation.merge import json_merge
from tests.blueprint.support_samples import base
from tests.support import run_cli

JUSTIFICATION = {
    "owner": "team-platform",
    "reason": "the role needs a permissions boundary",
    "expires": "2027-01-31",
}
MERGES: dict[str, Any] = {
    "WebService": {
        "merge": {
            "Properties": {"DeploymentConfiguration": {"MinimumHealthyPercent": 50}},
            "Metadata": {"Team": "shop"},
        }
    },
    "WebLogs": {"merge": {"Properties": {"RetentionInDays": 365}}},
    "Cluster": {"merge": {"Properties": {"Configuration": None}}},
}


def _blueprint(merges: dict[str, Any]) -> dict[str, Any]:
    data = base("aws")
    data["platforms"]["aws"]["formats"] = ["terraform", "cloudformation"]
    data["overrides"] = {"cloudformation": {"resources": merges}}
    return data


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "blueprint.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _render(tmp_path: Path, merges: dict[str, Any]) -> dict[str, Any]:
    path = _write(tmp_path, _blueprint(merges))
    code, _out, err = run_cli("render", str(path), "--out", str(tmp_path / "out"))
    assert (code, err) == (0, "")
    template_path = tmp_path / "out/aws/cloudformation/template.json"
    matches = lint_file(template_path, config=ManualArgs(regions=["eu-west-2"]))
    assert [str(m) for m in matches] == []
    text = template_path.read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    assert text == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    return data


def test_merges_apply_to_the_named_resources_and_lint_clean(tmp_path: Path) -> None:
    plain = _render(tmp_path / "plain", {})["Resources"]
    merged = _render(tmp_path / "merged", MERGES)["Resources"]
    service = merged["WebService"]
    assert service["Properties"]["DeploymentConfiguration"] == {
        **plain["WebService"]["Properties"]["DeploymentConfiguration"],
        "MinimumHealthyPercent": 50,
    }
    assert service["Metadata"] == {**plain["WebService"].get("Metadata", {}), "Team": "shop"}
    assert merged["WebLogs"]["Properties"]["RetentionInDays"] == 365
    assert "Configuration" in plain["Cluster"]["Properties"]
    assert "Configuration" not in merged["Cluster"]["Properties"]
    untouched = set(plain) - set(MERGES)
    assert {k: merged[k] for k in untouched} == {k: plain[k] for k in untouched}


@pytest.mark.parametrize(
    ("target", "patch", "result"),
    [
        # RFC 7386, appendix A (a selection).
        ({"a": "b"}, {"a": "c"}, {"a": "c"}),
        ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
        ({"a": "b"}, {"a": None}, {}),
        ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
        ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
        ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
        ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
        ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
        ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
        ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
    ],
)
def test_json_merge_is_rfc_7386(target: Any, patch: Any, result: Any) -> None:
    assert json_merge(target, patch) == result


def _refused(tmp_path: Path, merges: dict[str, Any]) -> list[str]:
    path = _write(tmp_path, _blueprint(merges))
    code, out, err = run_cli("validate", str(path))
    assert (code, out) == (2, "")
    return [line.removeprefix(f"{path}:") for line in err.splitlines()]


def test_merges_that_cannot_apply_are_refused(tmp_path: Path) -> None:
    assert _refused(
        tmp_path,
        {
            "WebServic": {"merge": {"Metadata": {"Team": "shop"}}},
            "WebLogs": {"merge": {"Type": "AWS::S3::Bucket"}},
            "WebTaskRole": {"merge": {"Properties": {"MaxSessionDuration": 7200}}},
        },
    ) == [
        "35:7: found a merge onto 'WebServic', which template.json does not define; expected the "
        "logical id of a rendered resource (did you mean 'WebService'?)",
        "39:7: found Type 'AWS::S3::Bucket' in the merge onto 'WebLogs', a AWS::Logs::LogGroup; "
        "expected no Type (a merge changes a resource, not its kind)",
        "42:7: found an override of AWS::IAM::Role, an identity or network-security object; "
        "expected a justification: {owner, reason, expires} (overrides there bypass the access "
        "rules)",
    ]


def test_identity_and_network_properties_need_a_justification(tmp_path: Path) -> None:
    assert _refused(
        tmp_path,
        {
            "WebServiceTask": {"merge": {"Properties": {"TaskRoleArn": "arn:aws:iam::1:role/x"}}},
            "WebService": {
                "merge": {
                    "Properties": {
                        "NetworkConfiguration": {
                            "AwsvpcConfiguration": {"SecurityGroups": ["sg-0123456789abcdef0"]}
                        }
                    }
                }
            },
        },
    ) == [
        "35:7: found an override of TaskRoleArn, an identity or network-security object; "
        "expected a justification: {owner, reason, expires} (overrides there bypass the access "
        "rules)",
        "39:7: found an override of SecurityGroups, an identity or network-security object; "
        "expected a justification: {owner, reason, expires} (overrides there bypass the access "
        "rules)",
    ]


def test_a_justification_admits_a_merge_onto_a_role(tmp_path: Path) -> None:
    merges = {
        "WebTaskRole": {
            "merge": {"Properties": {"MaxSessionDuration": 7200}},
            "justification": JUSTIFICATION,
        }
    }
    merged = _render(tmp_path, merges)["Resources"]
    assert merged["WebTaskRole"]["Properties"]["MaxSessionDuration"] == 7200


def test_check_notes_the_merges(tmp_path: Path) -> None:
    path = _write(tmp_path, _blueprint(MERGES))
    code, out, err = run_cli("check", str(path))
    notes = [line.removeprefix(f"{path}:") for line in out.splitlines() if "BP6002" in line]
    assert notes == [
        "33:3: note BP6002 overrides.cloudformation: 3 CloudFormation resource merges are not "
        "verified by the rules: Cluster, WebLogs, WebService",
    ]
    assert (code, err) == (0, "")
