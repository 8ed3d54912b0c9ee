"""What moto's CloudFormation can create of a rendered template, and what the test does about
the rest — deliberately, by type, each with its reason.

Three fates for a resource of the rendered template:

- created by moto's CloudFormation (the type is in moto's model map and moto honours the
  properties the checks read);
- APPLIED_BY_TEST: moto's CloudFormation lacks the type or drops properties the checks depend
  on, but moto's service API implements them: the resource is taken out of the stack and, once
  the stack is CREATE_COMPLETE, created through boto3 from the template's own properties
  (tests/deploy/apply.py), so the checks still see it deployed;
- MOTO_CANNOT_CREATE: neither; the resource is taken out and not deployed.

A reference from a resource that is deployed to one that is not (Ref, Fn::GetAtt, ${X} in
Fn::Sub) is replaced by the string `arn:aws:moto-stripped:::<LogicalId>[/<Attribute>]` (an ARN
in form, since most references stand for one and moto validates ARNs in policies) and listed as
severed; DependsOn on it is dropped, and so are the outputs that read it. A reference from a
stack resource to one the test applies afterwards is severed the same way (the stack cannot
wait for it). A template never silently loses anything: `Prepared` lists it all.

References the test needs resolved (the properties of applied resources, the plan's policy
values) are evaluated by moto itself: each becomes an output of the stack (`MotoProbe<n>`).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

# Types moto's CloudFormation cannot create and the test leaves undeployed (moto 5.2: absent
# from moto.cloudformation.parsing.get_model_map(); test_every_listed_type_is_really_missing
# keeps this list honest as moto grows).
MOTO_CANNOT_CREATE: dict[str, str] = {
    "AWS::ApiGatewayV2::Api": "moto's CloudFormation has no API Gateway v2 (HTTP API) model",
    "AWS::ApiGatewayV2::Authorizer": "moto's CloudFormation has no API Gateway v2 model",
    "AWS::ApiGatewayV2::Integration": "moto's CloudFormation has no API Gateway v2 model",
    "AWS::ApiGatewayV2::Route": "moto's CloudFormation has no API Gateway v2 model",
    "AWS::ApiGatewayV2::Stage": "moto's CloudFormation has no API Gateway v2 model",
    "AWS::ApiGatewayV2::VpcLink": "moto's CloudFormation has no API Gateway v2 model",
    "AWS::ApiGatewayV2::DomainName": "moto's CloudFormation has no API Gateway v2 model",
    "AWS::ApiGatewayV2::ApiMapping": "moto's CloudFormation has no API Gateway v2 model",
    "AWS::Cognito::UserPool": "moto's CloudFormation has no Cognito model",
    "AWS::Cognito::UserPoolClient": "moto's CloudFormation has no Cognito model",
    "AWS::RDS::DBCluster": "moto's CloudFormation has no Aurora cluster model",
    "AWS::RDS::DBClusterParameterGroup": (
        "moto's CloudFormation has no Aurora cluster parameter group model"
    ),
    "AWS::SecretsManager::Secret": "moto's CloudFormation has no Secrets Manager model",
    "AWS::MSK::ServerlessCluster": "moto's CloudFormation has no MSK model",
    "AWS::Scheduler::Schedule": "moto's CloudFormation has no EventBridge Scheduler model",
    "AWS::SNS::Subscription": "moto's CloudFormation has no SNS subscription model",
    "AWS::SQS::QueuePolicy": "moto's CloudFormation has no SQS queue policy model",
    "AWS::SNS::TopicPolicy": "moto's CloudFormation has no SNS topic policy model",
    "AWS::ApplicationAutoScaling::ScalableTarget": (
        "moto's CloudFormation has no Application Auto Scaling model"
    ),
    "AWS::ApplicationAutoScaling::ScalingPolicy": (
        "moto's CloudFormation has no Application Auto Scaling model"
    ),
}

# Attributes of types moto's CloudFormation creates that its model cannot give (Fn::GetAtt on
# them fails the whole stack): each is severed like a reference to an uncreated resource.
MOTO_MISSING_ATTRIBUTES: dict[tuple[str, str], str] = {
    ("AWS::RDS::DBInstance", "MasterUserSecret.SecretArn"): (
        "moto's RDS instance has no MasterUserSecret (it keeps no master password in Secrets "
        "Manager)"
    ),
    ("AWS::RDS::DBInstance", "DbiResourceId"): "moto's RDS instance model has no DbiResourceId",
}

# A resource that only exists as part of another: when that other one cannot be created, it
# cannot either, and is left out with this reason (type, property naming the other).
PART_OF: dict[tuple[str, str], str] = {
    ("AWS::RDS::DBInstance", "DBClusterIdentifier"): (
        "an instance of an Aurora cluster, which moto's CloudFormation cannot create"
    ),
}

# Types the test creates through moto's API after the stack (tests/deploy/apply.py).
APPLIED_BY_TEST: dict[str, str] = {
    "AWS::EC2::SecurityGroupEgress": (
        "moto's CloudFormation has no model for it; the test authorizes each rule through the "
        "EC2 API"
    ),
    "AWS::S3::BucketPolicy": (
        "moto's CloudFormation has no model for it; the test puts the policy through the S3 API"
    ),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": (
        "moto's CloudFormation ignores Type and makes every balancer an application balancer, "
        "which refuses a network balancer's TCP listeners; the test creates it through the "
        "ELBv2 API"
    ),
    "AWS::ElasticLoadBalancingV2::Listener": (
        "its balancer is created by the test (see AWS::ElasticLoadBalancingV2::LoadBalancer)"
    ),
    "AWS::CertificateManager::Certificate": (
        "moto's CloudFormation has no ACM model, and an HTTPS listener needs its certificate to "
        "exist; the test requests it through the ACM API"
    ),
    "AWS::RDS::DBParameterGroup": (
        "moto's CloudFormation ignores DBParameterGroupName (it names the group after the stack) "
        "and gives it no physical id; the test creates it through the RDS API"
    ),
    "AWS::Route53::RecordSet": (
        "its alias target is a load balancer the test creates after the stack (moto would get "
        "a severed DNS name); the test writes it through the Route 53 API"
    ),
    "AWS::ECS::Service": (
        "moto's CloudFormation drops NetworkConfiguration and LoadBalancers (the security "
        "groups and target groups the checks read); the test creates it through the ECS API"
    ),
}

# Properties of created resources that moto's CloudFormation ignores and the test then applies
# through moto's API to the resource the stack created.
COMPLETED_BY_TEST: dict[tuple[str, str], str] = {
    ("AWS::EC2::SecurityGroup", "SecurityGroupEgress"): (
        "moto's CloudFormation ignores it and keeps the default allow-all egress; the test "
        "revokes that default and authorizes exactly these rules, as CloudFormation does"
    ),
    ("AWS::RDS::DBInstance", "DBParameterGroupName"): (
        "moto's CloudFormation hands the instance the parameter group object where Ref gives its "
        "name (AttributeError in moto); the test sets the group with ModifyDBInstance"
    ),
    ("AWS::IAM::Role", "Policies"): (
        "moto's CloudFormation stores each inline policy as a Python dict, which moto's IAM "
        "enforcement cannot read (KeyError 'policy_document') and GetRolePolicy returns as its "
        "repr; the test puts each policy through the IAM API as JSON"
    ),
}

PSEUDO_PARAMETER = re.compile(r"^AWS::")
_SUB_REFERENCE = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.([A-Za-z0-9.]+))?\}")
PROBE_PREFIX = "MotoProbe"


def severed(logical: str, attribute: str | None = None) -> str:
    return f"arn:aws:moto-stripped:::{logical}" + (f"/{attribute}" if attribute else "")


@dataclass(frozen=True)
class Removed:
    logical: str
    type: str
    reason: str


@dataclass
class Prepared:
    """The template moto creates, and the account of everything it does not."""

    template: dict[str, Any]  # what is sent to moto
    original: dict[str, Any]  # the rendered template, untouched
    cannot_create: list[Removed] = field(default_factory=list)
    applied: list[Removed] = field(default_factory=list)
    # (logical id, property) -> the property as rendered, taken out of the stack's template
    completed: dict[tuple[str, str], Any] = field(default_factory=dict)
    # logical id -> the applied resource, its references to undeployed resources severed
    to_apply: dict[str, Any] = field(default_factory=dict)
    severed: list[tuple[str, str]] = field(default_factory=list)  # (from, reference)
    dropped_outputs: list[str] = field(default_factory=list)
    parameters: dict[str, str] = field(default_factory=dict)  # values given, no default
    # (logical id, attribute) moto cannot give -> the type (see MOTO_MISSING_ATTRIBUTES)
    attribute_gaps: dict[tuple[str, str], str] = field(default_factory=dict)
    probes: dict[str, str] = field(default_factory=dict)  # canonical expression -> output

    def unlisted(self) -> list[str]:
        """Types moto's CloudFormation lacks that are listed nowhere (each must be)."""
        parts = set(PART_OF.values())
        types = {
            f"{r.logical}: {r.type}"
            for r in self.cannot_create
            if r.type not in MOTO_CANNOT_CREATE and r.reason not in parts
        }
        attributes = {
            f"{logical}: {rtype} attribute {attribute}"
            for (logical, attribute), rtype in self.attribute_gaps.items()
            if (rtype, attribute) not in MOTO_MISSING_ATTRIBUTES
        }
        return sorted(types | attributes)

    def summary(self) -> list[str]:
        lines = [
            f"not created (moto): {r.logical} {r.type}: {r.reason}" for r in self.cannot_create
        ]
        lines += [f"applied by the test: {r.logical} {r.type}" for r in self.applied]
        lines += [f"completed by the test: {lg}.{prop}" for lg, prop in sorted(self.completed)]
        lines += [
            f"attribute moto cannot give: {lg}.{attr} ({rtype})"
            for (lg, attr), rtype in sorted(self.attribute_gaps.items())
        ]
        lines += [f"severed: {src} -> {ref}" for src, ref in self.severed]
        lines += [f"output dropped: {name}" for name in self.dropped_outputs]
        lines += [f"parameter {k} = {v} (made in moto)" for k, v in sorted(self.parameters.items())]
        return lines


