"""The checks of a deployed example (tests/deploy/test_moto_deploy.py runs each as a subtest):
what moto created, read back with boto3, against the system view and the AWS plan."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from blueprint.model import LoadBalancer, Platform
from blueprint.subjects import ingress_id, service_id
from blueprint.view import SystemView
from generators.aws.plan import AwsPlan
from tests.connectivity.aws import api_routes_reach, connections
from tests.connectivity.compare import intended
from tests.connectivity.model import differences, intended_openings
from tests.connectivity.readers import READERS
from tests.deploy import access
from tests.deploy.moto_server import MotoEndpoint
from tests.deploy.readback import (
    planned_cidr_egress,
    read_network,
    read_roles,
    resolved,
    role_documents,
)
from tests.deploy.stack import Deployment, moto_cloudformation_types
from tests.deploy.template import MOTO_CANNOT_CREATE, references


@dataclass
class Deployed:
    example: str
    view: SystemView
    plan: AwsPlan
    deployment: Deployment
    endpoint: MotoEndpoint

    def clients(self, service: str) -> Any:
        return self.endpoint.client(service, self.deployment.region)


# -- the stack ------------------------------------------------------------------------------


def stack_is_complete(deployed: Deployed) -> None:
    prepared = deployed.deployment.prepared
    print(f"\n{deployed.example}:\n  " + "\n  ".join(prepared.summary()))
    assert prepared.unlisted() == []
    assert deployed.deployment.status == "CREATE_COMPLETE"
    # Every resource of the template is accounted for: in the stack, applied, or listed.
    stack = set(prepared.template["Resources"])
    others = {r.logical for r in (*prepared.cannot_create, *prepared.applied)}
    assert stack | others == set(prepared.original["Resources"])
    assert set(deployed.deployment.physical) >= stack | {r.logical for r in prepared.applied}
    # The list of types moto cannot create stays true as moto grows.
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


def groups_admit_exactly_the_view(deployed: Deployed) -> None:
    assert _network_differences(deployed) == []


def an_added_rule_is_caught(deployed: Deployed) -> None:
    """The readback can fail: SSH opened to the internet on a deployed service's group is
    reported, both as a connection and as an opening; revoked, the deployment is clean again."""
    if not deployed.plan.services:
        return  # no Fargate service to open a port on
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


def roles_carry_exactly_the_plan(deployed: Deployed) -> None:
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


def bucket_policies_are_as_rendered(deployed: Deployed) -> None:
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


# -- names and TLS --------------------------------------------------------------------------


def names_reach_their_balancers_over_tls(deployed: Deployed) -> None:
    """Each alias record names the balancer it was rendered for; that balancer's HTTPS
    listeners carry a certificate issued for the name, and its HTTP listeners only redirect."""
    d = deployed.deployment
    r53, elbv2, acm = (deployed.clients(s) for s in ("route53", "elbv2", "acm"))
    for logical, resource in sorted(d.prepared.to_apply.items()):
        alias = resource["Properties"].get("AliasTarget")
        if resource["Type"] != "AWS::Route53::RecordSet" or alias is None:
            continue
        (balancer,) = {ref for ref, _ in references(alias)}
        p = d.value(resource["Properties"])
        records = r53.list_resource_record_sets(HostedZoneId=p["HostedZoneId"])
        (record,) = [
            r
            for r in records["ResourceRecordSets"]
            if r["Name"].rstrip(".") == p["Name"].rstrip(".") and r["Type"] == p["Type"]
        ]
        (lb,) = elbv2.describe_load_balancers(LoadBalancerArns=[d.physical[balancer]])[
            "LoadBalancers"
        ]
        assert record["AliasTarget"]["DNSName"].rstrip(".") == lb["DNSName"].rstrip("."), logical
        listeners = elbv2.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]
        for listener in listeners:
            if listener["Protocol"] == "HTTPS":
                (cert,) = listener["Certificates"]
                described = acm.describe_certificate(CertificateArn=cert["CertificateArn"])
                assert described["Certificate"]["DomainName"] == p["Name"].rstrip("."), logical
            elif listener["Protocol"] == "HTTP":
                (action,) = listener["DefaultActions"]
                assert action["Type"] == "redirect", logical
                assert action["RedirectConfig"]["Protocol"] == "HTTPS", logical


# -- IAM enforced ---------------------------------------------------------------------------


def task_roles_do_what_is_declared(deployed: Deployed) -> None:
    d = deployed
    results = access.run(d.endpoint, d.deployment.region, d.view, d.plan)
    print(f"\n{d.example}:\n  " + "\n  ".join(p.show() for p in results))
    roles = access.task_roles(d.plan)
    expected = [p for workload, _ in roles for p in access.probes(d.view, d.plan, workload)]
    assert results == expected
    # Every task role showed a write it does not declare denied (the canaries, at least).
    assert {p.workload for p in results if not p.allowed} == {w for w, _ in roles}


CHECKS = {
    "reaches CREATE_COMPLETE, every resource accounted for": stack_is_complete,
    "security groups admit exactly the view's connections": groups_admit_exactly_the_view,
    "a rule added to the deployment is caught": an_added_rule_is_caught,
    "each role carries exactly its planned trust and policy": roles_carry_exactly_the_plan,
    "bucket policies are deployed as rendered": bucket_policies_are_as_rendered,
    "DNS names alias their balancers, served over TLS": names_reach_their_balancers_over_tls,
    "task roles: declared access allowed, undeclared writes denied": task_roles_do_what_is_declared,
}
