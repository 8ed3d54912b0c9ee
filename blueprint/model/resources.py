"""Managed resources: data stores, brokers, registries, secret stores, user pools, managed APIs."""

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from blueprint.model.base import FreeText, Model, Name, Port
from blueprint.model.network import Hostname, check_optional_cidr
from blueprint.model.vocabulary import Cloud, ResourceKind

DatabaseEngine = Literal["postgres", "mysql", "aurora-postgresql", "redis"]
# A cloud-neutral tier; each generator maps it to its cloud's instance class (docs/databases.md).
Size = Literal["small", "medium", "large", "xlarge"]
InstanceClass = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
MajorVersion = Annotated[str, Field(pattern=r"^[0-9]{1,3}(\.[0-9]{1,3})?$")]

DEFAULT_VERSION: dict[str, str] = {
    "postgres": "16",
    "mysql": "8.0",
    "aurora-postgresql": "16",
    "redis": "7",
}
DEFAULT_PORT: dict[str, int] = {
    "postgres": 5432,
    "mysql": 3306,
    "aurora-postgresql": 5432,
    "redis": 6379,
}

# The fields that describe a database server; on any other kind they would be silently ignored.
DATABASE_FIELDS = (
    "engine",
    "version",
    "size",
    "instance_class",
    "storage_gb",
    "high_availability",
    "backup_retention_days",
    "deletion_protection",
)


class Endpoint(Model):
    """Where a data store outside the system is reached (a Kubernetes system's database)."""

    host: Hostname
    """Its DNS name or IP address. Example: `orders-db.internal.example.com`."""
    port: Port
    """Its port. Example: `5432`."""
    cidr: str | None = None
    """The address range it lives in: egress is opened to exactly this range (without it, to
    the port on any address, since a NetworkPolicy cannot name a host). Example:
    `10.20.0.0/16`."""

    _cidr = field_validator("cidr")(check_optional_cidr)


class Resource(Model):
    kind: ResourceKind
    """What it is: `bucket`, `database`, `queue`, `broker`, `topic`, `registry`, `secret-store`,
    `user-pool`, `ocr`, `cluster`, `iam` or `logs`.
    """
    cloud: Cloud | None = None  # default: the blueprint's only cloud
    """The cloud it is in. Default: the only cloud declared."""
    description: FreeText | None = None
    """Free text about the resource."""
    subnets: tuple[Name, ...] = ()  # for resources that live in a network (databases, brokers)
    """For resources in a network (databases, brokers): the subnets they sit in."""
    public: bool = False  # reachable from the internet (a public bucket, a public endpoint)
    """Whether it is reachable from the internet (a public bucket or endpoint)."""
    tables: tuple[Name, ...] = ()  # databases
    """A database's tables, by name."""
    broker: Name | None = None  # topics on a Kafka broker
    """For a topic on a Kafka broker: the `broker` resource."""
    retention_days: int | None = Field(default=None, ge=1, le=3653)
    """How many days the data is kept (1 to 3653)."""
    endpoint: Endpoint | None = None
    """For a data store outside the system (on a Kubernetes system): where it is reached.
    Example: `{host: orders-db.internal.example.com, port: 5432, cidr: 10.20.0.0/16}`."""
    # -- databases ------------------------------------------------------------------------
    engine: DatabaseEngine | None = None  # None: the cloud's document database (Cosmos DB)
    """A database's engine: `postgres`, `mysql`, `aurora-postgresql` or `redis`. Without it, a
    database on Azure is a Cosmos DB account; elsewhere `postgres`."""
    version: MajorVersion | None = None
    """A database's major version. Default: postgres `16`, mysql `8.0`, aurora-postgresql `16`,
    redis `7`. Example: `"15"`."""
    size: Size = "small"
    """A database's size, cloud-neutral: `small`, `medium`, `large` or `xlarge` (the instance
    class of each cloud is in docs/databases.md)."""
    instance_class: InstanceClass | None = None
    """A database's explicit instance class in its cloud's terms, which wins over `size`.
    Example: `db.r6g.large`."""
    storage_gb: int = Field(default=20, ge=10, le=65536)
    """A database's allocated storage, in GiB."""
    high_availability: bool = False
    """Whether a database has a standby in another zone (multi-AZ, regional, zone-redundant)."""
    backup_retention_days: int = Field(default=7, ge=1, le=35)
    """How many days a database's automated backups are kept (1 to 35)."""
    deletion_protection: bool = True
    """Whether a database refuses deletion; turn it off in a development environment only."""

    @model_validator(mode="after")
    def _database_fields_on_databases(self) -> "Resource":
        declared = self.model_fields_set  # a property: read once, not per field
        if self.kind is ResourceKind.DATABASE or declared.isdisjoint(DATABASE_FIELDS):
            return self
        for field in DATABASE_FIELDS:
            if field in declared:
                raise ValueError(
                    f"found {field} on a {self.kind.value}, expected it only on kind database"
                )
        return self

    @property
    def db_engine(self) -> str:
        """The engine, `postgres` when none is declared."""
        return self.engine or "postgres"

    @property
    def db_version(self) -> str:
        return self.version or DEFAULT_VERSION[self.db_engine]

    @property
    def db_port(self) -> int:
        """The port clients connect to: the declared endpoint's, else the engine's."""
        if self.endpoint is not None:
            return self.endpoint.port
        return DEFAULT_PORT[self.db_engine]
