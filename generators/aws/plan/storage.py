"""Resources: registries, buckets, secret stores, clusters, queues, topics, log groups."""

from __future__ import annotations

import re

from blueprint.model import Resource, ResourceKind
from generators.aws.errors import UnsupportedBlueprintError
from generators.aws.naming import cfn_id, physical, tf_label
from generators.aws.plan.jobs import aws_jobs
from generators.aws.plan.kafka import is_kafka, plan_broker_arns
from generators.aws.plan.messaging import plan_queue
from generators.aws.plan.records import BucketPlan, Named, Repository, SimpleResource
from generators.aws.plan.references import attr, bucket_arn, get_att
from generators.aws.plan.state import PlanState
from generators.aws.values import Value, arn, value

# Physical name limits and logical id suffixes of the resources rendered from their kind alone.
_LIMITS = {
    ResourceKind.CLUSTER: 255,
    ResourceKind.USER_POOL: 128,
    ResourceKind.QUEUE: 80,
    ResourceKind.TOPIC: 256,
    ResourceKind.LOGS: 512,
}
_SUFFIX = {
    ResourceKind.CLUSTER: "cluster",
    ResourceKind.USER_POOL: "pool",
    ResourceKind.QUEUE: "queue",
    ResourceKind.TOPIC: "topic",
    ResourceKind.LOGS: "logs",
}


def plan_resources(st: PlanState) -> None:
    resources = st.aws_resources()
    _check_supported(st, resources)
    for name, kind in resources.items():
        res = st.bp.resources[name]
        if kind is ResourceKind.REGISTRY:
            _plan_registry(st, name)
        elif kind is ResourceKind.BUCKET:
            _plan_bucket(st, name, res)
        elif kind is ResourceKind.SECRET_STORE:
            st.resource_arns[name] = [arn("secretsmanager", f"secret:{st.bp.name}/{name}/*")]
        elif kind is ResourceKind.DATABASE:
            continue  # generators.aws.plan.databases, once its security group is planned
        elif kind is ResourceKind.OCR or kind is ResourceKind.IAM:
            st.resource_arns[name] = []
        elif kind is ResourceKind.QUEUE:
            plan_queue(st, name, res)
        elif is_kafka(st, name):
            plan_broker_arns(st, name)
        else:
            _plan_simple(st, name, kind, res)
    _choose_cluster(st, [n for n, k in resources.items() if k is ResourceKind.CLUSTER])


def _check_supported(st: PlanState, resources: dict[str, ResourceKind]) -> None:
    public = sorted(n for n in resources if st.bp.resources[n].public)
    if public:
        raise UnsupportedBlueprintError(
            "public AWS resources are not rendered (buckets stay private behind a public "
            f"access block): {', '.join(public)}"
        )


def _plan_registry(st: PlanState, name: str) -> None:
    repos = sorted(
        {
            w.image.repository
            for w in [*st.aws_services().values(), *aws_jobs(st).values()]
            if w.image is not None and w.image.registry == name
        }
    )
    if not repos:
        # A registry no image comes from yet (company-iam): one repository in it.
        only = st.named("", name, 256)
        repo_ids = [Named(only.tf, cfn_id(name, "repository"), only.name)]
    else:
        repo_ids = [
            Named(
                tf_label(name, re.sub(r"[./-]", "_", r)),
                cfn_id(name, *re.split(r"[./]", r), "repository"),
                r,
            )
            for r in repos
        ]
    st.repos_by_registry[name] = [Repository(r, name) for r in repo_ids]
    st.system.repositories += st.repos_by_registry[name]
    st.resource_arns[name] = [
        value(
            attr(
                "aws_ecr_repository",
                r.id,
                "arn",
                get_att(r.id, "Arn"),
                arn("ecr", f"repository/{r.id.name}").example(),
            )
        )
        for r in st.repos_by_registry[name]
    ]


def _plan_bucket(st: PlanState, name: str, res: Resource) -> None:
    named = st.named("", name, 63)
    b = BucketPlan(
        Named(named.tf, cfn_id(name, "bucket"), named.name),
        name,
        res.description,
        res.retention_days,
    )
    st.system.buckets.append(b)
    st.resource_arns[name] = [bucket_arn(b.id)]
    st.system.access_log_bucket = Named(
        "access_logs",
        "AccessLogsBucket",
        physical(st.bp.name, "access-logs", limit=63),
    )


def _plan_simple(st: PlanState, name: str, kind: ResourceKind, res: Resource) -> None:
    named = st.named("", name, _LIMITS[kind])
    named = Named(named.tf, cfn_id(name, _SUFFIX[kind]), named.name)
    if kind is ResourceKind.LOGS:
        named = Named(named.tf, named.cfn, f"/{st.bp.name}/{name}")
    st.system.resources.append(
        SimpleResource(named, name, kind, res.description, res.retention_days)
    )
    st.resource_arns[name] = [_simple_arn(kind, named)]


def _choose_cluster(st: PlanState, clusters: list[str]) -> None:
    s = st.system
    workloads = bool(st.aws_services() or aws_jobs(st))
    if len(clusters) > 1 and workloads:
        raise UnsupportedBlueprintError(
            f"several ECS clusters ({', '.join(clusters)}): say which one services run on"
        )
    if clusters:
        s.cluster = next(r.id for r in s.resources if r.key == clusters[0])
    elif workloads:
        s.cluster = Named("main", "Cluster", st.bp.name)


def _simple_arn(kind: ResourceKind, named: Named) -> Value:
    """The ARN of a simple resource: its Terraform type, CloudFormation spelling, stand-in."""
    if kind is ResourceKind.LOGS:
        return arn("logs", f"log-group:{named.name}")
    tf_type, cfn, example = {
        ResourceKind.CLUSTER: (
            "aws_ecs_cluster",
            get_att(named, "Arn"),
            arn("ecs", f"cluster/{named.name}"),
        ),
        ResourceKind.USER_POOL: (
            "aws_cognito_user_pool",
            get_att(named, "Arn"),
            arn("cognito-idp", "userpool/eu-west-2_EXAMPLE"),
        ),
        ResourceKind.QUEUE: ("aws_sqs_queue", get_att(named, "Arn"), arn("sqs", named.name)),
        ResourceKind.TOPIC: ("aws_sns_topic", {"Ref": named.cfn}, arn("sns", named.name)),
    }[kind]
    return value(attr(tf_type, named, "arn", cfn, example.example()))