def canonical(expression: Any) -> str:
    return json.dumps(expression, sort_keys=True, separators=(",", ":"))


def is_intrinsic(node: Any) -> bool:
    return (
        isinstance(node, dict)
        and len(node) == 1
        and (next(iter(node)) == "Ref" or next(iter(node)).startswith("Fn::"))
    )


def references(node: Any, parameters: Iterable[str] = ()) -> Iterator[tuple[str, str | None]]:
    """(logical id, attribute or None) of every resource `node` refers to."""
    params = set(parameters)
    if isinstance(node, list):
        for item in node:
            yield from references(item, params)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "Ref" and isinstance(value, str):
            if not PSEUDO_PARAMETER.match(value) and value not in params:
                yield value, None
        elif key == "Fn::GetAtt":
            logical, attribute = value.split(".", 1) if isinstance(value, str) else value
            yield str(logical), str(attribute)
        elif key == "Fn::Sub":
            text = value[0] if isinstance(value, list) else value
            local = set(value[1]) if isinstance(value, list) else set()
            for match in _SUB_REFERENCE.finditer(text):
                name = match.group(1)
                if name not in params and name not in local and not PSEUDO_PARAMETER.match(name):
                    yield name, match.group(2)
            if isinstance(value, list):
                yield from references(value[1], params)
        else:
            yield from references(value, params)


