"""The Terraform outputs: what a deployment reports back (endpoints, names, URLs)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generators.aws.naming import tf_label
from generators.aws.plan.records import AwsPlan, User
from generators.aws.terraform.jobs import messaging_outputs
from generators.aws.terraform.references import ref
from generators.aws.values import Attr


def group_names(user: User) -> list[Attr]:
    return [ref("aws_iam_group", g, "name") for g in user.groups]


@dataclass(frozen=True)
class Output:
    name: str
    description: str
    value: Any


class _Outputs(list[Output]):
    def add(self, label: str, description: str | None, default: str, val: Any) -> None:
        self.append(Output(label, description if description is not None else default, val))


def outputs(s: AwsPlan) -> list[Output]:
    out = _Outputs()
    _entry_outputs(s, out.add)
    _storage_outputs(s, out.add)
    _resource_outputs(s, out.add)
    for label, description, val in messaging_outputs(s):
        out.add(label, None, description, val)
    for g in s.groups:
        out.add(
            tf_label(g.id.tf, "group"),
            g.description,
            f"IAM group {g.id.name}",
            ref("aws_iam_group", g.id, "name"),
        )
    return list(out)


_Add = Callable[[str, "str | None", str, Any], None]


def _entry_outputs(s: AwsPlan, add: _Add) -> None:
    if s.description is not None:
        add("blueprint", s.description, "", s.name)
    for n in s.networks:
        add(tf_label(n.key, "vpc_id"), None, f"VPC of network {n.key}", ref("aws_vpc", n.id))
    for api in s.apis:
        add(
            tf_label(api.key, "endpoint"),
            None,
            f"HTTP API endpoint of {api.key}",
            ref("aws_apigatewayv2_api", api.id, "api_endpoint"),
        )
        if api.user_pool is not None:
            add(
                tf_label(api.key, "client_id"),
                None,
                f"Cognito app client of {api.key}",
                ref("aws_cognito_user_pool_client", api.id),
            )
    for lb in s.load_balancers:
        add(
            tf_label(lb.key, "dns_name"),
            None,
            f"DNS name of load balancer {lb.key}",
            ref("aws_lb", lb.id, "dns_name"),
        )
    for cert in s.certificates:
        if cert.managed and cert.zone is None:
            add(
                tf_label(cert.ingress, "certificate_validation"),
                None,
                f"DNS records to create for the certificate of {cert.host}",
                ref("aws_acm_certificate", cert.id, "domain_validation_options"),
            )


def _storage_outputs(s: AwsPlan, add: _Add) -> None:
    for repo in s.repositories:
        add(
            tf_label(repo.id.tf, "repository_url"),
            s.resource_descriptions.get(repo.registry),
            f"ECR repository {repo.id.name}",
            ref("aws_ecr_repository", repo.id, "repository_url"),
        )
    for b in s.buckets:
        add(
            tf_label(b.key, "bucket"),
            b.description,
            f"S3 bucket {b.key}",
            ref("aws_s3_bucket", b.id),
        )
    for c in s.clusters():
        add(
            tf_label(c.tf, "cluster_name"),
            s.resource_descriptions.get(c.name.removeprefix(s.name + "-")),
            "ECS cluster",
            ref("aws_ecs_cluster", c, "name"),
        )


def _resource_outputs(s: AwsPlan, add: _Add) -> None:
    for r in s.resources:
        kind = r.kind.value
        if kind == "user-pool":
            add(
                tf_label(r.key, "user_pool_id"),
                r.description,
                f"Cognito user pool {r.key}",
                ref("aws_cognito_user_pool", r.id),
            )
        elif kind == "topic":
            add(
                tf_label(r.key, "topic_arn"),
                r.description,
                f"SNS topic {r.key}",
                ref("aws_sns_topic", r.id, "arn"),
            )
        elif kind == "logs":
            add(
                tf_label(r.key, "log_group"),
                r.description,
                f"log group {r.key}",
                ref("aws_cloudwatch_log_group", r.id, "name"),
            )
