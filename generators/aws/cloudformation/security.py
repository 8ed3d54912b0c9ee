"""Security groups in CloudFormation: the group with its CIDR egress, then one resource per
rule between groups (so two groups may reference each other without a cycle)."""

from __future__ import annotations

from generators.aws.cloudformation.template import Json, Template, get_att, ref, tags
from generators.aws.naming import cfn_id
from generators.aws.plan.records import SecurityGroup, SgRule


def render_security_groups(t: Template) -> None:
    for sg in t.s.security_groups:
        _security_group(t, sg)


def _security_group(t: Template, sg: SecurityGroup) -> None:
    cidr_egress: list[Json] = []
    for rule in sg.rules:
        if rule.direction == "egress" and rule.peer_sg is None:
            cidr_egress.append(rule_props(rule, egress=True))
    if not cidr_egress:
        # Naming any egress replaces CloudFormation's default allow-all rule.
        cidr_egress = [
            {
                "CidrIp": "127.0.0.1/32",
                "IpProtocol": "-1",
                "Description": "no egress but the rules attached below",
            }
        ]
    t.add(
        sg.id.cfn,
        "AWS::EC2::SecurityGroup",
        {
            "GroupName": sg.id.name,
            "GroupDescription": sg.description,
            "VpcId": ref(t.vpc_of(sg.network)),
            "SecurityGroupEgress": cidr_egress,
            "Tags": tags(Name=sg.id.name),
        },
    )
    for rule in sg.rules:
        if rule.direction == "egress" and rule.peer_sg is None:
            continue
        props = {
            "GroupId": get_att(sg.id, "GroupId"),
            **rule_props(rule, rule.direction == "egress"),
        }
        t.add(
            cfn_id(sg.id.cfn, *rule.key.split("_")),
            "AWS::EC2::SecurityGroupEgress"
            if rule.direction == "egress"
            else "AWS::EC2::SecurityGroupIngress",
            props,
            skips=rule.skips,
        )


def rule_props(rule: SgRule, egress: bool) -> Json:
    props: Json = {
        "IpProtocol": rule.protocol,
        "FromPort": rule.port,
        "ToPort": rule.port,
        "Description": rule.description,
    }
    if rule.peer_sg is not None:
        key = "DestinationSecurityGroupId" if egress else "SourceSecurityGroupId"
        props[key] = get_att(rule.peer_sg, "GroupId")
    elif rule.ipv6:
        props["CidrIpv6"] = rule.cidr
    else:
        props["CidrIp"] = rule.cidr
    return props