def prepare(
    rendered: dict[str, Any],
    supported: frozenset[str],
    has_attribute: Callable[[str, str], bool] = lambda rtype, attribute: True,
) -> Prepared:
    """Split `rendered` by what moto's CloudFormation (`supported`: its model map;
    `has_attribute`: whether a type's model gives an attribute) creates."""
    template = copy.deepcopy(rendered)
    prepared = Prepared(template, rendered)
    resources: dict[str, Any] = template["Resources"]
    types = {lg: r["Type"] for lg, r in resources.items()}
    for _, attr_owner, attribute in _attributes(template):
        rtype = types.get(attr_owner)
        kept = rtype in supported and rtype not in APPLIED_BY_TEST
        if kept and not has_attribute(rtype, attribute):
            prepared.attribute_gaps[(attr_owner, attribute)] = rtype
    template["Resources"] = resources = {
        lg: _cut_attributes(r, lg, prepared, record=True) for lg, r in resources.items()
    }
    template["Outputs"] = {
        name: _cut_attributes(o, name, prepared, record=False)
        for name, o in template.get("Outputs", {}).items()
    }
    prepared.template = template
    for logical, resource in sorted(resources.items()):
        rtype = resource["Type"]
        if rtype in APPLIED_BY_TEST:
            prepared.applied.append(Removed(logical, rtype, APPLIED_BY_TEST[rtype]))
        elif rtype not in supported:
            reason = MOTO_CANNOT_CREATE.get(rtype, "UNLISTED: add it to MOTO_CANNOT_CREATE")
            prepared.cannot_create.append(Removed(logical, rtype, reason))
    _parts_of_uncreated(resources, prepared)
    gone = {r.logical for r in (*prepared.cannot_create, *prepared.applied)}
    applied = {r.logical: resources[r.logical] for r in prepared.applied}
    for logical in gone:
        del resources[logical]
    for logical, resource in sorted(resources.items()):
        for rtype, prop in COMPLETED_BY_TEST:
            if resource["Type"] == rtype and prop in resource.get("Properties", {}):
                prepared.completed[(logical, prop)] = resource["Properties"].pop(prop)
    params = set(template.get("Parameters", {}))
    for logical, resource in sorted(resources.items()):
        _sever(resource, logical, gone, params, prepared)
    outputs: dict[str, Any] = template.setdefault("Outputs", {})
    for name in sorted(outputs):
        if any(ref in gone for ref, _ in references(outputs[name], params)):
            del outputs[name]
            prepared.dropped_outputs.append(name)
    # The applied resources' references to what the test does not deploy are severed too; the
    # rest of their intrinsics are probed (moto evaluates them as stack outputs).
    for logical, resource in sorted(applied.items()):
        cannot = {r.logical for r in prepared.cannot_create}
        _sever(resource, logical, cannot, params, prepared)
        probe(prepared, resource.get("Properties", {}), stack_only=set(gone))
        prepared.to_apply[logical] = resource
    # Completed after the applied resources exist: only references to what is not deployed at
    # all are severed.
    cannot = {r.logical for r in prepared.cannot_create}
    for (logical, prop), rendered_value in sorted(prepared.completed.items()):
        prepared.completed[(logical, prop)] = _replace(
            rendered_value, logical, cannot, params, prepared
        )
        if not _bare_ref(prepared.completed[(logical, prop)]):
            probe(prepared, prepared.completed[(logical, prop)], stack_only=set(gone))
    return prepared


