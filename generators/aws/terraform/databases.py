"""RDS instances and Aurora clusters, as HCL attributes."""

from __future__ import annotations

from typing import Any

from generators.aws.plan.databases import MONITORING_INTERVAL_SECONDS, DatabasePlan
from generators.aws.plan.records import Named
from generators.aws.terraform.references import ref
from generators.aws.values import Attr

_KEY_ARN = Attr("aws_kms_key.main.arn", None, "")


def _common(db: DatabasePlan) -> dict[str, Any]:
    """What an RDS instance and an Aurora cluster spell alike."""
    return {
        "engine": db.engine,
        "engine_version": db.version,
        "port": db.port,
        "master_username": db.master_username,
        "manage_master_user_password": True,
        "master_user_secret_kms_key_id": _KEY_ARN,
        "iam_database_authentication_enabled": True,
        "storage_encrypted": True,
        "kms_key_id": _KEY_ARN,
        "db_subnet_group_name": ref("aws_db_subnet_group", db.subnet_group, "name"),
        "vpc_security_group_ids": [ref("aws_security_group", db.sg.id)],
        "backup_retention_period": db.backup_retention_days,
        "copy_tags_to_snapshot": True,
        "deletion_protection": db.deletion_protection,
        "enabled_cloudwatch_logs_exports": list(db.log_exports),
        "final_snapshot_identifier": f"{db.id.name}-final",
    }


def database_attrs(db: DatabasePlan) -> dict[str, Any]:
    if db.aurora:
        return {
            "cluster_identifier": db.id.name,
            "database_name": db.db_name,
            **_common(db),
            "db_cluster_parameter_group_name": ref(
                "aws_rds_cluster_parameter_group", db.parameter_group, "name"
            ),
        }
    return {
        "identifier": db.id.name,
        "db_name": db.db_name,
        **_common(db),
        "instance_class": db.instance_class,
        "allocated_storage": db.storage_gb,
        "storage_type": "gp3",
        "multi_az": db.multi_az,
        "publicly_accessible": False,
        "parameter_group_name": ref("aws_db_parameter_group", db.parameter_group, "name"),
        **_monitoring(db),
    }


def cluster_instance_attrs(db: DatabasePlan, instance: Named) -> dict[str, Any]:
    return {
        "identifier": instance.name,
        "cluster_identifier": ref("aws_rds_cluster", db.id),
        "engine": ref("aws_rds_cluster", db.id, "engine"),
        "engine_version": ref("aws_rds_cluster", db.id, "engine_version"),
        "instance_class": db.instance_class,
        "db_subnet_group_name": ref("aws_db_subnet_group", db.subnet_group, "name"),
        "publicly_accessible": False,
        "copy_tags_to_snapshot": True,
        **_monitoring(db),
    }


def _monitoring(db: DatabasePlan) -> dict[str, Any]:
    """Enhanced monitoring, Performance Insights (encrypted with the system's key), patches."""
    return {
        "auto_minor_version_upgrade": True,
        "monitoring_interval": MONITORING_INTERVAL_SECONDS,
        "monitoring_role_arn": ref("aws_iam_role", db.monitoring_role.id, "arn"),
        "performance_insights_enabled": True,
        "performance_insights_kms_key_id": _KEY_ARN,
    }
