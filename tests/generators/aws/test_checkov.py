"""checkov on the AWS examples (and the async kitchen sink) in both formats: no failed check;
every skip is inline in the generated code, with its reason, and exactly the ones listed here."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.checkov_support import run_checkov
from tests.generators.aws.support import render_example, write

_TF_RESOURCE = re.compile(r'^resource "([a-z0-9_]+)" "([a-z0-9_]+)" \{$')
_TF_SKIP = re.compile(r"^  #checkov:skip=([A-Z0-9_]+):(.+)$")


def inline_skips(files: dict[str, str], framework: str) -> tuple[str, ...]:
    """Every checkov skip written into the rendered code, as "ID resource: reason"."""
    out: list[str] = []
    if framework == "terraform":
        for path, text in files.items():
            if not path.startswith("aws/terraform/"):
                continue
            current = ""
            for line in text.splitlines():
                if m := _TF_RESOURCE.match(line):
                    current = f"{m.group(1)}.{m.group(2)}"
                elif m := _TF_SKIP.match(line):
                    out.append(f"{m.group(1)} {current}: {m.group(2)}")
    else:
        template = json.loads(files["aws/cloudformation/template.json"])
        for logical, resource in template["Resources"].items():
            for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
                out.append(f"{skip['id']} {resource['Type']}.{logical}: {skip['comment']}")
    return tuple(sorted(out))


NLB_LOGS = "a network load balancer logs access only for TLS listeners and these are TCP"
NO_EXEC = (
    "ECS Exec is disabled on every service (enable_execute_command = false): no session to log"
)
REPLICATION = "cross-region replication needs a second region the blueprint does not declare"
EVENTS = "no consumer of object events is declared in the blueprint"
LOG_LOOP = "this is the access-log bucket; logging it to itself would loop"
LOG_SSE = "S3 server access log delivery supports only SSE-S3 on the target bucket"
IAM_USER = "the blueprint declares this principal as an IAM user; SSO is outside what it models"
CONSOLE = (
    "the blueprint grants this human console access; "
    "the console-mfa group denies everything without MFA"
)

SCHEDULER_SG = (
    "attached by the EventBridge Scheduler schedule that runs the job's task "
    "(checkov does not read aws_scheduler_schedule)"
)
BROKER_SG = (
    "attached to the MSK Serverless cluster's vpc_config "
    "(checkov does not read aws_msk_serverless_cluster)"
)
WAF = (
    "the blueprint declares no web application firewall rules; which ones fit is the "
    "application's choice"
)
SECRET_ROTATION = (
    "the value is set outside blueprint; rotation needs a rotation function the blueprint does "
    "not declare"
)
BACKUP_PLAN = (
    "automated backups (backup_retention_days) protect the cluster; AWS Backup plans are "
    "outside what the blueprint models"
)
REDIRECT = "the listener on port 80 only redirects to HTTPS on 443; it serves nothing in plaintext"
SINGLE_AZ = "high_availability is false for this database in this environment"
UNPROTECTED = "deletion_protection is false for this database in this environment"

EXPECTED_SKIPS = {
    ("aws-fargate-api", "terraform"): (
        f"CKV2_AWS_62 aws_s3_bucket.access_logs: {EVENTS}",
        f"CKV2_AWS_62 aws_s3_bucket.uploads: {EVENTS}",
        f"CKV_AWS_144 aws_s3_bucket.access_logs: {REPLICATION}",
        f"CKV_AWS_144 aws_s3_bucket.uploads: {REPLICATION}",
        f"CKV_AWS_145 aws_s3_bucket.access_logs: {LOG_SSE}",
        f"CKV_AWS_18 aws_s3_bucket.access_logs: {LOG_LOOP}",
        f"CKV_AWS_224 aws_ecs_cluster.main: {NO_EXEC}",
        f"CKV_AWS_91 aws_lb.lb: {NLB_LOGS}",
    ),
    ("aws-fargate-api", "cloudformation"): (
        f"CKV_AWS_18 AWS::S3::Bucket.AccessLogsBucket: {LOG_LOOP}",
        f"CKV_AWS_91 AWS::ElasticLoadBalancingV2::LoadBalancer.LbLb: {NLB_LOGS}",
    ),
    ("aws-three-tier", "terraform"): (
        f"CKV2_AWS_28 aws_lb.web: {WAF}",
        f"CKV2_AWS_57 aws_secretsmanager_secret.vault_secret_1: {SECRET_ROTATION}",
        f"CKV2_AWS_62 aws_s3_bucket.access_logs: {EVENTS}",
        f"CKV2_AWS_8 aws_rds_cluster.orders: {BACKUP_PLAN}",
        f"CKV_AWS_144 aws_s3_bucket.access_logs: {REPLICATION}",
        f"CKV_AWS_145 aws_s3_bucket.access_logs: {LOG_SSE}",
        f"CKV_AWS_18 aws_s3_bucket.access_logs: {LOG_LOOP}",
        f"CKV_AWS_224 aws_ecs_cluster.main: {NO_EXEC}",
        f"CKV_AWS_260 aws_vpc_security_group_ingress_rule.web_lb_ingress_tcp_80_0_0_0_0_0: "
        f"{REDIRECT}",
    ),
    ("aws-three-tier", "cloudformation"): (
        f"CKV_AWS_18 AWS::S3::Bucket.AccessLogsBucket: {LOG_LOOP}",
        f"CKV_AWS_260 AWS::EC2::SecurityGroupIngress.WebLbSgIngressTcp8000000: {REDIRECT}",
    ),
    ("aws-data-kitchen-sink", "terraform"): (
        f"CKV2_AWS_28 aws_lb.partner: {WAF}",
        f"CKV2_AWS_28 aws_lb.web: {WAF}",
        f"CKV2_AWS_62 aws_s3_bucket.access_logs: {EVENTS}",
        f"CKV2_AWS_62 aws_s3_bucket.uploads: {EVENTS}",
        f"CKV2_AWS_8 aws_rds_cluster.ledger: {BACKUP_PLAN}",
        f"CKV_AWS_144 aws_s3_bucket.access_logs: {REPLICATION}",
        f"CKV_AWS_144 aws_s3_bucket.uploads: {REPLICATION}",
        f"CKV_AWS_145 aws_s3_bucket.access_logs: {LOG_SSE}",
        f"CKV_AWS_157 aws_db_instance.legacy: {SINGLE_AZ}",
        f"CKV_AWS_18 aws_s3_bucket.access_logs: {LOG_LOOP}",
        f"CKV_AWS_224 aws_ecs_cluster.main: {NO_EXEC}",
        f"CKV_AWS_260 aws_vpc_security_group_ingress_rule.partner_lb_ingress_tcp_80_0_0_0_0_0: "
        f"{REDIRECT}",
        f"CKV_AWS_260 aws_vpc_security_group_ingress_rule.web_lb_ingress_tcp_80_0_0_0_0_0: "
        f"{REDIRECT}",
        f"CKV_AWS_293 aws_db_instance.legacy: {UNPROTECTED}",
        f"CKV_AWS_91 aws_lb.inner: {NLB_LOGS}",
    ),
    ("aws-data-kitchen-sink", "cloudformation"): (
        f"CKV_AWS_157 AWS::RDS::DBInstance.LegacyDatabase: {SINGLE_AZ}",
        f"CKV_AWS_18 AWS::S3::Bucket.AccessLogsBucket: {LOG_LOOP}",
        f"CKV_AWS_260 AWS::EC2::SecurityGroupIngress.PartnerLbSgIngressTcp8000000: {REDIRECT}",
        f"CKV_AWS_260 AWS::EC2::SecurityGroupIngress.WebLbSgIngressTcp8000000: {REDIRECT}",
        f"CKV_AWS_91 AWS::ElasticLoadBalancingV2::LoadBalancer.InnerLb: {NLB_LOGS}",
    ),
    ("company-iam", "terraform"): (
        f"CKV2_AWS_22 aws_iam_user.leo_user: {CONSOLE}",
        f"CKV2_AWS_62 aws_s3_bucket.access_logs: {EVENTS}",
        f"CKV2_AWS_62 aws_s3_bucket.s3: {EVENTS}",
        f"CKV_AWS_144 aws_s3_bucket.access_logs: {REPLICATION}",
        f"CKV_AWS_144 aws_s3_bucket.s3: {REPLICATION}",
        f"CKV_AWS_145 aws_s3_bucket.access_logs: {LOG_SSE}",
        f"CKV_AWS_18 aws_s3_bucket.access_logs: {LOG_LOOP}",
        f"CKV_AWS_224 aws_ecs_cluster.ecs: {NO_EXEC}",
        f"CKV_AWS_273 aws_iam_user.builder_ci_user: {IAM_USER}",
        f"CKV_AWS_273 aws_iam_user.leo_user: {IAM_USER}",
        f"CKV_AWS_273 aws_iam_user.publisher_ci_user: {IAM_USER}",
    ),
    ("aws-kafka-workers", "terraform"): (
        f"CKV2_AWS_5 aws_security_group.kafka_broker: {BROKER_SG}",
        f"CKV_AWS_157 aws_db_instance.warehouse: {SINGLE_AZ}",
        f"CKV_AWS_224 aws_ecs_cluster.main: {NO_EXEC}",
    ),
    ("aws-kafka-workers", "cloudformation"): (
        f"CKV_AWS_157 AWS::RDS::DBInstance.WarehouseDatabase: {SINGLE_AZ}",
    ),
    ("aws-async-kitchen-sink", "terraform"): (
        f"CKV2_AWS_5 aws_security_group.nightly_job: {SCHEDULER_SG}",
        f"CKV2_AWS_5 aws_security_group.stream_broker: {BROKER_SG}",
        f"CKV2_AWS_62 aws_s3_bucket.access_logs: {EVENTS}",
        f"CKV2_AWS_62 aws_s3_bucket.reports: {EVENTS}",
        f"CKV_AWS_144 aws_s3_bucket.access_logs: {REPLICATION}",
        f"CKV_AWS_144 aws_s3_bucket.reports: {REPLICATION}",
        f"CKV_AWS_144 aws_s3_bucket.uploads: {REPLICATION}",
        f"CKV_AWS_145 aws_s3_bucket.access_logs: {LOG_SSE}",
        f"CKV_AWS_18 aws_s3_bucket.access_logs: {LOG_LOOP}",
        f"CKV_AWS_224 aws_ecs_cluster.main: {NO_EXEC}",
        f"CKV_AWS_273 aws_iam_user.auditor_user: {IAM_USER}",
        f"CKV_AWS_273 aws_iam_user.deployer_user: {IAM_USER}",
        f"CKV_AWS_273 aws_iam_user.ops_user: {IAM_USER}",
    ),
    ("aws-async-kitchen-sink", "cloudformation"): (
        f"CKV_AWS_18 AWS::S3::Bucket.AccessLogsBucket: {LOG_LOOP}",
    ),
}


@pytest.mark.checkov
@pytest.mark.parametrize(("example", "framework"), sorted(EXPECTED_SKIPS))
def test_checkov_has_no_failed_check(example: str, framework: str, tmp_path: Path) -> None:
    files = render_example(example)
    write(files, tmp_path)
    result = run_checkov(tmp_path / "aws" / framework, framework)
    assert (result.failed, result.failures, result.parsing_errors) == (0, (), 0)
    expected = tuple(sorted(EXPECTED_SKIPS[(example, framework)]))
    # run_checkov passes --quiet, which leaves skipped checks out of the report: read the skips
    # from the code and check that checkov honoured exactly that many.
    assert inline_skips(files, framework) == expected
    assert result.skipped == len(expected)
    assert result.passed > 0
