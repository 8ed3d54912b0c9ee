"""Databases: RDS PostgreSQL and MySQL instances and Aurora PostgreSQL clusters.

Secure by default: in a DB subnet group of private subnets only, encrypted with the system's KMS
key, IAM database authentication on, the master password generated and kept by RDS in Secrets
Manager (never in the output), logs exported to CloudWatch, TLS forced by a parameter group, no
public access, and a security group admitting exactly the workloads that use the database (the
system view's data-access connections), on its port.
"""

from __future__ import annotations

from dataclasses import dataclass

from blueprint.model import Resource, ResourceKind
from generators.aws.errors import UnsupportedBlueprintError
from generators.aws.naming import cfn_id, physical, tf_label
from generators.aws.plan import checkov
from generators.aws.plan.checkov import Skip
from generators.aws.plan.records import Named, Role, SecurityGroup, Subnet
from generators.aws.plan.references import attr, get_att
from generators.aws.plan.state import PlanState
from generators.aws.values import ACCOUNT, PARTITION, REGION, Value, arn, value

# Size tier -> (RDS instance class, Aurora instance class); docs/databases.md shows the table.
# The small tier is the smallest class that supports Performance Insights on both.
INSTANCE_CLASSES: dict[str, tuple[str, str]] = {
    "small": ("db.t4g.medium", "db.t4g.medium"),
    "medium": ("db.m7g.large", "db.r7g.large"),
    "large": ("db.r7g.xlarge", "db.r7g.xlarge"),
    "xlarge": ("db.r7g.2xlarge", "db.r7g.2xlarge"),
}
# The engines rendered on AWS: the RDS engine name and the CloudWatch log exports of each.
ENGINES: dict[str, tuple[str, tuple[str, ...]]] = {
    "postgres": ("postgres", ("postgresql", "upgrade")),
    "mysql": ("mysql", ("error", "general", "slowquery")),
    "aurora-postgresql": ("aurora-postgresql", ("postgresql",)),
}
# Parameters every database gets: TLS forced, DDL and slow statements logged.
_POSTGRES_PARAMETERS = (
    ("log_min_duration_statement", "1000"),
    ("log_statement", "ddl"),
    ("rds.force_ssl", "1"),
)
PARAMETERS: dict[str, tuple[tuple[str, str], ...]] = {
    "postgres": _POSTGRES_PARAMETERS,
    "mysql": (("require_secure_transport", "1"),),
    "aurora-postgresql": _POSTGRES_PARAMETERS,
}
# A major version is rendered as the minor version blueprint pins for it (minor upgrades are
# then automatic); a version with its minor (`16.4`) is rendered as declared.
ENGINE_VERSIONS: dict[tuple[str, str], str] = {
    ("postgres", "15"): "15.13",
    ("postgres", "16"): "16.9",
    ("postgres", "17"): "17.5",
    ("mysql", "8.0"): "8.0.42",
    ("mysql", "8.4"): "8.4.5",
    ("aurora-postgresql", "15"): "15.12",
    ("aurora-postgresql", "16"): "16.8",
    ("aurora-postgresql", "17"): "17.5",
}
MASTER_USERNAME = "blueprint_admin"
MONITORING_INTERVAL_SECONDS = 60
MONITORING_POLICY = value(
    "arn:", PARTITION, ":iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
)


@dataclass(frozen=True)
class DatabasePlan:
    id: Named  # the DB instance, or the Aurora cluster
    key: str
    description: str | None
    engine: str  # postgres | mysql | aurora-postgresql
    version: str
    family: str  # the parameter group family: postgres16, mysql8.0, aurora-postgresql16
    instance_class: str
    storage_gb: int
    multi_az: bool
    backup_retention_days: int
    deletion_protection: bool
    port: int
    db_name: str
    subnet_group: Named
    parameter_group: Named
    subnets: tuple[Subnet, ...]
    sg: SecurityGroup
    monitoring_role: Role
    instances: tuple[Named, ...]  # Aurora: the writer, and a reader in another zone when HA

    @property
    def aurora(self) -> bool:
        return self.engine == "aurora-postgresql"

    @property
    def log_exports(self) -> tuple[str, ...]:
        return ENGINES[self.engine][1]

    @property
    def parameters(self) -> tuple[tuple[str, str], ...]:
        return PARAMETERS[self.engine]

    @property
    def master_username(self) -> str:
        return MASTER_USERNAME

    @property
    def tf_type(self) -> str:
        return "aws_rds_cluster" if self.aurora else "aws_db_instance"

    @property
    def skips(self) -> tuple[Skip, ...]:
        skips = checkov.DATABASE_SKIPS
        if self.aurora:
            skips = (*skips, *checkov.AURORA_SKIPS)
        elif not self.multi_az:
            skips = (*skips, *checkov.SINGLE_AZ_DATABASE_SKIPS)
        if not self.deletion_protection:
            skips = (*skips, *checkov.UNPROTECTED_DATABASE_SKIPS)
        return skips

    @property
    def host(self) -> Value:
        """The address clients connect to: the instance's, or the Aurora cluster's writer."""
        tf_attr = "endpoint" if self.aurora else "address"
        return value(
            attr(
                self.tf_type,
                self.id,
                tf_attr,
                get_att(self.id, "Endpoint.Address"),
                f"{self.id.name}.abcdefghijkl.eu-west-2.rds.amazonaws.com",
            )
        )

    @property
    def secret_arn(self) -> Value:
        """The RDS-managed master user secret (JSON with `username` and `password`)."""
        return value(
            attr(
                self.tf_type,
                self.id,
                "master_user_secret[0].secret_arn",
                get_att(self.id, "MasterUserSecret.SecretArn"),
                arn("secretsmanager", f"secret:rds!db-{self.id.name}-AbCdEf").example(),
            )
        )

    @property
    def resource_id(self) -> Value:
        """The id IAM database authentication names (the instance's or the cluster's)."""
        tf_attr, cfn_attr = (
            ("cluster_resource_id", "DBClusterResourceId")
            if self.aurora
            else ("resource_id", "DbiResourceId")
        )
        return value(
            attr(
                self.tf_type,
                self.id,
                tf_attr,
                get_att(self.id, cfn_attr),
                "db-ABCDEFGHIJKLMNOPQRSTUVWXY",
            )
        )


