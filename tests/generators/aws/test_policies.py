"""parliament on every policy the examples render: identity policies, trust policies, the key
policy and the bucket policies."""

from __future__ import annotations

import json

import pytest
from parliament import analyze_policy_string

from blueprint.view import SystemView
from generators.aws.plan import build_plan
from generators.aws.plan.documents import access_log_bucket_policy, bucket_policy, key_policy
from generators.aws.plan.references import bucket_arn
from generators.aws.values import example_json
from tests.generators.aws.support import AWS_EXAMPLES
from tests.support import load_example

# A key policy's Resource is always "*": it means the key the policy is attached to.
ACCEPTED = {("key policy", "RESOURCE_STAR")}


def _documents(example: str) -> list[tuple[str, object]]:
    """Identity and resource policies. Trust policies are left out: parliament reads every
    document as one that needs a Resource, which a role's trust policy never has."""
    plan = build_plan(SystemView.of(load_example(example).blueprint))
    docs: list[tuple[str, object]] = [(n, d.as_json()) for n, d in plan.policies()]
    docs.append(("key policy", key_policy(plan.key_services).as_json()))
    docs += [(f"{q.id.name} policy", q.policy.as_json()) for q in plan.queues if q.policy]
    for b in plan.buckets:
        docs.append((f"{b.id.name} policy", bucket_policy(bucket_arn(b.id)).as_json()))
    if plan.access_log_bucket is not None:
        doc = access_log_bucket_policy(
            bucket_arn(plan.access_log_bucket),
            tuple(bucket_arn(b.id) for b in plan.buckets),
        )
        docs.append(("access-log bucket policy", doc.as_json()))
    return docs


@pytest.mark.parametrize("example", AWS_EXAMPLES)
def test_parliament_finds_nothing(example: str) -> None:
    findings = []
    for name, doc in _documents(example):
        policy = analyze_policy_string(json.dumps(example_json(doc)))
        findings += [
            (name, f.issue, f.detail) for f in policy.findings if (name, f.issue) not in ACCEPTED
        ]
    assert findings == []


@pytest.mark.parametrize("example", AWS_EXAMPLES)
def test_trust_policies_trust_one_service_for_this_account_only(example: str) -> None:
    plan = build_plan(SystemView.of(load_example(example).blueprint))
    for role in plan.roles:
        statements = example_json(role.trust.as_json())["Statement"]
        if role.assumed_by:  # can_assume: exactly the assumers, by ARN, after the service
            assumers = statements.pop()
            assert assumers["Sid"] == "AssumedByPrincipals"
            assert assumers["Principal"] == {"AWS": [a.example() for a in role.assumed_by]}
        if role.purpose == "assumable":  # a person's or automation's role: no service
            assert statements == []
            continue
        (statement,) = statements
        assert statement["Action"] == ["sts:AssumeRole"]
        assert statement["Principal"] == {"Service": [role.trust_service]}
        assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}


def test_the_examples_policies_are_the_ones_analysed() -> None:
    names = [n for n, _ in _documents("company-iam")]
    assert names == [
        "company-iam-console-mfa",
        "company-iam-developer",
        "company-iam-infra-builder",
        "company-iam-service-publisher",
        "key policy",
        "company-iam-s3 policy",
        "access-log bucket policy",
    ]
