"""Databases in CloudFormation: the DB subnet group, parameter group, and the RDS instance or
Aurora cluster with its instances."""

from __future__ import annotations

from generators.aws.cloudformation.template import Json, Template, get_att, key_arn, ref
from generators.aws.naming import cfn_id
from generators.aws.plan.databases import MONITORING_INTERVAL_SECONDS, DatabasePlan


def render_databases(t: Template) -> None:
    for db in t.s.databases:
        _database(t, db)


def _database(t: Template, db: DatabasePlan) -> None:
    t.add(
        db.subnet_group.cfn,
        "AWS::RDS::DBSubnetGroup",
        {
            "DBSubnetGroupName": db.subnet_group.name,
            "DBSubnetGroupDescription": f"Private subnets of database {db.key}",
            "SubnetIds": [ref(sub.id) for sub in db.subnets],
        },
    )
    parameters = dict(db.parameters)
    description = f"TLS only, DDL and slow statements logged: database {db.key}"
    if db.aurora:
        t.add(
            db.parameter_group.cfn,
            "AWS::RDS::DBClusterParameterGroup",
            {
                "DBClusterParameterGroupName": db.parameter_group.name,
                "Family": db.family,
                "Description": description,
                "Parameters": parameters,
            },
        )
        _cluster(t, db)
    else:
        t.add(
            db.parameter_group.cfn,
            "AWS::RDS::DBParameterGroup",
            {
                "DBParameterGroupName": db.parameter_group.name,
                "Family": db.family,
                "Description": description,
                "Parameters": parameters,
            },
        )
        _instance(t, db)
    t.output(
        cfn_id(db.id.cfn, "endpoint"),
        f"Endpoint of database {db.key}",
        get_att(db.id, "Endpoint.Address"),
    )
    t.output(
        cfn_id(db.id.cfn, "secret"),
        f"Secrets Manager secret of the master user of database {db.key} (managed by RDS)",
        get_att(db.id, "MasterUserSecret.SecretArn"),
    )


def _common(db: DatabasePlan) -> Json:
    return {
        "Engine": db.engine,
        "EngineVersion": db.version,
        "Port": db.port,
        "MasterUsername": db.master_username,
        "ManageMasterUserPassword": True,
        "MasterUserSecret": {"KmsKeyId": key_arn()},
        "EnableIAMDatabaseAuthentication": True,
        "StorageEncrypted": True,
        "KmsKeyId": key_arn(),
        "DBSubnetGroupName": ref(db.subnet_group),
        "BackupRetentionPeriod": db.backup_retention_days,
        "CopyTagsToSnapshot": True,
        "DeletionProtection": db.deletion_protection,
        "EnableCloudwatchLogsExports": list(db.log_exports),
    }


def _monitoring(db: DatabasePlan) -> Json:
    return {
        "AutoMinorVersionUpgrade": True,
        "MonitoringInterval": MONITORING_INTERVAL_SECONDS,
        "MonitoringRoleArn": get_att(db.monitoring_role.id, "Arn"),
        "EnablePerformanceInsights": True,
        "PerformanceInsightsKMSKeyId": key_arn(),
    }


def _instance(t: Template, db: DatabasePlan) -> None:
    t.add(
        db.id.cfn,
        "AWS::RDS::DBInstance",
        {
            "DBInstanceIdentifier": db.id.name,
            "DBName": db.db_name,
            **_common(db),
            "VPCSecurityGroups": [get_att(db.sg.id, "GroupId")],
            "DBInstanceClass": db.instance_class,
            "AllocatedStorage": str(db.storage_gb),
            "StorageType": "gp3",
            "MultiAZ": db.multi_az,
            "PubliclyAccessible": False,
            "DBParameterGroupName": ref(db.parameter_group),
            **_monitoring(db),
        },
        description=db.description,
        skips=db.skips,
        snapshot=True,
    )


def _cluster(t: Template, db: DatabasePlan) -> None:
    t.add(
        db.id.cfn,
        "AWS::RDS::DBCluster",
        {
            "DBClusterIdentifier": db.id.name,
            "DatabaseName": db.db_name,
            **_common(db),
            "VpcSecurityGroupIds": [get_att(db.sg.id, "GroupId")],
            "DBClusterParameterGroupName": ref(db.parameter_group),
        },
        description=db.description,
        skips=db.skips,
        snapshot=True,
    )
    for inst in db.instances:
        t.add(
            inst.cfn,
            "AWS::RDS::DBInstance",
            {
                "DBInstanceIdentifier": inst.name,
                "DBClusterIdentifier": ref(db.id),
                "Engine": db.engine,
                "DBInstanceClass": db.instance_class,
                "DBSubnetGroupName": ref(db.subnet_group),
                "PubliclyAccessible": False,
                **_monitoring(db),
            },
        )