def db_user(holder: str) -> str:
    """The database user an identity connects as with IAM authentication: its own name
    (`services.web` -> `web`), hyphens as underscores so it needs no quoting in SQL."""
    return holder.rsplit(".", 1)[-1].replace("-", "_")


def dbuser_arn_prefix(db: DatabasePlan) -> Value:
    """`arn:...:rds-db:<region>:<account>:dbuser:<resource id>`: a db user's ARN adds `/<user>`."""
    return value("arn:", PARTITION, ":rds-db:", REGION, ":", ACCOUNT, ":dbuser:", db.resource_id)


def aws_databases(st: PlanState) -> dict[str, Resource]:
    return {
        n: st.bp.resources[n]
        for n, kind in st.aws_resources().items()
        if kind is ResourceKind.DATABASE
    }


def database_subnets(st: PlanState, name: str, res: Resource) -> tuple[str, ...]:
    """The subnets of its DB subnet group: the declared ones, else every private subnet of the
    network its users run in (of the only AWS network when nothing uses it yet)."""
    if res.subnets:
        return res.subnets
    users = [
        st.bp.services[w].subnets
        for w in st.aws_services()
        if any(u.resource == name for u in st.bp.services[w].uses)
    ]
    networks = sorted({st.subnets[s].network for subs in users for s in subs if s in st.subnets})
    if not networks:
        networks = sorted({s.network for s in st.subnets.values()})
    if len(networks) != 1:
        raise UnsupportedBlueprintError(
            f"resources.{name}: say which subnets the database sits in (subnets: [...]); its "
            f"users are in {len(networks)} AWS networks"
        )
    private = tuple(
        n for n, s in sorted(st.subnets.items()) if s.network == networks[0] and not s.public
    )
    if not private:
        raise UnsupportedBlueprintError(
            f"resources.{name}: network {networks[0]} has no private subnet for the database"
        )
    return private


def plan_databases(st: PlanState) -> None:
    for name, res in aws_databases(st).items():
        db = _plan_database(st, name, res)
        st.system.databases.append(db)
        st.system.roles.append(db.monitoring_role)
        st.resource_arns[name] = [dbuser_arn_prefix(db)]


def _plan_database(st: PlanState, name: str, res: Resource) -> DatabasePlan:
    engine = res.db_engine
    if engine not in ENGINES:
        raise UnsupportedBlueprintError(f"resources.{name}: engine {engine} is not rendered on AWS")
    aurora = engine == "aurora-postgresql"
    version = res.db_version
    major = version if engine == "mysql" else version.split(".", 1)[0]
    named = st.named("", name, 63)
    db_id = Named(named.tf, cfn_id(name, "database"), named.name)
    instance_class = res.instance_class or INSTANCE_CLASSES[res.size][1 if aurora else 0]
    instances: tuple[Named, ...] = ()
    if aurora:
        count = 2 if res.high_availability else 1
        instances = tuple(
            Named(
                tf_label(name, str(i)),
                cfn_id(name, "instance", str(i)),
                physical(st.bp.name, name, str(i), limit=63),
            )
            for i in range(1, count + 1)
        )
    subnets = database_subnets(st, name, res)
    return DatabasePlan(
        id=db_id,
        key=name,
        description=res.description,
        engine=engine,
        version=ENGINE_VERSIONS.get((engine, version), version),
        family=f"{ENGINES[engine][0]}{major}",
        instance_class=instance_class,
        storage_gb=res.storage_gb,
        multi_az=res.high_availability,
        backup_retention_days=res.backup_retention_days,
        deletion_protection=res.deletion_protection,
        port=res.db_port,
        db_name=name.replace("-", "_"),
        subnet_group=Named(db_id.tf, cfn_id(name, "subnet", "group"), named.name),
        parameter_group=Named(db_id.tf, cfn_id(name, "parameters"), named.name),
        subnets=tuple(st.subnet(s, f"resources.{name}") for s in subnets),
        sg=st.sgs[f"db:{name}"],
        monitoring_role=Role(
            id=Named(
                tf_label(name, "monitoring"),
                cfn_id(name, "monitoring", "role"),
                physical(st.bp.name, name, "monitoring", limit=64),
            ),
            purpose="monitoring",
            trust_service="monitoring.rds.amazonaws.com",
            policy=None,
            managed_policies=(MONITORING_POLICY,),
        ),
        instances=instances,
    )
