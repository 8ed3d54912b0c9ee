"""Terraform: the AWS plan spelled as HCL through Jinja2 templates (StrictUndefined), every
interpolated value through the `hcl` filter (strings via generators.common.quoting.hcl_string,
deploy-time references checked to be plain references). One template per concern
(templates/network.tf.j2, ...), its attribute builders in the module of the same concern."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from generators.aws.naming import tf_label
from generators.aws.plan.async_records import (
    DEAD_LETTER_RETENTION_SECONDS,
    EVENT_MAX_AGE_SECONDS,
    backlog_metric,
    event_pattern,
)
from generators.aws.plan.constants import ACCESS_LOG_FORMAT, ECR_LIFECYCLE, cloudwatch_retention
from generators.aws.plan.documents import bucket_policy, key_policy
from generators.aws.plan.https import TLS_POLICY, zones
from generators.aws.plan.https import log_bucket_policy as log_bucket_policy_of
from generators.aws.plan.records import AwsPlan, Named, PolicyDoc, SimpleResource
from generators.aws.plan.references import bucket_arn
from generators.aws.terraform.databases import cluster_instance_attrs, database_attrs
from generators.aws.terraform.ingress import (
    audience,
    integration_label,
    issuer,
    lb_attrs,
    listener_label,
    route_attrs,
)
from generators.aws.terraform.jobs import (
    job_container_definitions,
    job_scaling_resource_id,
    redrive_policy,
)
from generators.aws.terraform.outputs import group_names, outputs
from generators.aws.terraform.references import (
    addr,
    attributes,
    checkov_skips,
    hcl_filter,
    policy_json,
    ref,
    subnet_ids,
    trust_policy,
)
from generators.aws.terraform.security import rule_attrs
from generators.aws.terraform.workloads import (
    container_definitions,
    scaling_resource_id,
    service_attrs,
    task_family,
)
from generators.aws.values import Attr, Value
from generators.common.templates import environment

TEMPLATES = Path(__file__).parent.parent / "templates"
PROVIDER_CONSTRAINT = "~> 5.80"
TERRAFORM_CONSTRAINT = ">= 1.5.0"

# file -> template; a file is written only when its template renders something.
FILES = (
    "versions.tf",
    "variables.tf",
    "network.tf",
    "security.tf",
    "ecs.tf",
    "jobs.tf",
    "messaging.tf",
    "ingress.tf",
    "dns.tf",
    "databases.tf",
    "registry.tf",
    "storage.tf",
    "iam.tf",
    "outputs.tf",
)


def _env() -> jinja2.Environment:
    env = environment(TEMPLATES)
    env.filters["hcl"] = hcl_filter
    env.globals.update(
        attrs=attributes,
        ref=ref,
        addr=addr,
        key_arn=Attr("aws_kms_key.main.arn", None, ""),
        subnet_ids=subnet_ids,
        policy_json=policy_json,
        trust_policy=trust_policy,
        rule_attrs=rule_attrs,
        lb_attrs=lb_attrs,
        listener_label=listener_label,
        integration_label=integration_label,
        audience=audience,
        issuer=issuer,
        route_attrs=route_attrs,
        group_names=group_names,
        ecr_lifecycle=ECR_LIFECYCLE,
        access_log_format=ACCESS_LOG_FORMAT,
        task_family=task_family,
        container_definitions=container_definitions,
        service_attrs=service_attrs,
        database_attrs=database_attrs,
        tls_policy=TLS_POLICY,
        cluster_instance_attrs=cluster_instance_attrs,
        scaling_resource_id=scaling_resource_id,
        network_label=lambda key: tf_label(key),
        job_container_definitions=job_container_definitions,
        job_scaling_resource_id=job_scaling_resource_id,
        redrive_policy=redrive_policy,
        backlog_metric=backlog_metric,
        event_pattern=event_pattern,
        rule_name=lambda job: job.rule,
        dead_letter_retention=DEAD_LETTER_RETENTION_SECONDS,
        event_max_age=EVENT_MAX_AGE_SECONDS,
        skips=checkov_skips,
        value=Value,
        provider_constraint=PROVIDER_CONSTRAINT,
        terraform_constraint=TERRAFORM_CONSTRAINT,
    )
    return env


def render(system: AwsPlan) -> dict[str, str]:
    env = _env()
    retention = cloudwatch_retention(system.log_retention_days)

    def expiry_days(bucket: Named) -> int | None:
        if bucket == system.access_log_bucket:
            return retention
        return next(b.retention_days for b in system.buckets if b.id == bucket)

    def log_group_retention(r: SimpleResource) -> Attr | int:
        if r.retention_days is None:
            return Attr("var.log_retention_days", None, "")
        return cloudwatch_retention(r.retention_days)

    def bucket_policy_for(bucket: Named) -> PolicyDoc:
        return bucket_policy(bucket_arn(bucket))

    # What every template may read, derived once for all fourteen.
    context = {
        "s": system,
        "outputs": outputs(system),
        "log_retention": retention,
        "expiry_days": expiry_days,
        "log_group_retention": log_group_retention,
        "bucket_policy": bucket_policy_for,
        "log_bucket_policy": log_bucket_policy_of(system),
        "pool_label": tf_label,
        "key_policy": key_policy(system.key_services),
        "zones": zones(system.certificates),
    }
    files: dict[str, str] = {}
    for name in FILES:
        text = _tidy(env.get_template(f"{name}.j2").render(context))
        if text.strip():
            files[f"aws/terraform/{name}"] = text
    return files


def _tidy(text: str) -> str:
    """One blank line between blocks, none at the ends (what fmt keeps stable)."""
    joined = "\n".join([line.rstrip() for line in text.splitlines()])
    # Blank lines are empty now: a run of them is a run of newlines.
    tidy = _BLANK_RUN.sub("\n\n", joined).strip("\n")
    return tidy + "\n" if tidy else ""


_BLANK_RUN = re.compile("\n{3,}")
