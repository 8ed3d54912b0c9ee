"""Reading the AWS render back: security group rules, listeners, target groups and container
health checks, from Terraform (python-hcl2) and from CloudFormation (JSON), into the
connections they allow.

A hop through a security group needs both halves: the source group's egress rule and the
destination group's ingress rule (or a CIDR ingress rule, for sources outside the VPC). Hops
are then read for what they carry:

- load balancer -> service on a target group's port: the forward; on its health-check port
  (or the traffic port, when the service declares a check): the platform's health check;
- service -> load balancer listener: a call to the service behind that listener, on the
  target group's port (the balancer is how callers reach it);
- service -> service: a call;
- CIDR -> group: an opening, and a connection from the internet (any public CIDR) or the
  private network.

A service with no load balancer checks its own health (the container's exec check on
localhost), which the platform always reaches. The HTTP API's VPC link and the egress to AWS
APIs are managed paths outside the view's connections; `api_routes_reach` checks the former.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from ipaddress import ip_network
from typing import Any

from blueprint.subjects import (
    INTERNET,
    PLATFORM,
    PRIVATE_NETWORK,
    ingress_id,
    job_id,
    resource_id,
    service_id,
)
from tests.connectivity.model import Readback
from tests.generators.aws.support import call_argument, cloudformation, resources

_HEALTH_URL = re.compile(r"^http://localhost:(\d+)/")
_REF = re.compile(r"^\$\{aws_[a-z0-9_]+\.([a-z0-9_]+)(?:\.[a-z_]+)?\}$")


@dataclass
class Rule:
    group: str
    direction: str  # ingress | egress
    protocol: str
    port: int
    peer: str | None
    cidr: str | None


@dataclass
class Network:
    """What a reader found, in the render's own names (Terraform labels or logical ids)."""

    owners: dict[str, str] = field(default_factory=dict)  # group -> subject
    rules: list[Rule] = field(default_factory=list)
    # load balancer subject -> listener port -> target group
    listeners: dict[str, dict[int, str]] = field(default_factory=dict)
    # target group -> (service subject, traffic port, explicit health port)
    target_groups: dict[str, tuple[str, int, int | None]] = field(default_factory=dict)
    container_health: dict[str, int] = field(default_factory=dict)  # service -> port
    api_links: dict[str, str] = field(default_factory=dict)  # api subject -> its group
    api_integrations: dict[str, set[tuple[str, int]]] = field(default_factory=dict)
    brokers: set[str] = field(default_factory=set)  # MSK groups: test_async reads them


def _admits(n: Network, src: str, dst: str, port: int, protocol: str) -> bool:
    ingress = any(
        r.group == dst
        and r.direction == "ingress"
        and r.peer == src
        and r.port == port
        and r.protocol == protocol
        for r in n.rules
    )
    egress = any(
        r.group == src
        and r.direction == "egress"
        and r.peer == dst
        and r.port == port
        and r.protocol == protocol
        for r in n.rules
    )
    return ingress and egress


def connections(n: Network) -> Readback:
    out = Readback()
    by_service: dict[str, list[tuple[str, int, int | None]]] = {}
    for tg, (svc, port, health) in n.target_groups.items():
        by_service.setdefault(svc, []).append((tg, port, health))
    managed = set(n.api_links.values()) | n.brokers
    for r in n.rules:
        if r.direction != "ingress" or r.group in managed or r.peer in managed:
            continue  # the VPC link's rules (api_routes_reach) and MSK's (test_async)
        dst = n.owners[r.group]
        if r.cidr is not None:
            out.open(dst, r.port, r.protocol, r.cidr)
            continue
        assert r.peer is not None
        if not _admits(n, r.peer, r.group, r.port, r.protocol):
            continue
        out.connections |= _hop(n, n.owners[r.peer], dst, r.port, r.protocol, by_service)
    for (target, opened, protocol), cidrs in out.openings.items():
        public = any(not ip_network(c).is_private for c in cidrs)
        out.connections.add((INTERNET if public else PRIVATE_NETWORK, target, opened, protocol))
    for svc, checked in n.container_health.items():
        if svc not in by_service:
            out.connections.add((PLATFORM, svc, checked, "tcp"))
    return out