def _bare_ref(node: Any) -> bool:
    """A Ref to one resource: the completer resolves it to the stack's physical id (what Ref
    gives), without a probe (moto evaluates some Refs to model objects)."""
    return isinstance(node, dict) and set(node) == {"Ref"}


def as_in_stack(prepared: Prepared, node: Any) -> Any:
    """`node` (rendered CloudFormation) as the stack's own resources see it: references to what
    is not in the stack severed, as `prepare` severed them."""
    gone = {r.logical for r in (*prepared.cannot_create, *prepared.applied)}
    params = set(prepared.original.get("Parameters", {}))
    cut = _cut_attributes(node, "", prepared, record=False)
    return _replace(cut, "", gone, params, Prepared({}, {}))


def _attributes(node: Any) -> Iterator[tuple[str, str, str]]:
    """(the GetAtt or Sub text, logical id, attribute) of every attribute `node` reads."""
    if isinstance(node, list):
        for item in node:
            yield from _attributes(item)
    elif isinstance(node, dict):
        if is_intrinsic(node):
            ((function, args),) = node.items()
            if function == "Fn::GetAtt":
                target, attribute = args.split(".", 1) if isinstance(args, str) else args
                yield canonical(node), str(target), str(attribute)
            elif function == "Fn::Sub":
                text = args[0] if isinstance(args, list) else args
                for match in _SUB_REFERENCE.finditer(text):
                    if match.group(2):
                        yield match.group(0), match.group(1), match.group(2)
        for value in node.values():
            yield from _attributes(value)


