"""Security group rules as `aws_vpc_security_group_{ingress,egress}_rule` attributes."""

from __future__ import annotations

from typing import Any

from generators.aws.plan.records import SecurityGroup, SgRule
from generators.aws.terraform.references import ref


def rule_attrs(sg: SecurityGroup, rule: SgRule) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "security_group_id": ref("aws_security_group", sg.id),
        "description": rule.description,
        "ip_protocol": rule.protocol,
        "from_port": rule.port,
        "to_port": rule.port,
    }
    if rule.peer_sg is not None:
        attrs["referenced_security_group_id"] = ref("aws_security_group", rule.peer_sg)
    elif rule.ipv6:
        attrs["cidr_ipv6"] = rule.cidr
    else:
        attrs["cidr_ipv4"] = rule.cidr
    return attrs