def _hop(
    n: Network,
    src: str,
    dst: str,
    port: int,
    protocol: str,
    by_service: dict[str, list[tuple[str, int, int | None]]],
) -> set[tuple[str, str, int | None, str]]:
    if dst.startswith("ingress.") and src.startswith(("services.", "jobs.")):
        tg = n.listeners.get(dst, {}).get(port)
        if tg is None:
            return {(src, dst, port, protocol)}
        behind, traffic, _ = n.target_groups[tg]
        return {(src, behind, traffic, protocol)}
    if src.startswith("ingress.") and dst.startswith("services."):
        found: set[tuple[str, str, int | None, str]] = set()
        for tg, traffic, health in by_service.get(dst, ()):
            if not any(t == tg for t in n.listeners.get(src, {}).values()):
                continue
            if port == traffic:
                found.add((src, dst, port, protocol))
            checked = health if health is not None else traffic
            if port == checked and dst in n.container_health:
                found.add((PLATFORM, dst, port, protocol))
        return found or {(src, dst, port, protocol)}
    return {(src, dst, port, protocol)}


def api_routes_reach(n: Network) -> list[str]:
    """Every HTTP API integration's listener admits the API's VPC link."""
    lines: list[str] = []
    for api, targets in sorted(n.api_integrations.items()):
        link = n.api_links[api]
        lb_groups = {s: g for g, s in n.owners.items()}
        for lb, port in sorted(targets):
            if not _admits(n, link, lb_groups[lb], port, "tcp"):
                lines.append(f"{api} cannot reach {lb}:{port} through its VPC link")
    return lines


# -- Terraform ----------------------------------------------------------------------------------


def _label(expression: str) -> str:
    match = _REF.match(expression)
    assert match is not None, f"not a resource reference: {expression}"
    return match.group(1)


def _name(label: str) -> str:
    """A blueprint name from its Terraform label (names are DNS labels: no underscores)."""
    return label.replace("_", "-")


def read_terraform(files: Mapping[str, str]) -> Network:
    n = Network()
    files = dict(files)
    services: dict[str, str] = {}
    for label, attrs in resources(files, "aws_ecs_service").items():
        services[label] = attrs["name"]
        svc = service_id(attrs["name"])
        for group in attrs["network_configuration"][0]["security_groups"]:
            n.owners[_label(group)] = svc
        for block in attrs.get("load_balancer", []):
            tg = _label(block["target_group_arn"])
            n.target_groups[tg] = (svc, int(block["container_port"]), None)
    for label, attrs in resources(files, "aws_lb").items():
        for group in attrs["security_groups"]:
            n.owners[_label(group)] = ingress_id(_name(label))
    for label, attrs in resources(files, "aws_lb_target_group").items():
        port = attrs["health_check"][0]["port"]
        svc, traffic, _ = n.target_groups[label]
        n.target_groups[label] = (svc, traffic, None if port == "traffic-port" else int(port))
    for attrs in resources(files, "aws_lb_listener").values():
        if attrs["default_action"][0]["type"] == "redirect":
            continue  # answers with a redirect: it reaches nothing
        lb = ingress_id(_name(_label(attrs["load_balancer_arn"])))
        tg = _label(attrs["default_action"][0]["target_group_arn"])
        n.listeners.setdefault(lb, {})[int(attrs["port"])] = tg
    for rtype in ("aws_db_instance", "aws_rds_cluster"):
        for label, attrs in resources(files, rtype).items():
            for group in attrs["vpc_security_group_ids"]:
                n.owners[_label(group)] = resource_id(_name(label))
    for label, attrs in resources(files, "aws_ecs_task_definition").items():
        (container,) = call_argument(attrs["container_definitions"])
        if "healthCheck" in container:
            url = container["healthCheck"]["command"][-1]
            match = _HEALTH_URL.match(url)
            assert match is not None, url
            n.container_health[service_id(services[label])] = int(match.group(1))
    for rtype, direction in (
        ("aws_vpc_security_group_ingress_rule", "ingress"),
        ("aws_vpc_security_group_egress_rule", "egress"),
    ):
        for attrs in resources(files, rtype).values():
            assert attrs["from_port"] == attrs["to_port"], attrs
            peer = attrs.get("referenced_security_group_id")
            n.rules.append(
                Rule(
                    _label(attrs["security_group_id"]),
                    direction,
                    attrs["ip_protocol"],
                    int(attrs["from_port"]),
                    _label(peer) if peer else None,
                    attrs.get("cidr_ipv4") or attrs.get("cidr_ipv6"),
                )
            )
    for label, attrs in resources(files, "aws_security_group").items():
        _owned_by_description(n, label, attrs["description"])
    _terraform_apis(files, n)
    return n


