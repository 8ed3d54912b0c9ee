"""The checkov checks that cannot apply to what the plan renders, each with the reason, defined
once for both output formats.

checkov's check ids are per framework (a Terraform graph check such as CKV2_AWS_62 has no
CloudFormation twin), so each suppression names the frameworks where checkov runs it; the
renderers spell only those.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Framework = Literal["terraform", "cloudformation"]
BOTH: frozenset[Framework] = frozenset({"terraform", "cloudformation"})
TERRAFORM: frozenset[Framework] = frozenset({"terraform"})


@dataclass(frozen=True)
class Skip:
    """An inline checkov suppression: the check, why it cannot apply, where checkov runs it."""

    check: str
    reason: str
    frameworks: frozenset[Framework] = BOTH

    def __post_init__(self) -> None:
        if "\n" in self.reason or ":" in self.check:
            raise ValueError("a checkov skip is one line")


def for_framework(skips: tuple[Skip, ...], framework: Framework) -> tuple[Skip, ...]:
    return tuple(s for s in skips if framework in s.frameworks)


NETWORK_LB_SKIPS = (
    Skip(
        "CKV_AWS_91", "a network load balancer logs access only for TLS listeners and these are TCP"
    ),
)
BUCKET_SKIPS = (
    Skip(
        "CKV_AWS_144",
        "cross-region replication needs a second region the blueprint does not declare",
        TERRAFORM,
    ),
    Skip("CKV2_AWS_62", "no consumer of object events is declared in the blueprint", TERRAFORM),
)
BUCKET_SKIPS_WITH_EVENTS = tuple(s for s in BUCKET_SKIPS if s.check != "CKV2_AWS_62")
ACCESS_LOG_BUCKET_SKIPS = (
    *BUCKET_SKIPS,
    Skip("CKV_AWS_18", "this is the access-log bucket; logging it to itself would loop"),
    Skip(
        "CKV_AWS_145",
        "S3 server access log delivery supports only SSE-S3 on the target bucket",
        TERRAFORM,
    ),
)
SECRET_SKIPS = (
    Skip(
        "CKV2_AWS_57",
        "the value is set outside blueprint; rotation needs a rotation function the blueprint "
        "does not declare",
        TERRAFORM,
    ),
)
CLUSTER_SKIPS = (
    Skip(
        "CKV_AWS_224",
        "ECS Exec is disabled on every service (enable_execute_command = false): no session to log",
        TERRAFORM,
    ),
)
USER_SKIPS = (
    Skip(
        "CKV_AWS_273",
        "the blueprint declares this principal as an IAM user; SSO is outside what it models",
        TERRAFORM,
    ),
)
CONSOLE_USER_SKIPS = (
    *USER_SKIPS,
    Skip(
        "CKV2_AWS_22",
        "the blueprint grants this human console access; the console-mfa group denies everything "
        "without MFA",
        TERRAFORM,
    ),
)
SCHEDULED_JOB_SG_SKIPS = (
    Skip(
        "CKV2_AWS_5",
        "attached by the EventBridge Scheduler schedule that runs the job's task (checkov does "
        "not read aws_scheduler_schedule)",
        TERRAFORM,
    ),
)
BROKER_SG_SKIPS = (
    Skip(
        "CKV2_AWS_5",
        "attached to the MSK Serverless cluster's vpc_config (checkov does not read "
        "aws_msk_serverless_cluster)",
        TERRAFORM,
    ),
)
DATABASE_SKIPS: tuple[Skip, ...] = ()
UNPROTECTED_DATABASE_SKIPS = (
    Skip(
        "CKV_AWS_293",
        "deletion_protection is false for this database in this environment",
        TERRAFORM,
    ),
)
AURORA_SKIPS = (
    Skip(
        "CKV2_AWS_8",
        "automated backups (backup_retention_days) protect the cluster; AWS Backup plans are "
        "outside what the blueprint models",
        TERRAFORM,
    ),
)
SINGLE_AZ_DATABASE_SKIPS = (
    Skip("CKV_AWS_157", "high_availability is false for this database in this environment"),
)
PUBLIC_ALB_SKIPS = (
    Skip(
        "CKV2_AWS_28",
        "the blueprint declares no web application firewall rules; which ones fit is the "
        "application's choice",
        TERRAFORM,
    ),
)
REDIRECT_SKIPS = (
    Skip(
        "CKV_AWS_260",
        "the listener on port 80 only redirects to HTTPS on 443; it serves nothing in plaintext",
    ),
)
