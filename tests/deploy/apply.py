"""After the stack: create the resources and properties moto's CloudFormation cannot, through
moto's service APIs, from the template's own properties (tests/deploy/template.py says which
and why).

Intrinsics in those properties were evaluated by moto as stack outputs (`probes`); references
between applied resources resolve to what the API returned. Anything else is an error, never a
guess.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.deploy.template import Prepared, canonical, is_intrinsic, references

Clients = Callable[[str], Any]  # service name -> boto3 client on moto


@dataclass(frozen=True)
class Applied:
    ref: str
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class Resolver:
    probes: dict[str, str]  # canonical expression -> value moto evaluated
    applied: dict[str, Applied] = field(default_factory=dict)

    def __call__(self, node: Any) -> Any:
        if isinstance(node, list):
            return [self(item) for item in node]
        if not isinstance(node, dict):
            return node
        if not is_intrinsic(node):
            return {k: self(v) for k, v in node.items()}
        key = canonical(node)
        if key in self.probes:
            return self.probes[key]
        ((function, args),) = node.items()
        if function == "Ref" and args in self.applied:
            return self.applied[args].ref
        if function == "Fn::GetAtt":
            target, attribute = args.split(".", 1) if isinstance(args, str) else args
            if target in self.applied:
                return self.applied[target].attributes[attribute]
        if function == "Fn::Join":
            separator, parts = args
            return separator.join(str(self(p)) for p in parts)
        raise AssertionError(f"cannot resolve {key} outside the stack")


def apply_all(
    prepared: Prepared, resolver: Resolver, clients: Clients, physical: dict[str, str]
) -> None:
    """Create the applied resources in dependency order, then complete the stack's."""
    pending = dict(prepared.to_apply)
    params = set(prepared.original.get("Parameters", {}))
    while pending:
        ready = [
            logical
            for logical, resource in sorted(pending.items())
            if not _waits_for(resource, params) & set(pending)
        ]
        assert ready, f"applied resources reference each other in a cycle: {sorted(pending)}"
        for logical in ready:
            resource = pending.pop(logical)
            properties = resolver(resource.get("Properties", {}))
            resolver.applied[logical] = APPLIERS[resource["Type"]](clients, properties)
    for (logical, prop), rendered in sorted(prepared.completed.items()):
        rtype = prepared.original["Resources"][logical]["Type"]
        COMPLETERS[(rtype, prop)](clients, physical[logical], _value(rendered, resolver, physical))


def _value(rendered: Any, resolver: Resolver, physical: dict[str, str]) -> Any:
    """A bare Ref is the referenced resource's physical id (moto evaluates some Refs to model
    objects, so these are not probed); anything else goes through the resolver."""
    if isinstance(rendered, dict) and set(rendered) == {"Ref"}:
        target = rendered["Ref"]
        return resolver.applied[target].ref if target in resolver.applied else physical[target]
    return resolver(rendered)


def _waits_for(resource: dict[str, Any], params: set[str]) -> set[str]:
    depends = resource.get("DependsOn", [])
    waits = set([depends] if isinstance(depends, str) else depends)
    return waits | {ref for ref, _ in references(resource.get("Properties", {}), params)}


# -- security groups ------------------------------------------------------------------------


def _permission(rule: dict[str, Any], peer_key: str) -> dict[str, Any]:
    """A CloudFormation rule (AWS::EC2::SecurityGroupEgress/Ingress properties, or an entry of
    SecurityGroupEgress) as the EC2 API's IpPermission."""
    permission: dict[str, Any] = {"IpProtocol": str(rule["IpProtocol"])}
    if "FromPort" in rule:
        permission["FromPort"] = int(rule["FromPort"])
        permission["ToPort"] = int(rule["ToPort"])
    described = {"Description": rule["Description"]} if "Description" in rule else {}
    if peer_key in rule:
        permission["UserIdGroupPairs"] = [{"GroupId": rule[peer_key], **described}]
    elif "CidrIp" in rule:
        permission["IpRanges"] = [{"CidrIp": rule["CidrIp"], **described}]
    elif "CidrIpv6" in rule:
        permission["Ipv6Ranges"] = [{"CidrIpv6": rule["CidrIpv6"], **described}]
    else:
        raise AssertionError(f"a security group rule with no peer: {rule}")
    return permission