def _cut_attributes(node: Any, owner: str, prepared: Prepared, *, record: bool) -> Any:
    """`node` with every read of an attribute moto cannot give severed."""
    gaps = prepared.attribute_gaps
    if not gaps:
        return node
    if isinstance(node, list):
        return [_cut_attributes(item, owner, prepared, record=record) for item in node]
    if not isinstance(node, dict):
        return node
    if is_intrinsic(node):
        ((function, args),) = node.items()
        if function == "Fn::GetAtt":
            target, attribute = args.split(".", 1) if isinstance(args, str) else args
            if (target, attribute) in gaps:
                if record:
                    prepared.severed.append((owner, f"{target}.{attribute}"))
                return severed(target, attribute)
        if function == "Fn::Sub":
            text = args[0] if isinstance(args, list) else args

            def cut(match: re.Match[str]) -> str:
                if (match.group(1), match.group(2)) not in gaps:
                    return match.group(0)
                if record:
                    prepared.severed.append((owner, match.group(0)))
                return severed(match.group(1), match.group(2))

            text = _SUB_REFERENCE.sub(cut, text)
            rest = (
                [_cut_attributes(args[1], owner, prepared, record=record)]
                if isinstance(args, list)
                else []
            )
            return {"Fn::Sub": [text, *rest] if rest else text}
    return {k: _cut_attributes(v, owner, prepared, record=record) for k, v in node.items()}


def not_in_stack(prepared: Prepared) -> set[str]:
    return {r.logical for r in (*prepared.cannot_create, *prepared.applied)}


def _parts_of_uncreated(resources: dict[str, Any], prepared: Prepared) -> None:
    """Leave out, with PART_OF's reason, every resource that is part of one left out."""
    changed = True
    while changed:
        changed = False
        cannot = {r.logical for r in prepared.cannot_create}
        for logical, resource in sorted(resources.items()):
            if logical in cannot:
                continue
            for (rtype, prop), reason in PART_OF.items():
                whole = resource.get("Properties", {}).get(prop)
                if resource["Type"] == rtype and any(r in cannot for r, _ in references(whole)):
                    prepared.cannot_create.append(Removed(logical, rtype, reason))
                    changed = True
                    break
    prepared.cannot_create.sort(key=lambda r: r.logical)


def probe(prepared: Prepared, node: Any, stack_only: set[str] | None = None) -> None:
    """Register as stack outputs the largest intrinsic expressions in `node` that refer only
    to resources in the stack (`stack_only`: logical ids NOT in the stack)."""
    outside = stack_only or set()
    params = set(prepared.template.get("Parameters", {}))
    if is_intrinsic(node):
        if not any(ref in outside for ref, _ in references(node, params)):
            key = canonical(node)
            if key not in prepared.probes:
                name = f"{PROBE_PREFIX}{len(prepared.probes)}"
                prepared.probes[key] = name
                prepared.template.setdefault("Outputs", {})[name] = {"Value": node}
            return
        ((_, args),) = node.items()
        probe(prepared, args, outside)
    elif isinstance(node, dict):
        for value in node.values():
            probe(prepared, value, outside)
    elif isinstance(node, list):
        for item in node:
            probe(prepared, item, outside)


def _sever(
    resource: dict[str, Any], logical: str, gone: set[str], params: set[str], prepared: Prepared
) -> None:
    depends = resource.get("DependsOn")
    if depends is not None:
        kept = [d for d in ([depends] if isinstance(depends, str) else depends) if d not in gone]
        if kept:
            resource["DependsOn"] = kept
        else:
            del resource["DependsOn"]
    for key in ("Properties", "Metadata"):
        if key in resource:
            resource[key] = _replace(resource[key], logical, gone, params, prepared)


def _replace(node: Any, owner: str, gone: set[str], params: set[str], prepared: Prepared) -> Any:
    if isinstance(node, list):
        return [_replace(item, owner, gone, params, prepared) for item in node]
    if not isinstance(node, dict):
        return node
    if is_intrinsic(node):
        ((function, args),) = node.items()
        if function == "Ref" and args in gone:
            prepared.severed.append((owner, str(args)))
            return severed(args)
        if function == "Fn::GetAtt":
            target, attribute = args.split(".", 1) if isinstance(args, str) else args
            if target in gone:
                prepared.severed.append((owner, f"{target}.{attribute}"))
                return severed(target, attribute)
        if function == "Fn::Sub":
            text = args[0] if isinstance(args, list) else args

            def cut(match: re.Match[str]) -> str:
                if match.group(1) not in gone:
                    return match.group(0)
                prepared.severed.append((owner, match.group(0)))
                return severed(match.group(1), match.group(2))

            text = _SUB_REFERENCE.sub(cut, text)
            if isinstance(args, list):
                return {"Fn::Sub": [text, _replace(args[1], owner, gone, params, prepared)]}
            return {"Fn::Sub": text}
    return {k: _replace(v, owner, gone, params, prepared) for k, v in node.items()}
