"""Reading the deployment back from moto with boto3: the network (security groups and what
they are attached to, listeners, target groups, container checks) in the shape
tests/connectivity/aws.py reads a render into, and each IAM role's policies.

Names come from the AWS plan (the physical name of each group, balancer and service); every
fact comes from moto's APIs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from generators.aws.plan.records import AwsPlan, PolicyDoc
from generators.aws.values import Value
from tests.connectivity.aws import Network, Rule, read_cloudformation

Clients = Callable[[str], Any]
# The rule a group carries when it admits no egress but the separate rules (Terraform and
# CloudFormation alike): egress to the loopback address, which no packet ever takes.
NO_EGRESS_SENTINEL = ("-1", "127.0.0.1/32")
TEMPLATE = "aws/cloudformation/template.json"
_HEALTH_URL = re.compile(r"^http://localhost:(\d+)/")


@dataclass
class DeployedNetwork:
    network: Network = field(default_factory=Network)
    # (group name, protocol, port, CIDR) of every egress rule to an address range
    cidr_egress: set[tuple[str, str, int, str]] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


def read_network(
    clients: Clients, plan: AwsPlan, rendered: dict[str, Any], physical: dict[str, str]
) -> DeployedNetwork:
    """The deployed network. Which group belongs to whom is the one thing read from the render
    (tests/connectivity/aws.py's reader, ids mapped to the deployed groups): it is a name, and
    some owners (an Aurora cluster) are resources moto cannot create. The rules, what each
    service and balancer has attached, listeners, target groups and health checks are moto's."""
    out = DeployedNetwork()
    n = out.network
    named = read_cloudformation({TEMPLATE: json.dumps(rendered)})
    n.owners = {physical[g]: subject for g, subject in named.owners.items()}
    n.api_links = {api: physical[g] for api, g in named.api_links.items()}
    n.api_integrations = named.api_integrations
    managed = set(n.api_links.values())
    # Groups of managed services the reader sets apart (MSK brokers, where the reader knows
    # them): their rules are read, and `connections` leaves them to their own checks.
    if hasattr(named, "brokers"):
        n.brokers = {physical[g] for g in named.brokers}
        managed |= n.brokers
    ec2, elbv2, ecs = clients("ec2"), clients("elbv2"), clients("ecs")
    # Examples share one moto (and a region): only this stack's networks and clusters count.
    vpcs = _physical_of(rendered, physical, "AWS::EC2::VPC")
    groups = {
        g["GroupId"]: g
        for g in _pages(ec2, "describe_security_groups", "SecurityGroups")
        if g.get("VpcId") in vpcs
    }
    known = set(n.owners) | managed
    for group_id, group in sorted(groups.items()):
        if group_id in known:
            _rules(out, group["GroupName"], group_id, group)
        elif group["GroupName"] != "default":
            out.problems.append(f"security group {group['GroupName']} belongs to nothing planned")
    out.problems += [
        f"security group {g} is rendered but not deployed" for g in known - set(groups)
    ]
    for lb in _pages(elbv2, "describe_load_balancers", "LoadBalancers"):
        if lb.get("VpcId") not in vpcs:
            continue
        subject = _attached(out, lb["LoadBalancerName"], lb.get("SecurityGroups", []))
        listeners = elbv2.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]
        for listener in listeners:
            (action,) = listener["DefaultActions"]
            if action["Type"] == "forward":  # a redirect reaches nothing
                n.listeners.setdefault(subject, {})[listener["Port"]] = action["TargetGroupArn"]
    health_ports = {
        tg["TargetGroupArn"]: tg.get("HealthCheckPort", "traffic-port")
        for tg in _pages(elbv2, "describe_target_groups", "TargetGroups")
    }
    clusters = _physical_of(rendered, physical, "AWS::ECS::Cluster")
    for cluster in sorted(clusters):
        arns = ecs.list_services(cluster=cluster)["serviceArns"]
        for svc in (
            ecs.describe_services(cluster=cluster, services=arns)["services"] if arns else []
        ):
            vpc = svc.get("networkConfiguration", {}).get("awsvpcConfiguration", {})
            subject = _attached(out, svc["serviceName"], vpc.get("securityGroups", []))
            for lb in svc.get("loadBalancers", []):
                port = health_ports[lb["targetGroupArn"]]
                n.target_groups[lb["targetGroupArn"]] = (
                    subject,
                    lb["containerPort"],
                    None if port == "traffic-port" else int(port),
                )
            task = ecs.describe_task_definition(taskDefinition=svc["taskDefinition"])
            (container,) = task["taskDefinition"]["containerDefinitions"]
            if "healthCheck" in container:
                match = _HEALTH_URL.match(container["healthCheck"]["command"][-1])
                assert match is not None, container["healthCheck"]
                n.container_health[subject] = int(match.group(1))
    return out