def _owned_by_description(n: Network, group: str, description: str) -> None:
    """A job's group (whatever runs it: an ECS service, Scheduler, a rule) and a broker's are
    known by the description the generator gives them."""
    if description.startswith("Fargate job "):
        n.owners[group] = job_id(description.removeprefix("Fargate job "))
    elif description.startswith("MSK Serverless cluster "):
        n.brokers.add(group)


def _terraform_apis(files: dict[str, str], n: Network) -> None:
    listeners = {
        label: (ingress_id(_name(_label(a["load_balancer_arn"]))), int(a["port"]))
        for label, a in resources(files, "aws_lb_listener").items()
        if a["default_action"][0]["type"] != "redirect"
    }
    for label, attrs in resources(files, "aws_apigatewayv2_vpc_link").items():
        n.api_links[ingress_id(_name(label))] = _label(attrs["security_group_ids"][0])
    for attrs in resources(files, "aws_apigatewayv2_integration").values():
        api = ingress_id(_name(_label(attrs["api_id"])))
        n.api_integrations.setdefault(api, set()).add(listeners[_label(attrs["integration_uri"])])


# -- CloudFormation -----------------------------------------------------------------------------


def _logical(value: Any) -> str:
    if isinstance(value, dict) and "Ref" in value:
        return str(value["Ref"])
    assert isinstance(value, dict) and "Fn::GetAtt" in value, value
    return str(value["Fn::GetAtt"][0])


def _described(template: dict[str, Any], prefix: str) -> dict[str, str]:
    """Logical id -> blueprint name, from the outputs that describe each resource by it."""
    found: dict[str, str] = {}
    for output in template.get("Outputs", {}).values():
        if output["Description"].startswith(prefix):
            found[_logical(output["Value"])] = output["Description"].removeprefix(prefix)
    return found


def read_cloudformation(files: Mapping[str, str]) -> Network:
    n = Network()
    template = cloudformation(dict(files))
    res: dict[str, Any] = template["Resources"]
    lbs = _described(template, "DNS name of load balancer ")
    apis = _described(template, "HTTP API endpoint of ")
    databases = _described(template, "Endpoint of database ")
    tasks: dict[str, str] = {}
    for logical, r in res.items():
        p = r["Properties"]
        if r["Type"] == "AWS::ECS::Service":
            svc = service_id(p["ServiceName"])
            tasks[_logical(p["TaskDefinition"])] = svc
            for group in p["NetworkConfiguration"]["AwsvpcConfiguration"]["SecurityGroups"]:
                n.owners[_logical(group)] = svc
            for lb in p.get("LoadBalancers", []):
                n.target_groups[_logical(lb["TargetGroupArn"])] = (svc, lb["ContainerPort"], None)
        elif r["Type"] == "AWS::ElasticLoadBalancingV2::LoadBalancer":
            for group in p["SecurityGroups"]:
                n.owners[_logical(group)] = ingress_id(lbs[logical])
        elif r["Type"] == "AWS::EC2::SecurityGroup":
            _owned_by_description(n, logical, p["GroupDescription"])
        elif logical in databases:
            groups = p.get("VPCSecurityGroups") or p["VpcSecurityGroupIds"]
            for group in groups:
                n.owners[_logical(group)] = resource_id(databases[logical])
        elif r["Type"] == "AWS::ApiGatewayV2::VpcLink":
            api = ingress_id(apis[_logical_api(res, logical)])
            n.api_links[api] = _logical(p["SecurityGroupIds"][0])
    _cfn_wiring(res, lbs, tasks, n)
    _cfn_integrations(res, apis, lbs, n)
    return n


