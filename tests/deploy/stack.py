"""Deploy a rendered CloudFormation template to moto: the stack (what moto's CloudFormation
creates), then what the test applies through moto's APIs, and what it all resolved to."""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from tests.deploy.apply import Clients, Resolver, apply_all
from tests.deploy.moto_server import MotoEndpoint
from tests.deploy.template import (
    PROBE_PREFIX,
    Prepared,
    as_in_stack,
    not_in_stack,
    prepare,
    probe,
)

STACK_TIMEOUT_SECONDS = 60.0
# Values for template parameters without a default, by parameter name. A parameter with no
# default, no value here and no type in PARAMETER_TYPES fails the test.
PARAMETER_VALUES: dict[str, str] = {}


@functools.cache
def moto_cloudformation_types() -> frozenset[str]:
    """The resource types moto's CloudFormation creates (its model map)."""
    from moto.cloudformation.parsing import get_model_map

    return frozenset(get_model_map())


def moto_has_attribute(rtype: str, attribute: str) -> bool:
    """Whether moto's CloudFormation model of `rtype` gives `attribute` to Fn::GetAtt."""
    from moto.cloudformation.parsing import get_model_map

    return bool(get_model_map()[rtype].has_cfn_attr(attribute))


@dataclass
class Deployment:
    name: str
    region: str
    prepared: Prepared
    status: str
    status_reason: str | None
    physical: dict[str, str]  # logical id -> physical id, stack and applied resources alike
    resolver: Resolver

    def value(self, expression: Any) -> Any:
        """`expression` (rendered CloudFormation, in an applied resource) as resolved."""
        return self.resolver(expression)

    def stack_value(self, expression: Any) -> Any:
        """`expression` as the stack's resources got it (references to resources outside the
        stack severed; the caller passed it to `deploy` as a probe)."""
        return self.resolver(as_in_stack(self.prepared, expression))


def _named_under(node: Any, parameter: str) -> Iterator[str]:
    """The DNS names next to a `HostedZoneId: {Ref: parameter}` (records, validations)."""
    if isinstance(node, list):
        for item in node:
            yield from _named_under(item, parameter)
    elif isinstance(node, dict):
        if node.get("HostedZoneId") == {"Ref": parameter}:
            for key in ("Name", "DomainName"):
                if isinstance(node.get(key), str):
                    yield node[key].rstrip(".")
        for value in node.values():
            yield from _named_under(value, parameter)


def _hosted_zone(name: str, template: dict[str, Any], clients: Clients) -> str:
    """A public hosted zone created in moto for the names the template puts in it (their
    longest common parent domain)."""
    names = [n.split(".")[::-1] for n in _named_under(template["Resources"], name)]
    assert names, f"parameter {name}: no record or certificate names a zone"
    common: list[str] = []
    for labels in zip(*names, strict=False):
        if len(set(labels)) != 1:
            break
        common.append(labels[0])
    zone = ".".join(reversed(common))
    created = clients("route53").create_hosted_zone(Name=zone + ".", CallerReference=name)
    return str(created["HostedZone"]["Id"]).rsplit("/", 1)[-1]


# Values made in moto for parameters without a default, by parameter type.
PARAMETER_TYPES: dict[str, Callable[[str, dict[str, Any], Clients], str]] = {
    "AWS::Route53::HostedZone::Id": _hosted_zone,
}


def parameters(template: dict[str, Any], clients: Clients) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, spec in sorted(template.get("Parameters", {}).items()):
        if "Default" in spec:
            continue
        if name in PARAMETER_VALUES:
            values[name] = PARAMETER_VALUES[name]
            continue
        assert spec["Type"] in PARAMETER_TYPES, (
            f"parameter {name} ({spec['Type']}) has no default: add it to PARAMETER_VALUES"
        )
        values[name] = PARAMETER_TYPES[spec["Type"]](name, template, clients)
    return values


def deploy(
    endpoint: MotoEndpoint, region: str, name: str, rendered: dict[str, Any], extra_probes: Any = ()
) -> Deployment:
    """Create the stack and apply the rest. `extra_probes`: more rendered expressions the
    caller wants resolved (the plan's policy values)."""
    prepared = prepare(rendered, moto_cloudformation_types(), moto_has_attribute)
    probe(prepared, as_in_stack(prepared, list(extra_probes)), not_in_stack(prepared))

    def clients(service: str) -> Any:
        return endpoint.client(service, region)

    values = parameters(prepared.original, clients)
    prepared.parameters = values
    cfn = clients("cloudformation")
    cfn.create_stack(
        StackName=name,
        TemplateBody=json.dumps(prepared.template),
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in sorted(values.items())],
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
    )
    stack = _settled(cfn, name)
    deployment = Deployment(
        name,
        region,
        prepared,
        stack["StackStatus"],
        stack.get("StackStatusReason"),
        {},
        Resolver({}),
    )
    if stack["StackStatus"] != "CREATE_COMPLETE":
        return deployment
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    deployment.resolver = Resolver(
        {key: outputs[output] for key, output in prepared.probes.items()}
    )
    for page in cfn.get_paginator("list_stack_resources").paginate(StackName=name):
        for r in page["StackResourceSummaries"]:
            deployment.physical[r["LogicalResourceId"]] = r["PhysicalResourceId"]
    apply_all(prepared, deployment.resolver, clients, deployment.physical)
    for logical, applied in deployment.resolver.applied.items():
        deployment.physical[logical] = applied.ref
    return deployment


def _settled(cfn: Any, name: str) -> dict[str, Any]:
    deadline = time.monotonic() + STACK_TIMEOUT_SECONDS
    while True:
        stack: dict[str, Any] = cfn.describe_stacks(StackName=name)["Stacks"][0]
        if not stack["StackStatus"].endswith("_IN_PROGRESS") or time.monotonic() > deadline:
            return stack
        time.sleep(0.1)


def failed_events(endpoint: MotoEndpoint, region: str, name: str) -> list[str]:
    cfn = endpoint.client("cloudformation", region)
    events = cfn.describe_stack_events(StackName=name)["StackEvents"]
    return [
        f"{e['LogicalResourceId']}: {e['ResourceStatus']}: {e.get('ResourceStatusReason', '')}"
        for e in events
        if e["ResourceStatus"].endswith("FAILED")
    ]


__all__ = ["PROBE_PREFIX", "Deployment", "deploy", "failed_events", "moto_cloudformation_types"]
