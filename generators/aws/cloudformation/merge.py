"""overrides.cloudformation: a JSON merge (RFC 7386) onto named resources of template.json.

Each merge applies to the whole resource (`Properties`, `Metadata`, `DependsOn`, ...): objects
merge key by key, `null` removes a key, anything else replaces. A merge may not name a logical
id the template does not define, change a resource's `Type`, or reach an identity or
network-security resource (IAM, security groups, resource policies) without a justification;
`merge_problems` finds those at validation, before anything is rendered.
"""

from __future__ import annotations

import json
from typing import Any

from blueprint.errors import Problem, did_you_mean
from blueprint.json_text import dumps_indented
from blueprint.model import Blueprint, Cloud
from blueprint.model.overrides import CloudFormationMerge, protected_cloudformation_type
from blueprint.view import SystemView

Json = dict[str, Any]
TEMPLATE = "aws/cloudformation/template.json"


class MergeError(ValueError):
    def __init__(self, logical_id: str, message: str) -> None:
        super().__init__(message)
        self.logical_id = logical_id
        self.message = message


def json_merge(target: Any, patch: Any) -> Any:
    """RFC 7386, section 2, as written."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = json_merge(result.get(key), value)
    return result


def _merges(bp: Blueprint) -> dict[str, CloudFormationMerge]:
    cloudformation = bp.overrides.cloudformation
    return dict(sorted(cloudformation.resources.items())) if cloudformation else {}


def _merged(resources: Json, logical_id: str, merge: CloudFormationMerge) -> Json:
    resource = resources.get(logical_id)
    if not isinstance(resource, dict):
        raise MergeError(
            logical_id,
            f"found a merge onto {logical_id!r}, which template.json does not define; expected "
            f"the logical id of a rendered resource{did_you_mean(logical_id, resources)}",
        )
    kind = str(resource.get("Type"))
    wanted = merge.merge.get("Type", kind)
    if wanted != kind:
        raise MergeError(
            logical_id,
            f"found Type {wanted!r} in the merge onto {logical_id!r}, a {kind}; expected no "
            "Type (a merge changes a resource, not its kind)",
        )
    unjustified = protected_cloudformation_type(kind, merge.justification)
    if unjustified is not None:
        raise MergeError(logical_id, unjustified)
    merged: Json = json_merge(resource, merge.merge)
    return merged


def apply_merges(template: Json, bp: Blueprint) -> Json:
    merges = _merges(bp)
    if not merges:
        return template
    resources = dict(template["Resources"])
    for logical_id, merge in merges.items():
        resources[logical_id] = _merged(resources, logical_id, merge)
    return {**template, "Resources": resources}


def with_merges(files: dict[str, str], bp: Blueprint) -> dict[str, str]:
    """The CloudFormation generator's files with the blueprint's merges applied."""
    if not _merges(bp) or TEMPLATE not in files:
        return files
    merged = apply_merges(json.loads(files[TEMPLATE]), bp)
    return {**files, TEMPLATE: dumps_indented(merged) + "\n"}


def merge_problems(view: SystemView) -> list[Problem]:
    """Every merge that cannot apply to the template this blueprint renders."""
    if not _merges(view.blueprint) or not view.has_root(Cloud.AWS, "cloudformation"):
        return []
    from generators.aws.cloudformation import build
    from generators.aws.cloudformation.template import Template
    from generators.aws.plan import build_plan

    resources = build(Template(build_plan(view)))["Resources"]
    problems = []
    for logical_id, merge in _merges(view.blueprint).items():
        try:
            _merged(resources, logical_id, merge)
        except MergeError as exc:
            path = ("overrides", "cloudformation", "resources", logical_id)
            problems.append(Problem(path, exc.message, at_key=True))
    return problems