def _egress_rule(clients: Clients, properties: dict[str, Any]) -> Applied:
    ec2 = clients("ec2")
    permission = _permission(properties, "DestinationSecurityGroupId")
    ec2.authorize_security_group_egress(GroupId=properties["GroupId"], IpPermissions=[permission])
    return Applied(ref="")


def _group_egress(clients: Clients, group_id: str, rules: list[dict[str, Any]]) -> None:
    """As CloudFormation does when SecurityGroupEgress is given: the default allow-all egress
    goes, exactly the listed rules come."""
    ec2 = clients("ec2")
    ec2.revoke_security_group_egress(
        GroupId=group_id,
        IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    permissions = [_permission(r, "DestinationSecurityGroupId") for r in rules]
    if permissions:
        ec2.authorize_security_group_egress(GroupId=group_id, IpPermissions=permissions)


# -- storage --------------------------------------------------------------------------------


def _bucket_policy(clients: Clients, properties: dict[str, Any]) -> Applied:
    clients("s3").put_bucket_policy(
        Bucket=properties["Bucket"], Policy=json.dumps(properties["PolicyDocument"])
    )
    return Applied(ref=properties["Bucket"])


# -- load balancers -------------------------------------------------------------------------


def _load_balancer(clients: Clients, p: dict[str, Any]) -> Applied:
    elbv2 = clients("elbv2")
    created = elbv2.create_load_balancer(
        Name=p["Name"],
        Subnets=p["Subnets"],
        SecurityGroups=p.get("SecurityGroups", []),
        Scheme=p.get("Scheme", "internet-facing"),
        Type=p.get("Type", "application"),
    )["LoadBalancers"][0]
    arn = created["LoadBalancerArn"]
    if p.get("LoadBalancerAttributes"):
        elbv2.modify_load_balancer_attributes(
            LoadBalancerArn=arn, Attributes=p["LoadBalancerAttributes"]
        )
    return Applied(
        ref=arn,
        attributes={
            "DNSName": created["DNSName"],
            "CanonicalHostedZoneID": created["CanonicalHostedZoneId"],
            "LoadBalancerName": created["LoadBalancerName"],
            "LoadBalancerFullName": arn.split(":loadbalancer/", 1)[1],
            "LoadBalancerArn": arn,
        },
    )


def _listener(clients: Clients, p: dict[str, Any]) -> Applied:
    kwargs: dict[str, Any] = {
        "LoadBalancerArn": p["LoadBalancerArn"],
        "Protocol": p["Protocol"],
        "Port": int(p["Port"]),
        "DefaultActions": p["DefaultActions"],
    }
    for optional in ("SslPolicy", "Certificates", "AlpnPolicy"):
        if optional in p:
            kwargs[optional] = p[optional]
    arn = clients("elbv2").create_listener(**kwargs)["Listeners"][0]["ListenerArn"]
    return Applied(ref=arn, attributes={"ListenerArn": arn})


def _certificate(clients: Clients, p: dict[str, Any]) -> Applied:
    kwargs: dict[str, Any] = {
        "DomainName": p["DomainName"],
        "ValidationMethod": p.get("ValidationMethod", "DNS"),
    }
    if p.get("SubjectAlternativeNames"):
        kwargs["SubjectAlternativeNames"] = p["SubjectAlternativeNames"]
    arn = clients("acm").request_certificate(**kwargs)["CertificateArn"]
    return Applied(ref=arn, attributes={"Id": arn.rsplit("/", 1)[-1]})


def _record(clients: Clients, p: dict[str, Any]) -> Applied:
    record: dict[str, Any] = {"Name": p["Name"], "Type": p["Type"]}
    if "AliasTarget" in p:
        alias = p["AliasTarget"]
        record["AliasTarget"] = {
            "HostedZoneId": alias["HostedZoneId"],
            "DNSName": alias["DNSName"],
            "EvaluateTargetHealth": bool(alias.get("EvaluateTargetHealth", False)),
        }
    else:
        record["TTL"] = int(p["TTL"])
        record["ResourceRecords"] = [{"Value": v} for v in p["ResourceRecords"]]
    clients("route53").change_resource_record_sets(
        HostedZoneId=p["HostedZoneId"],
        ChangeBatch={"Changes": [{"Action": "CREATE", "ResourceRecordSet": record}]},
    )
    return Applied(ref=p["Name"])


# -- ECS ------------------------------------------------------------------------------------


def _service(clients: Clients, p: dict[str, Any]) -> Applied:
    vpc = p["NetworkConfiguration"]["AwsvpcConfiguration"]
    kwargs: dict[str, Any] = {
        "cluster": p["Cluster"],
        "serviceName": p["ServiceName"],
        "taskDefinition": p["TaskDefinition"],
        "desiredCount": int(p.get("DesiredCount", 1)),
        "networkConfiguration": {
            "awsvpcConfiguration": {
                "subnets": vpc["Subnets"],
                "securityGroups": vpc.get("SecurityGroups", []),
                "assignPublicIp": vpc.get("AssignPublicIp", "DISABLED"),
            }
        },
        "loadBalancers": [
            {
                "targetGroupArn": lb["TargetGroupArn"],
                "containerName": lb["ContainerName"],
                "containerPort": int(lb["ContainerPort"]),
            }
            for lb in p.get("LoadBalancers", [])
        ],
    }
    if "LaunchType" in p:
        kwargs["launchType"] = p["LaunchType"]
    service = clients("ecs").create_service(**kwargs)["service"]
    return Applied(ref=service["serviceArn"], attributes={"Name": service["serviceName"]})


def _role_policies(clients: Clients, role_name: str, policies: list[dict[str, Any]]) -> None:
    iam = clients("iam")
    for policy in policies:
        iam.put_role_policy(
            RoleName=role_name,
            PolicyName=policy["PolicyName"],
            PolicyDocument=json.dumps(policy["PolicyDocument"]),
        )


def _parameter_group(clients: Clients, p: dict[str, Any]) -> Applied:
    rds = clients("rds")
    name = p["DBParameterGroupName"]
    rds.create_db_parameter_group(
        DBParameterGroupName=name, DBParameterGroupFamily=p["Family"], Description=p["Description"]
    )
    parameters = [
        {"ParameterName": k, "ParameterValue": str(v), "ApplyMethod": "pending-reboot"}
        for k, v in sorted(p.get("Parameters", {}).items())
    ]
    if parameters:
        rds.modify_db_parameter_group(DBParameterGroupName=name, Parameters=parameters)
    return Applied(ref=name)


def _db_parameter_group(clients: Clients, instance: str, group: str) -> None:
    clients("rds").modify_db_instance(
        DBInstanceIdentifier=instance, DBParameterGroupName=group, ApplyImmediately=True
    )


COMPLETERS: dict[tuple[str, str], Callable[[Clients, str, Any], None]] = {
    ("AWS::EC2::SecurityGroup", "SecurityGroupEgress"): _group_egress,
    ("AWS::IAM::Role", "Policies"): _role_policies,
    ("AWS::RDS::DBInstance", "DBParameterGroupName"): _db_parameter_group,
}


APPLIERS: dict[str, Callable[[Clients, dict[str, Any]], Applied]] = {
    "AWS::EC2::SecurityGroupEgress": _egress_rule,
    "AWS::S3::BucketPolicy": _bucket_policy,
    "AWS::ElasticLoadBalancingV2::LoadBalancer": _load_balancer,
    "AWS::ElasticLoadBalancingV2::Listener": _listener,
    "AWS::ECS::Service": _service,
    "AWS::CertificateManager::Certificate": _certificate,
    "AWS::Route53::RecordSet": _record,
    "AWS::RDS::DBParameterGroup": _parameter_group,
}
