"""Cloud SQL: a `database` on gcp becomes an instance with a private IP only (private services
access on the blueprint's network), IAM database authentication for the workloads that use it,
backups with point-in-time recovery, and a database named after the resource."""

from __future__ import annotations

from blueprint.cloud_run_network import cloud_sql_databases, cloud_sql_used_by, database_network
from blueprint.model import Platform
from blueprint.view import SystemView
from generators.gcp import naming
from generators.gcp.plan.records import CloudSqlInstance, CloudSqlUser

# The cloud-neutral size as a Cloud SQL Enterprise edition custom machine type: vCPUs and
# memory (MiB, 3840 per vCPU, the "standard" ratio). docs/gcp.md shows this table.
TIERS = {
    "small": "db-custom-1-3840",
    "medium": "db-custom-2-7680",
    "large": "db-custom-4-15360",
    "xlarge": "db-custom-8-30720",
}
ENGINE_VERSION_PREFIX = {"postgres": "POSTGRES", "mysql": "MYSQL"}


def database_version(engine: str, version: str) -> str:
    """POSTGRES_16, MYSQL_8_0: Cloud SQL spells the major version with underscores."""
    return f"{ENGINE_VERSION_PREFIX[engine]}_{version.replace('.', '_')}"


def private_host(blueprint: str, database: str) -> str:
    """The name in the network's private zone that resolves to the instance's private IP."""
    return f"{database}.{sql_zone(blueprint)}"


def sql_zone(blueprint: str) -> str:
    return f"sql.{blueprint}.internal"


def cloud_sql_instances(view: SystemView, project: str) -> tuple[CloudSqlInstance, ...]:
    bp = view.blueprint
    users: dict[str, list[str]] = {}
    for workload in view.workloads_on(Platform.CLOUD_RUN):
        for db in cloud_sql_used_by(view, workload):
            users.setdefault(db, []).append(workload)
    found: list[CloudSqlInstance] = []
    for name in cloud_sql_databases(view):
        res = bp.resources[name]
        network = database_network(view, name)
        if network is None:
            continue  # validation refuses a database on gcp without a network
        engine = res.db_engine
        found.append(
            CloudSqlInstance(
                name=name,
                description=res.description,
                engine="mysql" if engine == "mysql" else "postgres",
                database_version=database_version(engine, res.db_version),
                tier=res.instance_class or TIERS[res.size],
                disk_gb=res.storage_gb,
                regional=res.high_availability,
                backup_retention_days=res.backup_retention_days,
                deletion_protection=res.deletion_protection,
                network=network,
                host=private_host(bp.name, name),
                port=res.db_port,
                users=tuple(
                    CloudSqlUser(
                        w,
                        naming.cloud_sql_user(engine, naming.service_account_email(w, project)),
                    )
                    for w in sorted(users.get(name, ()))
                ),
            )
        )
    return tuple(found)