def _cfn_wiring(
    res: dict[str, Any], lbs: dict[str, str], tasks: dict[str, str], n: Network
) -> None:
    """Target groups, listeners, container checks and rules, once the owners are known."""
    for logical, r in res.items():
        p = r["Properties"]
        if r["Type"] == "AWS::ElasticLoadBalancingV2::TargetGroup":
            svc, traffic, _ = n.target_groups[logical]
            port = p["HealthCheckPort"]
            n.target_groups[logical] = (svc, traffic, None if port == "traffic-port" else int(port))
        elif r["Type"] == "AWS::ElasticLoadBalancingV2::Listener":
            if p["DefaultActions"][0]["Type"] == "redirect":
                continue  # answers with a redirect: it reaches nothing
            lb = ingress_id(lbs[_logical(p["LoadBalancerArn"])])
            tg = _logical(p["DefaultActions"][0]["TargetGroupArn"])
            n.listeners.setdefault(lb, {})[p["Port"]] = tg
        elif r["Type"] == "AWS::ECS::TaskDefinition":
            (container,) = p["ContainerDefinitions"]
            if "HealthCheck" in container:
                match = _HEALTH_URL.match(container["HealthCheck"]["Command"][-1])
                assert match is not None
                n.container_health[tasks[logical]] = int(match.group(1))
        elif r["Type"] in ("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress"):
            n.rules.append(_cfn_rule(_logical(p["GroupId"]), r["Type"], p))
        elif r["Type"] == "AWS::EC2::SecurityGroup":
            for e in p.get("SecurityGroupEgress", []):
                if e["IpProtocol"] != "-1":
                    n.rules.append(_cfn_rule(logical, "AWS::EC2::SecurityGroupEgress", e))
            for i in p.get("SecurityGroupIngress", []):
                n.rules.append(_cfn_rule(logical, "AWS::EC2::SecurityGroupIngress", i))


def _logical_api(res: dict[str, Any], link: str) -> str:
    """The API whose integrations use this VPC link."""
    for r in res.values():
        if (
            r["Type"] == "AWS::ApiGatewayV2::Integration"
            and _logical(r["Properties"]["ConnectionId"]) == link
        ):
            return _logical(r["Properties"]["ApiId"])
    raise AssertionError(f"no integration uses VPC link {link}")


def _cfn_integrations(
    res: dict[str, Any], apis: dict[str, str], lbs: dict[str, str], n: Network
) -> None:
    for r in res.values():
        if r["Type"] != "AWS::ApiGatewayV2::Integration":
            continue
        p = r["Properties"]
        listener = res[_logical(p["IntegrationUri"])]["Properties"]
        lb = ingress_id(lbs[_logical(listener["LoadBalancerArn"])])
        api = ingress_id(apis[_logical(p["ApiId"])])
        n.api_integrations.setdefault(api, set()).add((lb, listener["Port"]))


def _cfn_rule(group: str, rtype: str, p: dict[str, Any]) -> Rule:
    assert p["FromPort"] == p["ToPort"], p
    egress = rtype.endswith("Egress")
    peer = p.get("DestinationSecurityGroupId" if egress else "SourceSecurityGroupId")
    return Rule(
        group,
        "egress" if egress else "ingress",
        p["IpProtocol"],
        int(p["FromPort"]),
        _logical(peer) if peer else None,
        p.get("CidrIp") or p.get("CidrIpv6"),
    )
