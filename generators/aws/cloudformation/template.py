"""The CloudFormation template being built, and how plan data is spelled in it.

Deploy-time values become `Ref`/`Fn::GetAtt`/`Fn::Join` (never `Fn::Sub`), so no text from the
blueprint is ever read as a template. Free text (descriptions) lives in `Metadata`, which
accepts any JSON string.
"""

from __future__ import annotations

from typing import Any

from generators.aws.naming import cfn_id
from generators.aws.plan.checkov import Skip, for_framework
from generators.aws.plan.records import AwsPlan, Named, PolicyDoc
from generators.aws.values import Attr, Value

Json = dict[str, Any]
LOG_RETENTION_PARAMETER = "LogRetentionDays"


def ref(thing: Named | str) -> Json:
    return {"Ref": thing if isinstance(thing, str) else thing.cfn}


def get_att(thing: Named | str, name: str) -> Json:
    return {"Fn::GetAtt": [thing if isinstance(thing, str) else thing.cfn, name]}


def cfn(data: Any) -> Any:
    """Plan data (with Value and Attr inside) as CloudFormation JSON."""
    if isinstance(data, Value):
        return data.cfn()
    if isinstance(data, Attr):
        return data.cfn
    if isinstance(data, dict):
        return {k: cfn(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [cfn(v) for v in data]
    return data


def policy(doc: PolicyDoc) -> Any:
    return cfn(doc.as_json())


def tags(**values: str) -> list[Json]:
    return [{"Key": k, "Value": v} for k, v in sorted(values.items())]


def key_arn() -> Json:
    return get_att("Key", "Arn")


def listener_id(lb_key: str, port: int) -> str:
    return cfn_id(lb_key, str(port), "listener")


class Template:
    def __init__(self, s: AwsPlan) -> None:
        self.s = s
        self.resources: dict[str, Json] = {}
        self.parameters: dict[str, Json] = {}
        self.outputs: dict[str, Json] = {}

    def add(
        self,
        logical: str,
        type_: str,
        properties: Json,
        *,
        depends_on: list[str] | None = None,
        skips: tuple[Skip, ...] = (),
        description: str | None = None,
        retain: bool = False,
        snapshot: bool = False,
    ) -> None:
        if logical in self.resources:
            raise ValueError(f"two CloudFormation resources named {logical}")
        resource: Json = {"Type": type_, "Properties": properties}
        if depends_on:
            resource["DependsOn"] = sorted(depends_on)
        metadata: Json = {}
        skips = for_framework(skips, "cloudformation")
        if skips:
            metadata["checkov"] = {"skip": [{"id": s.check, "comment": s.reason} for s in skips]}
        if description is not None:
            metadata["Blueprint"] = {"Description": description}
        if metadata:
            resource["Metadata"] = metadata
        if retain or snapshot:
            # A database keeps a final snapshot instead of its storage.
            policy = "Snapshot" if snapshot else "Retain"
            resource["DeletionPolicy"] = policy
            resource["UpdateReplacePolicy"] = policy
        self.resources[logical] = resource

    def output(self, logical: str, description: str, val: Any) -> None:
        self.outputs[logical] = {"Description": description, "Value": cfn(val)}

    def log_group(self, named: Named, retention: Any = None) -> None:
        self.add(
            named.cfn,
            "AWS::Logs::LogGroup",
            {
                "LogGroupName": named.name,
                "RetentionInDays": retention
                if retention is not None
                else ref(LOG_RETENTION_PARAMETER),
                "KmsKeyId": key_arn(),
            },
        )

    def vpc_of(self, network: str) -> str:
        return next(n.id.cfn for n in self.s.networks if n.key == network)
