"""Deployed, not only linted: every example that renders CloudFormation is created as a stack
in moto (a local AWS, tests/deploy/moto_server.py) and must reach CREATE_COMPLETE; boto3 then
reads the deployment back:

- the security groups admit exactly the connections of the system view (and the planned
  egress to AWS APIs), no more, no fewer;
- each IAM role carries exactly its planned trust and policy, nothing attached besides;
- with moto's IAM enforcement on, each task role, assumed, can do what its workload declares
  on S3 and is denied a write it does not declare.

What moto's CloudFormation cannot create is listed in tests/deploy/template.py with its
reason, and printed for each example (`pytest -s` or `-rA` shows it).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from blueprint.model import Cloud, LoadBalancer, Platform
from blueprint.subjects import ingress_id, service_id
from blueprint.view import SystemView, iac_roots_of
from generators.aws.plan import AwsPlan, build_plan
from tests.connectivity.aws import api_routes_reach, connections
from tests.connectivity.compare import intended
from tests.connectivity.model import differences, intended_openings
from tests.connectivity.readers import READERS
from tests.deploy import access
from tests.deploy.moto_server import MotoEndpoint
from tests.deploy.readback import (
    plan_values,
    planned_cidr_egress,
    read_network,
    read_roles,
    resolved,
    role_documents,
)
from tests.deploy.stack import Deployment, deploy, failed_events, moto_cloudformation_types
from tests.deploy.template import MOTO_CANNOT_CREATE, Prepared, prepare
from tests.support import ROOT, load_example, run_cli

TEMPLATE = Path("aws/cloudformation/template.json")


def _cloudformation_examples() -> list[str]:
    """Every example whose blueprint renders a CloudFormation template (found, not listed)."""
    names = []
    for path in sorted((ROOT / "examples").glob("*/blueprint.yaml")):
        bp = load_example(path.parent.name).blueprint
        if any(r.cloud is Cloud.AWS and r.tool == "cloudformation" for r in iac_roots_of(bp)):
            names.append(path.parent.name)
    return names


EXAMPLES = _cloudformation_examples()


@dataclass
class Deployed:
    example: str
    view: SystemView
    plan: AwsPlan
    deployment: Deployment
    endpoint: MotoEndpoint

    def clients(self, service: str) -> Any:
        return self.endpoint.client(service, self.deployment.region)


@pytest.fixture(scope="session")
def deployments(
    moto_endpoint: MotoEndpoint, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Deployed | str]]:
    """Each example deployed once per session (the tests below read the same deployment).
    Examples share one moto: their stacks, buckets and roles are named after their systems."""
    cache: dict[str, Deployed | str] = {}
    yield cache


def _deployed(
    example: str, cache: dict[str, Deployed | str], endpoint: MotoEndpoint, out: Path
) -> Deployed | str:
    """The example deployed, or why it could not be (kept: a stack is created once)."""
    if example not in cache:
        try:
            cache[example] = _deploy(example, endpoint, out)
        except Exception as e:  # reported by every test of the example
            time.sleep(1)  # moto logs a 500's traceback after answering
            cache[example] = f"{type(e).__name__}: {e}\nmoto_server said:\n{endpoint.log_tail()}"
    return cache[example]


def _deploy(example: str, endpoint: MotoEndpoint, out: Path) -> Deployed:
    path = ROOT / "examples" / example / "blueprint.yaml"
    code, _, err = run_cli("render", str(path), "--out", str(out))
    assert code in (0, 1), err  # 1: the policy engine reported findings
    rendered = json.loads((out / TEMPLATE).read_text())
    view = SystemView.of(load_example(example).blueprint)
    plan = build_plan(view)
    probes = [
        v.cfn() for _, trust, policy in role_documents(plan) for v in plan_values([trust, policy])
    ]
    deployment = deploy(endpoint, plan.region, plan.name, rendered, probes)
    return Deployed(example, view, plan, deployment, endpoint)


@pytest.fixture(params=EXAMPLES)
def deployed(
    request: pytest.FixtureRequest,
    deployments: dict[str, Deployed | str],
    moto_endpoint: MotoEndpoint,
    tmp_path_factory: pytest.TempPathFactory,
) -> Deployed:
    example = str(request.param)
    out = tmp_path_factory.mktemp(f"render-{example}")
    d = _deployed(example, deployments, moto_endpoint, out)
    if isinstance(d, str):
        pytest.fail(f"{example}: {d}")
    status = d.deployment.status
    if status != "CREATE_COMPLETE":
        events = failed_events(moto_endpoint, d.deployment.region, d.deployment.name)
        pytest.fail(f"{example}: {status} ({d.deployment.status_reason})\n" + "\n".join(events))
    return d


# -- the stack ------------------------------------------------------------------------------


def test_every_example_reaches_create_complete(deployed: Deployed) -> None:
    prepared = deployed.deployment.prepared
    print(f"\n{deployed.example}:\n  " + "\n  ".join(prepared.summary()))
    assert prepared.unlisted() == []
    assert deployed.deployment.status == "CREATE_COMPLETE"
    # Every resource of the template is accounted for: in the stack, applied, or listed.
    stack = set(prepared.template["Resources"])
    others = {r.logical for r in (*prepared.cannot_create, *prepared.applied)}
    assert stack | others == set(prepared.original["Resources"])
    assert set(deployed.deployment.physical) >= stack | {r.logical for r in prepared.applied}


def test_every_listed_type_is_really_missing_from_moto() -> None:
    """The list of types moto cannot create stays true as moto grows."""
    assert sorted(set(MOTO_CANNOT_CREATE) & moto_cloudformation_types()) == []


# -- network --------------------------------------------------------------------------------


def _network_differences(deployed: Deployed) -> list[str]:
    """One line per way the deployed security groups differ from the view (empty: none)."""
    view, plan = deployed.view, deployed.plan
    rendered = deployed.deployment.prepared.original
    found = read_network(deployed.clients, plan, rendered, deployed.deployment.physical)
    got = connections(found.network)
    bp = view.blueprint
    subjects = {service_id(n) for n in view.workloads_on(Platform.AWS_FARGATE) if n in bp.services}
    balancers = {n: i for n, i in bp.ingress.items() if isinstance(i, LoadBalancer)}
    subjects |= {ingress_id(n) for n in balancers}
    # An internal balancer's allow_from is no way in from outside (tests/connectivity/test_aws).
    internal = {ingress_id(n) for n, i in balancers.items() if i.internal}
    want_open = intended_openings(view, subjects - internal)
    got_open = {k: v for k, v in got.openings.items() if k[0] not in internal}
    want = intended(view, READERS["aws-cloudformation"])
    lines = differences(want, got.connections, want_open, got_open)
    lines += api_routes_reach(found.network)
    lines += found.problems
    planned = planned_cidr_egress(plan)
    lines += [f"egress not planned: {e}" for e in sorted(found.cidr_egress - planned)]
    lines += [f"egress planned, absent: {e}" for e in sorted(planned - found.cidr_egress)]
    if not got.connections:
        lines.append("the deployment allows no connection at all: nothing was read")
    return lines


def test_security_groups_admit_exactly_the_view(deployed: Deployed) -> None:
    assert _network_differences(deployed) == []


def test_a_rule_added_to_the_deployment_is_caught(deployed: Deployed) -> None:
    """The readback can fail: SSH opened to the internet on a deployed service's group is
    reported, both as a connection and as an opening; revoked, the deployment is clean again."""
    if not deployed.plan.services:
        pytest.skip(f"{deployed.example}: no Fargate service")
    svc = deployed.plan.services[0]
    ec2 = deployed.clients("ec2")
    (group,) = ec2.describe_security_groups(
        Filters=[{"Name": "group-name", "Values": [svc.sg.id.name]}]
    )["SecurityGroups"]
    ssh = [
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
    ]
    ec2.authorize_security_group_ingress(GroupId=group["GroupId"], IpPermissions=ssh)
    try:
        lines = _network_differences(deployed)
    finally:
        ec2.revoke_security_group_ingress(GroupId=group["GroupId"], IpPermissions=ssh)
    subject = service_id(svc.key)
    assert lines == [
        f"open but not intended: internet -> {subject}:22/tcp",
        f"{subject}:22/tcp admits ['0.0.0.0/0'], intended []",
    ]
    assert _network_differences(deployed) == []


# -- identity -------------------------------------------------------------------------------


def test_each_role_carries_exactly_its_planned_policy(deployed: Deployed) -> None:
    resolve = deployed.deployment.stack_value
    roles = read_roles(deployed.clients)
    planned = {name: (trust, policy) for name, trust, policy in role_documents(deployed.plan)}
    ours = {n: r for n, r in roles.items() if n in planned or n.startswith(deployed.plan.name)}
    assert sorted(ours) == sorted(planned)
    for name, (trust, policy) in sorted(planned.items()):
        role = ours[name]
        assert role.attached == (), name
        assert role.trust == resolved(trust, resolve), name
        want = {} if policy is None else {name: resolved(policy, resolve)}
        assert role.inline == want, name


def test_bucket_policies_are_deployed_as_rendered(deployed: Deployed) -> None:
    prepared = deployed.deployment.prepared
    s3 = deployed.clients("s3")
    policies = {
        logical: deployed.deployment.value(r["Properties"])
        for logical, r in prepared.to_apply.items()
        if r["Type"] == "AWS::S3::BucketPolicy"
    }
    planned_buckets = {b.id.name for b in deployed.plan.buckets}
    if deployed.plan.access_log_bucket is not None:
        planned_buckets.add(deployed.plan.access_log_bucket.name)
    assert {p["Bucket"] for p in policies.values()} == planned_buckets
    for properties in policies.values():
        stored = json.loads(s3.get_bucket_policy(Bucket=properties["Bucket"])["Policy"])
        assert stored == properties["PolicyDocument"], properties["Bucket"]


# -- IAM enforced ---------------------------------------------------------------------------


def test_task_roles_do_what_is_declared_and_no_undeclared_write(deployed: Deployed) -> None:
    d = deployed
    results = access.run(d.endpoint, d.deployment.region, d.view, d.plan)
    print(f"\n{d.example}:\n  " + "\n  ".join(p.show() for p in results))
    roles = access.task_roles(d.plan)
    expected = [p for workload, _ in roles for p in access.probes(d.view, d.plan, workload)]
    assert results == expected
    # Every task role showed a write it does not declare denied (the canaries, at least).
    assert {p.workload for p in results if not p.allowed} == {w for w, _ in roles}


# -- the preparation itself (no moto needed) -----------------------------------------------


def _template(resources: dict[str, Any], outputs: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"Resources": resources, "Outputs": outputs or {}}


def test_a_reference_to_an_uncreated_resource_is_severed_and_listed() -> None:
    rendered = _template(
        {
            "Pool": {"Type": "AWS::Cognito::UserPool", "Properties": {}},
            "Queue": {
                "Type": "AWS::SQS::Queue",
                "DependsOn": ["Pool"],
                "Properties": {
                    "QueueName": {"Fn::Sub": "q-${Pool}-${Pool.Arn}-${AWS::Region}"},
                    "Tags": [{"Key": "pool", "Value": {"Fn::GetAtt": ["Pool", "Arn"]}}],
                },
            },
        },
        {"PoolId": {"Value": {"Ref": "Pool"}}, "QueueUrl": {"Value": {"Ref": "Queue"}}},
    )
    prepared = prepare(rendered, frozenset({"AWS::SQS::Queue"}))
    queue = prepared.template["Resources"]["Queue"]
    assert "DependsOn" not in queue
    assert queue["Properties"]["QueueName"] == {
        "Fn::Sub": "q-arn:aws:moto-stripped:::Pool-arn:aws:moto-stripped:::Pool/Arn-${AWS::Region}"
    }
    assert queue["Properties"]["Tags"][0]["Value"] == "arn:aws:moto-stripped:::Pool/Arn"
    assert prepared.dropped_outputs == ["PoolId"]
    assert sorted(prepared.severed) == [
        ("Queue", "${Pool.Arn}"),
        ("Queue", "${Pool}"),
        ("Queue", "Pool.Arn"),
    ]
    assert prepared.summary()[0] == (
        "not created (moto): Pool AWS::Cognito::UserPool: "
        "moto's CloudFormation has no Cognito model"
    )
    assert rendered["Resources"]["Queue"]["DependsOn"] == ["Pool"]  # the render is untouched


def test_an_unlisted_missing_type_fails_the_deployment() -> None:
    prepared = prepare(
        _template({"Thing": {"Type": "AWS::Made::Up", "Properties": {}}}), frozenset()
    )
    assert prepared.unlisted() == ["Thing: AWS::Made::Up"]


def test_applied_resources_are_probed_and_their_properties_kept() -> None:
    prepared: Prepared = prepare(
        _template(
            {
                "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "g"}},
                "Egress": {
                    "Type": "AWS::EC2::SecurityGroupEgress",
                    "Properties": {
                        "GroupId": {"Fn::GetAtt": ["Sg", "GroupId"]},
                        "IpProtocol": "tcp",
                        "FromPort": 80,
                        "ToPort": 80,
                        "CidrIp": "10.0.0.0/8",
                    },
                },
            }
        ),
        frozenset({"AWS::EC2::SecurityGroup"}),
    )
    assert set(prepared.template["Resources"]) == {"Sg"}
    assert prepared.to_apply["Egress"]["Properties"]["FromPort"] == 80
    assert prepared.probes == {'{"Fn::GetAtt":["Sg","GroupId"]}': "MotoProbe0"}
    assert prepared.template["Outputs"]["MotoProbe0"] == {
        "Value": {"Fn::GetAtt": ["Sg", "GroupId"]}
    }
