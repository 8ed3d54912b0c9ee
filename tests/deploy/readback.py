"""Reading the deployment back from moto with boto3: the network (security groups and what
they are attached to, listeners, target groups, container checks) in the shape
tests/connectivity/aws.py reads a render into, and each IAM role's policies.

Names come from the AWS plan (the physical name of each group, balancer and service); every
fact comes from moto's APIs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from blueprint.subjects import ingress_id, service_id
from generators.aws.plan.records import AwsPlan, PolicyDoc
from generators.aws.values import Value
from tests.connectivity.aws import Network, Rule

Clients = Callable[[str], Any]
# The rule a group carries when it admits no egress but the separate rules (Terraform and
# CloudFormation alike): egress to the loopback address, which no packet ever takes.
NO_EGRESS_SENTINEL = ("-1", "127.0.0.1/32")
_HEALTH_URL = re.compile(r"^http://localhost:(\d+)/")


@dataclass
class DeployedNetwork:
    network: Network = field(default_factory=Network)
    cidr_egress: set[tuple[str, str, int, str]] = field(default_factory=set)  # group, proto..
    problems: list[str] = field(default_factory=list)
    groups: dict[str, str] = field(default_factory=dict)  # group name -> id, plan's groups


def read_network(clients: Clients, plan: AwsPlan) -> DeployedNetwork:
    out = DeployedNetwork()
    ec2, elbv2, ecs = clients("ec2"), clients("elbv2"), clients("ecs")
    deployed = {
        g["GroupName"]: g for g in _pages(ec2, "describe_security_groups", "SecurityGroups")
    }
    planned = {sg.id.name for sg in plan.security_groups}
    extra = sorted(n for n in deployed if n not in planned and n != "default")
    out.problems += [f"security group {n} is deployed but not planned" for n in extra]
    out.problems += [
        f"security group {n} is planned but not deployed" for n in sorted(planned - set(deployed))
    ]
    out.groups = {n: deployed[n]["GroupId"] for n in sorted(planned & set(deployed))}
    for name, group_id in out.groups.items():
        _rules(out, name, group_id, deployed[name])
    n = out.network
    lb_names = {lb.id.name: lb.key for lb in plan.load_balancers}
    for lb in _pages(elbv2, "describe_load_balancers", "LoadBalancers"):
        subject = ingress_id(lb_names[lb["LoadBalancerName"]])
        for group in lb.get("SecurityGroups", []):
            n.owners[group] = subject
        for listener in elbv2.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])[
            "Listeners"
        ]:
            (action,) = listener["DefaultActions"]
            n.listeners.setdefault(subject, {})[listener["Port"]] = action["TargetGroupArn"]
    health_ports = {
        tg["TargetGroupArn"]: tg.get("HealthCheckPort", "traffic-port")
        for tg in _pages(elbv2, "describe_target_groups", "TargetGroups")
    }
    service_names = {svc.id.name: svc.key for svc in plan.services}
    for cluster in ecs.list_clusters()["clusterArns"]:
        arns = ecs.list_services(cluster=cluster)["serviceArns"]
        if not arns:
            continue
        for svc in ecs.describe_services(cluster=cluster, services=arns)["services"]:
            subject = service_id(service_names[svc["serviceName"]])
            vpc = svc.get("networkConfiguration", {}).get("awsvpcConfiguration", {})
            for group in vpc.get("securityGroups", []):
                n.owners[group] = subject
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
    for api in plan.apis:
        n.api_links[ingress_id(api.key)] = out.groups[api.vpc_link_sg.id.name]
        n.api_integrations[ingress_id(api.key)] = {
            (ingress_id(lb), p) for lb, p in api.integrations
        }
    return out


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