def _physical_of(rendered: dict[str, Any], physical: dict[str, str], rtype: str) -> set[str]:
    return {physical[lg] for lg, r in rendered["Resources"].items() if r["Type"] == rtype}


def _attached(out: DeployedNetwork, name: str, groups: list[str]) -> str:
    """The one subject owning every group attached to `name` (a problem otherwise)."""
    owners = {out.network.owners.get(g, f"an unplanned group {g}") for g in groups}
    if len(owners) != 1:
        out.problems.append(f"{name} has groups of {sorted(owners) or 'no one'} attached")
        return name
    return owners.pop()


def _rules(out: DeployedNetwork, name: str, group_id: str, group: dict[str, Any]) -> None:
    for direction, key in (("ingress", "IpPermissions"), ("egress", "IpPermissionsEgress")):
        for perm in group.get(key, []):
            protocol = perm["IpProtocol"]
            cidrs = [r["CidrIp"] for r in perm.get("IpRanges", [])]
            cidrs += [r["CidrIpv6"] for r in perm.get("Ipv6Ranges", [])]
            peers = [p["GroupId"] for p in perm.get("UserIdGroupPairs", [])]
            if protocol == "-1":
                if direction == "egress" and peers == [] and cidrs == [NO_EGRESS_SENTINEL[1]]:
                    continue
                out.problems.append(f"{name}: {direction} of all traffic to {peers + cidrs}")
                continue
            if perm.get("FromPort") != perm.get("ToPort"):
                out.problems.append(f"{name}: {direction} on a port range {perm}")
                continue
            port = int(perm["FromPort"])
            for peer in peers:
                out.network.rules.append(Rule(group_id, direction, protocol, port, peer, None))
            for cidr in cidrs:
                out.network.rules.append(Rule(group_id, direction, protocol, port, None, cidr))
                if direction == "egress":
                    out.cidr_egress.add((name, protocol, port, cidr))


def planned_cidr_egress(plan: AwsPlan) -> set[tuple[str, str, int, str]]:
    """The egress rules to address ranges the plan gives its groups (to AWS APIs, HTTPS)."""
    return {
        (sg.id.name, r.protocol, r.port, r.cidr)
        for sg in plan.security_groups
        for r in sg.rules
        if r.direction == "egress" and r.cidr is not None
    }


def _pages(client: Any, operation: str, key: str) -> Iterator[dict[str, Any]]:
    for page in client.get_paginator(operation).paginate():
        yield from page[key]


# -- IAM ------------------------------------------------------------------------------------


def plan_values(doc: Any) -> Iterator[Value]:
    """Every deploy-time value inside a plan document (as_json keeps them as Value)."""
    if isinstance(doc, Value):
        yield doc
    elif isinstance(doc, dict):
        for v in doc.values():
            yield from plan_values(v)
    elif isinstance(doc, list | tuple):
        for v in doc:
            yield from plan_values(v)


def resolved(doc: Any, resolve: Callable[[Any], Any]) -> Any:
    """A plan document with each Value as moto resolved its CloudFormation spelling."""
    if isinstance(doc, Value):
        return resolve(doc.cfn())
    if isinstance(doc, dict):
        return {k: resolved(v, resolve) for k, v in doc.items()}
    if isinstance(doc, list | tuple):
        return [resolved(v, resolve) for v in doc]
    return doc


def role_documents(plan: AwsPlan) -> Iterator[tuple[str, dict[str, Any], dict[str, Any] | None]]:
    """(role name, trust document, identity policy or None) of each planned role."""
    for role in plan.roles:
        policy: PolicyDoc | None = role.policy
        yield role.id.name, role.trust.as_json(), None if policy is None else policy.as_json()


@dataclass(frozen=True)
class DeployedRole:
    trust: dict[str, Any]
    inline: dict[str, dict[str, Any]]  # policy name -> document
    attached: tuple[str, ...]  # managed policy ARNs


def read_roles(clients: Clients) -> dict[str, DeployedRole]:
    iam = clients("iam")
    out: dict[str, DeployedRole] = {}
    for role in _pages(iam, "list_roles", "Roles"):
        name = role["RoleName"]
        inline = {
            p: iam.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"]
            for p in iam.list_role_policies(RoleName=name)["PolicyNames"]
        }
        attached = tuple(
            p["PolicyArn"]
            for p in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]
        )
        out[name] = DeployedRole(role["AssumeRolePolicyDocument"], inline, attached)
    return out
