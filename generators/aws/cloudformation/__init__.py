"""CloudFormation: the AWS plan built as data and dumped as JSON (sorted keys, indent 2), one
module per concern beside the Terraform template of the same concern."""

from __future__ import annotations

from blueprint.json_text import dumps_indented
from generators.aws.cloudformation import (
    databases,
    https,
    identity,
    ingress,
    jobs,
    messaging,
    network,
    security,
    storage,
    workloads,
)
from generators.aws.cloudformation.template import (
    LOG_RETENTION_PARAMETER,
    Json,
    Template,
    policy,
    ref,
)
from generators.aws.plan.constants import CLOUDWATCH_RETENTION_DAYS, cloudwatch_retention
from generators.aws.plan.documents import key_policy
from generators.aws.plan.records import AwsPlan


def render(plan: AwsPlan) -> dict[str, str]:
    template = build(Template(plan))
    text = dumps_indented(template) + "\n"
    return {"aws/cloudformation/template.json": text}


def build(t: Template) -> Json:
    s = t.s
    _parameters(t)
    if s.needs_key():
        _key(t)
    network.render_networks(t)
    security.render_security_groups(t)
    workloads.render_clusters(t)
    ingress.render_load_balancers(t)
    storage.render_resources(t)
    databases.render_databases(t)
    ingress.render_apis(t)
    https.render_https(t)
    workloads.render_services(t)
    messaging.render_messaging(t)
    jobs.render_jobs(t)
    storage.render_repositories(t)
    storage.render_buckets(t)
    storage.render_secrets(t)
    identity.render_identity(t)
    template: Json = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"blueprint {s.name}: rendered by blueprint; do not edit",
        "Resources": t.resources,
    }
    if s.description is not None:
        template["Metadata"] = {"Blueprint": {"Name": s.name, "Description": s.description}}
    if t.parameters:
        template["Parameters"] = t.parameters
    if t.outputs:
        template["Outputs"] = t.outputs
    return template


def _key(t: Template) -> None:
    t.add(
        "Key",
        "AWS::KMS::Key",
        {
            "Description": f"Encrypts the logs, images, objects and secrets of {t.s.name}",
            "EnableKeyRotation": True,
            "PendingWindowInDays": 30,
            "KeyPolicy": policy(key_policy(t.s.key_services)),
        },
        retain=True,
    )
    t.add("KeyAlias", "AWS::KMS::Alias", {"AliasName": t.s.key.name, "TargetKeyId": ref("Key")})


def _parameters(t: Template) -> None:
    for v in t.s.variables():
        param: Json = {
            "Type": "Number" if v.type == "number" else "String",
            "Default": str(v.default),
            "Description": v.description,
        }
        t.parameters[v.cfn] = param
    if _uses_log_retention(t.s):
        t.parameters[LOG_RETENTION_PARAMETER] = {
            "Type": "Number",
            "Default": str(cloudwatch_retention(t.s.log_retention_days)),
            "AllowedValues": [str(d) for d in CLOUDWATCH_RETENTION_DAYS],
            "Description": "Days CloudWatch Logs keeps service, access and flow logs",
        }


def _uses_log_retention(s: AwsPlan) -> bool:
    return bool(
        s.networks
        or s.services
        or s.jobs
        or any(a.access_logs for a in s.apis)
        or any(r.kind.value == "logs" and r.retention_days is None for r in s.resources)
    )
