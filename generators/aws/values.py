"""Values known only at deploy time (an attribute of a rendered resource, the account id) and
how each output language spells them.

A `Value` is a sequence of literal text and `Attr` references. Terraform renders it as a bare
reference or an HCL template whose literal parts are escaped; CloudFormation as the intrinsic
function or an `Fn::Join` (never `Fn::Sub`, so no literal text is ever read as a template);
`example` is the value with stand-ins, for policy analysers that want a concrete document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

EXAMPLE_ACCOUNT = "123456789012"

_TF_REFERENCE = re.compile(
    r"^(data\.|var\.|local\.)?[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*(\[\d+\])?)*(\[\d+\])?$"
)


@dataclass(frozen=True)
class Attr:
    """One deploy-time attribute: its Terraform reference, its CloudFormation intrinsic and a
    stand-in value."""

    tf: str
    cfn: Any
    example: str

    def __post_init__(self) -> None:
        if not _TF_REFERENCE.match(self.tf):
            raise ValueError(f"not a Terraform reference: {self.tf!r}")


@dataclass(frozen=True)
class Value:
    parts: tuple[str | Attr, ...]

    def example(self) -> str:
        return "".join(p if isinstance(p, str) else p.example for p in self.parts)

    def cfn(self) -> Any:
        parts = [p for p in self.parts if p != ""]
        if len(parts) == 1:
            only = parts[0]
            return only if isinstance(only, str) else only.cfn
        return {"Fn::Join": ["", [p if isinstance(p, str) else p.cfn for p in parts]]}


def value(*parts: str | Attr | Value) -> Value:
    flat: list[str | Attr] = []
    for part in parts:
        if isinstance(part, Value):
            flat.extend(part.parts)
        else:
            flat.append(part)
    merged: list[str | Attr] = []
    for part in flat:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] = merged[-1] + part
        elif part != "":
            merged.append(part)
    return Value(tuple(merged))


PARTITION = Attr("data.aws_partition.current.partition", {"Ref": "AWS::Partition"}, "aws")
REGION = Attr("data.aws_region.current.name", {"Ref": "AWS::Region"}, "eu-west-2")
ACCOUNT = Attr(
    "data.aws_caller_identity.current.account_id", {"Ref": "AWS::AccountId"}, EXAMPLE_ACCOUNT
)


def arn(service: str, resource: str, *, regional: bool = True, account: bool = True) -> Value:
    """arn:<partition>:<service>:<region>:<account>:<resource> for this deployment."""
    return value(
        "arn:",
        PARTITION,
        f":{service}:",
        REGION if regional else "",
        ":",
        ACCOUNT if account else "",
        f":{resource}",
    )


def example_json(data: Any) -> Any:
    """`data` with every Value replaced by its stand-in (for analysers such as parliament)."""
    if isinstance(data, Value):
        return data.example()
    if isinstance(data, dict):
        return {k: example_json(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [example_json(v) for v in data]
    return data
