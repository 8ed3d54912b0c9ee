"""Deploy a rendered CloudFormation template to moto: the stack (what moto's CloudFormation
creates), then what the test applies through moto's APIs, and what it all resolved to."""

from __future__ import annotations

import functools
import json
import time
from dataclasses import dataclass
from typing import Any

from tests.deploy.apply import Resolver, apply_all
from tests.deploy.moto_server import MotoEndpoint
from tests.deploy.template import PROBE_PREFIX, Prepared, prepare

STACK_TIMEOUT_SECONDS = 60.0
# Values for template parameters without a default, by parameter name (none so far: every
# parameter the generator renders has one). A parameter missing from both fails the test.
PARAMETER_VALUES: dict[str, str] = {}


@functools.cache
def moto_cloudformation_types() -> frozenset[str]:
    """The resource types moto's CloudFormation creates (its model map)."""
    from moto.cloudformation.parsing import get_model_map

    return frozenset(get_model_map())


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
        """`expression` (rendered CloudFormation) as moto resolved it."""
        return self.resolver(expression)


def parameters(template: dict[str, Any]) -> list[dict[str, str]]:
    values: list[dict[str, str]] = []
    for name, spec in sorted(template.get("Parameters", {}).items()):
        if "Default" in spec:
            continue
        assert name in PARAMETER_VALUES, (
            f"parameter {name} has no default: add it to PARAMETER_VALUES"
        )
        values.append({"ParameterKey": name, "ParameterValue": PARAMETER_VALUES[name]})
    return values


def deploy(
    endpoint: MotoEndpoint, region: str, name: str, rendered: dict[str, Any], extra_probes: Any = ()
) -> Deployment:
    """Create the stack and apply the rest. `extra_probes`: more rendered expressions the
    caller wants resolved (the plan's policy values)."""
    prepared = prepare(rendered, moto_cloudformation_types())
    from tests.deploy.template import probe

    probe(prepared, list(extra_probes))
    cfn = endpoint.client("cloudformation", region)
    cfn.create_stack(
        StackName=name,
        TemplateBody=json.dumps(prepared.template),
        Parameters=parameters(prepared.template),
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

    def clients(service: str) -> Any:
        return endpoint.client(service, region)

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
