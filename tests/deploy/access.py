"""Least privilege, enforced: each task role assumed, moto's IAM enforcement on, what the
workload declares succeeds and a write it does not declare is denied (S3 and SQS, the
services moto authorizes request by request).

Besides the system's own buckets and queues, every task role is tried against a canary bucket
and queue outside the system, which no blueprint can grant: each example has an undeclared
write to show denied, whatever it declares.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from blueprint.model import Access
from blueprint.view import SystemView
from generators.aws.plan import AwsPlan
from generators.aws.plan.records import Role
from tests.deploy.moto_server import MotoEndpoint

SEED_KEY = "probe/seed.txt"
# Access levels that may write objects or send messages (a probe of an undeclared write is
# only made where none of them is declared).
_WRITING = {Access.WRITE, Access.PUBLISH, Access.ADMIN, Access.MANAGE, Access.ANY}


@dataclass(frozen=True, order=True)
class Probe:
    workload: str
    operation: str  # s3:GetObject | s3:PutObject | sqs:SendMessage
    target: str  # bucket name or queue name
    allowed: bool

    def show(self) -> str:
        return f"{self.workload} {self.operation} {self.target}: " + (
            "allowed" if self.allowed else "denied"
        )


def task_roles(plan: AwsPlan) -> list[tuple[str, Role]]:
    """(workload, task role) of every Fargate service and job the plan runs."""
    roles = [(s.key, s.task_role) for s in plan.services]
    roles += [(j.key, j.task_role) for j in getattr(plan, "jobs", [])]  # jobs: AWS async plans
    return sorted(roles, key=lambda r: r[0])


def canary_names(plan: AwsPlan) -> tuple[str, str]:
    """A bucket and a queue outside the system (no resource of it has these names)."""
    return f"{plan.name}-moto-canary", f"{plan.name}-moto-canary"


def probes(view: SystemView, plan: AwsPlan, workload: str) -> list[Probe]:
    grants: dict[str, set[Access]] = {}
    for g in view.workload_grants(workload):
        grants.setdefault(g.resource, set()).add(g.access)
    out: list[Probe] = []
    buckets = [(b.key, b.id.name) for b in plan.buckets]
    if plan.access_log_bucket is not None:
        buckets.append(("", plan.access_log_bucket.name))
    for key, bucket in buckets:
        declared = grants.get(key, set()) | grants.get("*", set())
        if Access.READ in declared:
            out.append(Probe(workload, "s3:GetObject", bucket, True))
        if Access.WRITE in declared:
            out.append(Probe(workload, "s3:PutObject", bucket, True))
        if not declared & _WRITING:
            out.append(Probe(workload, "s3:PutObject", bucket, False))
    for queue in getattr(plan, "queues", []):  # queues: AWS async plans
        declared = grants.get(queue.key, set())
        if declared & {Access.WRITE, Access.PUBLISH}:
            out.append(Probe(workload, "sqs:SendMessage", queue.id.name, True))
    bucket, queue = canary_names(plan)
    out.append(Probe(workload, "s3:PutObject", bucket, False))
    out.append(Probe(workload, "sqs:SendMessage", queue, False))
    return out


def attempt(client: Any, probe: Probe, queue_urls: dict[str, str]) -> bool:
    """Whether moto lets the probe through (AccessDenied: no; any other error fails)."""
    try:
        if probe.operation == "s3:GetObject":
            client.get_object(Bucket=probe.target, Key=SEED_KEY)["Body"].read()
        elif probe.operation == "s3:PutObject":
            client.put_object(Bucket=probe.target, Key="probe/written.txt", Body=b"written")
        else:
            client.send_message(QueueUrl=queue_urls[probe.target], MessageBody="probe")
    except ClientError as e:
        if _denied(e):
            return False
        raise
    return True


def _denied(e: ClientError) -> bool:
    """An authorization refusal. moto's SQS answers it in the query protocol's XML, which the
    JSON client leaves unparsed: the status and the text say it."""
    error = e.response.get("Error", {})
    if error.get("Code") in ("AccessDenied", "AccessDeniedException"):
        return True
    status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return status == 403 and "<Code>AccessDenied</Code>" in str(error.get("Message", ""))


def run(endpoint: MotoEndpoint, region: str, view: SystemView, plan: AwsPlan) -> list[Probe]:
    """Every probe of every task role, as moto answered it."""

    def admin(service: str) -> Any:
        return endpoint.client(service, region)

    bucket, queue = canary_names(plan)
    with contextlib.suppress(ClientError):  # made once; a second run finds it
        admin("s3").create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region}
        )
    queue_urls = {q["QueueUrl"].rsplit("/", 1)[-1]: q["QueueUrl"] for q in _queues(admin("sqs"))}
    queue_urls[queue] = admin("sqs").create_queue(QueueName=queue)["QueueUrl"]
    wanted: list[tuple[Probe, Any]] = []
    for workload, role in task_roles(plan):
        arn = admin("iam").get_role(RoleName=role.id.name)["Role"]["Arn"]
        # Assumed while enforcement is off: ECS assumes it as ecs-tasks.amazonaws.com, which
        # the trust policy admits and no test credential can be.
        creds = admin("sts").assume_role(RoleArn=arn, RoleSessionName=f"{workload}-probe")[
            "Credentials"
        ]
        keys = {
            "access_key": creds["AccessKeyId"],
            "secret_key": creds["SecretAccessKey"],
            "session_token": creds["SessionToken"],
        }
        for p in probes(view, plan, workload):
            service = p.operation.split(":", 1)[0]
            wanted.append((p, endpoint.client(service, region, **keys)))
    buckets = sorted({p.target for p, _ in wanted if p.operation.startswith("s3:")})
    answered: list[Probe] = []
    with _without_bucket_policies(admin("s3"), buckets):
        for name in buckets:
            admin("s3").put_object(Bucket=name, Key=SEED_KEY, Body=b"seed")
        endpoint.enforce_iam(True)
        try:
            for p, client in wanted:
                got = attempt(client, p, queue_urls)
                answered.append(Probe(p.workload, p.operation, p.target, got))
        finally:
            endpoint.enforce_iam(False)
    return answered


def _queues(sqs: Any) -> list[dict[str, str]]:
    return [{"QueueUrl": url} for url in sqs.list_queues().get("QueueUrls", [])]


@contextlib.contextmanager
def _without_bucket_policies(s3: Any, buckets: list[str]) -> Iterator[None]:
    """The buckets' policies set aside while the identity policies are probed, then restored.

    moto evaluates a bucket policy's conditions without any request context: aws:SecureTransport
    is never set, so the rendered deny-insecure-transport statement denies every object request,
    even over TLS. That statement is about transport, not identity; that it is deployed as
    rendered is checked by test_bucket_policies_are_deployed_as_rendered."""
    saved: dict[str, str] = {}
    for bucket in buckets:
        with contextlib.suppress(ClientError):  # the canary has none
            saved[bucket] = s3.get_bucket_policy(Bucket=bucket)["Policy"]
    for bucket in saved:
        s3.delete_bucket_policy(Bucket=bucket)
    try:
        yield
    finally:
        for bucket, policy in saved.items():
            s3.put_bucket_policy(Bucket=bucket, Policy=policy)
