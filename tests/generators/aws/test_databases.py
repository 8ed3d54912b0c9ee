"""Databases on AWS, read back from the Terraform (python-hcl2) and CloudFormation renders:
private, encrypted, IAM-authenticated, the password kept by RDS, reached only by their users;
env outputs wired as native references; least privilege on the exact database user."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.generators.aws.support import (
    call_argument,
    cloudformation,
    render_example,
    resources,
)

SINK = "aws-data-kitchen-sink"


def _by_label(files: dict[str, str], rtype: str) -> dict[str, dict[str, Any]]:
    return resources(files, rtype)


def test_rds_instances_are_private_encrypted_and_keep_their_password_in_rds() -> None:
    files = render_example(SINK)
    instances = _by_label(files, "aws_db_instance")
    assert sorted(instances) == ["db", "legacy"]
    db = instances["db"]
    assert {
        k: db[k]
        for k in (
            "engine",
            "engine_version",
            "instance_class",
            "allocated_storage",
            "multi_az",
            "backup_retention_period",
            "deletion_protection",
            "publicly_accessible",
            "storage_encrypted",
            "kms_key_id",
            "iam_database_authentication_enabled",
            "manage_master_user_password",
            "master_user_secret_kms_key_id",
            "copy_tags_to_snapshot",
            "enabled_cloudwatch_logs_exports",
            "db_subnet_group_name",
            "vpc_security_group_ids",
        )
    } == {
        "engine": "postgres",
        "engine_version": "16.9",
        "instance_class": "db.t4g.medium",  # size small
        "allocated_storage": 50,
        "multi_az": True,
        "backup_retention_period": 14,
        "deletion_protection": True,
        "publicly_accessible": False,
        "storage_encrypted": True,
        "kms_key_id": "${aws_kms_key.main.arn}",
        "iam_database_authentication_enabled": True,
        "manage_master_user_password": True,
        "master_user_secret_kms_key_id": "${aws_kms_key.main.arn}",
        "copy_tags_to_snapshot": True,
        "enabled_cloudwatch_logs_exports": ["postgresql", "upgrade"],
        "db_subnet_group_name": "${aws_db_subnet_group.db.name}",
        "vpc_security_group_ids": ["${aws_security_group.db_db.id}"],
    }
    legacy = instances["legacy"]
    # An explicit instance class wins over the size; no deletion protection when declared so.
    assert (legacy["engine"], legacy["instance_class"], legacy["deletion_protection"]) == (
        "mysql",
        "db.m7g.xlarge",
        False,
    )
    # No password, user-chosen or generated, anywhere in the output.
    for path, text in files.items():
        assert not re.search(r"^\s*master_password\s*=", text, re.MULTILINE), path
        assert '"MasterUserPassword"' not in text, path


def test_the_subnet_group_holds_the_private_subnets_only() -> None:
    files = render_example(SINK)
    groups = _by_label(files, "aws_db_subnet_group")
    subnets = _by_label(files, "aws_subnet")
    public = {label for label, s in subnets.items() if s.get("map_public_ip_on_launch")}
    for group in groups.values():
        members = {ref.split(".")[1] for ref in group["subnet_ids"]}
        assert members == {"data_a", "data_b"} or members == {"app_a", "app_b", "data_a", "data_b"}
        assert not members & public


def test_parameter_groups_force_tls() -> None:
    files = render_example(SINK)
    postgres = _by_label(files, "aws_db_parameter_group")["db"]
    mysql = _by_label(files, "aws_db_parameter_group")["legacy"]
    aurora = _by_label(files, "aws_rds_cluster_parameter_group")["ledger"]
    assert {p["name"]: p["value"] for p in postgres["parameter"]}["rds.force_ssl"] == "1"
    assert {p["name"]: p["value"] for p in aurora["parameter"]}["rds.force_ssl"] == "1"
    assert {p["name"]: p["value"] for p in mysql["parameter"]} == {"require_secure_transport": "1"}
    assert (postgres["family"], mysql["family"], aurora["family"]) == (
        "postgres16",
        "mysql8.0",
        "aurora-postgresql15",
    )


def test_aurora_is_a_cluster_with_a_reader_in_another_zone_when_highly_available() -> None:
    files = render_example(SINK)
    cluster = _by_label(files, "aws_rds_cluster")["ledger"]
    assert (cluster["engine"], cluster["engine_version"], cluster["storage_encrypted"]) == (
        "aurora-postgresql",
        "15.12",
        True,
    )
    instances = _by_label(files, "aws_rds_cluster_instance")
    assert sorted(instances) == ["ledger_1", "ledger_2"]
    assert {i["instance_class"] for i in instances.values()} == {"db.r7g.large"}  # medium


def test_the_example_follows_its_environments() -> None:
    dev = render_example("aws-three-tier", "dev")
    prod = render_example("aws-three-tier", "prod")
    assert sorted(_by_label(dev, "aws_rds_cluster_instance")) == ["orders_1"]
    assert sorted(_by_label(prod, "aws_rds_cluster_instance")) == ["orders_1", "orders_2"]
    assert _by_label(dev, "aws_rds_cluster")["orders"]["deletion_protection"] is False
    assert _by_label(prod, "aws_rds_cluster")["orders"]["backup_retention_period"] == 14
    assert {i["instance_class"] for i in _by_label(prod, "aws_rds_cluster_instance").values()} == {
        "db.r7g.large"
    }


def test_only_the_databases_users_reach_it_on_its_port() -> None:
    files = render_example(SINK)
    ingress = _by_label(files, "aws_vpc_security_group_ingress_rule")
    into_dbs = sorted(
        (r["security_group_id"], r["referenced_security_group_id"], r["from_port"])
        for r in ingress.values()
        if r["security_group_id"].endswith("_db.id}")
    )
    assert into_dbs == [
        ("${aws_security_group.db_db.id}", "${aws_security_group.api_service.id}", 5432),
        ("${aws_security_group.ledger_db.id}", "${aws_security_group.api_service.id}", 5432),
        ("${aws_security_group.legacy_db.id}", "${aws_security_group.api_service.id}", 3306),
    ]
    egress = _by_label(files, "aws_vpc_security_group_egress_rule")
    assert not any(r["security_group_id"].endswith("_db.id}") for r in egress.values())


def _container(files: dict[str, str], service: str) -> dict[str, Any]:
    task = _by_label(files, "aws_ecs_task_definition")[service]
    (container,) = call_argument(task["container_definitions"])
    result: dict[str, Any] = container
    return result


def test_env_outputs_are_native_references_and_the_password_a_secret() -> None:
    files = render_example(SINK)
    api = _container(files, "api")
    assert {e["name"]: e["value"] for e in api["environment"]} == {
        "DATABASE_HOST": "${aws_db_instance.db.address}",
        "DATABASE_NAME": "db",
        "DATABASE_PORT": "5432",
        "LEDGER_HOST": "${aws_rds_cluster.ledger.endpoint}",
        "LEDGER_USER": "api",  # its own user, with IAM authentication
        "LEGACY_HOST": "${aws_db_instance.legacy.address}",
    }
    # Whoever takes the password connects as the user it belongs to.
    assert {s["name"]: s["valueFrom"] for s in api["secrets"]} == {
        "DATABASE_PASSWORD": "${aws_db_instance.db.master_user_secret[0].secret_arn}:password::",
        "DATABASE_USER": "${aws_db_instance.db.master_user_secret[0].secret_arn}:username::",
    }
    app = _container(files, "app")
    assert {e["name"]: e["value"] for e in app["environment"]} == {
        "EVENTS": "${aws_sns_topic.events.name}",
        "JOBS_NAME": "${aws_sqs_queue.jobs.name}",
        "JOBS_URL": "${aws_sqs_queue.jobs.url}",
        "LOG_LEVEL": "info",
        "SECRETS": "sink/vault/",
        "UPLOADS": "${aws_s3_bucket.uploads.id}",
    }


def test_cloudformation_spells_the_same_wiring() -> None:
    template = cloudformation(render_example(SINK))
    (api,) = template["Resources"]["ApiServiceTask"]["Properties"]["ContainerDefinitions"]
    env = {e["Name"]: e["Value"] for e in api["Environment"]}
    assert env["DATABASE_HOST"] == {"Fn::GetAtt": ["DbDatabase", "Endpoint.Address"]}
    assert env["LEDGER_HOST"] == {"Fn::GetAtt": ["LedgerDatabase", "Endpoint.Address"]}
    secrets = {s["Name"]: s["ValueFrom"] for s in api["Secrets"]}
    assert secrets["DATABASE_PASSWORD"] == {
        "Fn::Join": [
            "",
            [{"Fn::GetAtt": ["DbDatabase", "MasterUserSecret.SecretArn"]}, ":password::"],
        ]
    }


def _policy(files: dict[str, str], rtype: str, label: str) -> dict[str, Any]:
    doc: dict[str, Any] = call_argument(_by_label(files, rtype)[label]["policy"])
    return doc


def test_the_execution_role_reads_exactly_the_wired_secret() -> None:
    files = render_example(SINK)
    statements = _policy(files, "aws_iam_role_policy", "api_execution")["Statement"]
    read = next(s for s in statements if s["Sid"] == "ReadDatabaseSecrets")
    assert read["Action"] == ["secretsmanager:GetSecretValue"]
    assert read["Resource"] == ["${aws_db_instance.db.master_user_secret[0].secret_arn}"]


def test_uses_become_rds_db_connect_on_the_exact_database_user() -> None:
    files = render_example(SINK)
    statements = _policy(files, "aws_iam_role_policy", "api_task")["Statement"]
    connect = {s["Sid"]: s for s in statements if s["Action"] == ["rds-db:connect"]}
    prefix = (
        "arn:${data.aws_partition.current.partition}:rds-db:${data.aws_region.current.name}:"
        "${data.aws_caller_identity.current.account_id}:dbuser:"
    )
    assert {sid: s["Resource"] for sid, s in connect.items()} == {
        "WriteDbDbuser": [prefix + "${aws_db_instance.db.resource_id}/api"],
        "ReadLedgerDbuser": [prefix + "${aws_rds_cluster.ledger.cluster_resource_id}/api"],
        "WriteLegacyDbuser": [prefix + "${aws_db_instance.legacy.resource_id}/api"],
    }


@pytest.mark.parametrize("example", ["aws-three-tier", SINK])
def test_monitoring_roles_carry_only_the_enhanced_monitoring_policy(example: str) -> None:
    files = render_example(example)
    attachments = _by_label(files, "aws_iam_role_policy_attachment")
    assert attachments and all(
        a["policy_arn"].endswith(":iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole")
        for a in attachments.values()
    )
    template = cloudformation(files)
    roles = [r for r in template["Resources"].values() if r["Type"] == "AWS::IAM::Role"]
    managed = [r for r in roles if "ManagedPolicyArns" in r["Properties"]]
    assert len(managed) == len(attachments)
    assert all("Policies" not in r["Properties"] for r in managed)
    assert json.dumps(managed).count("AmazonRDSEnhancedMonitoringRole") == len(managed)
