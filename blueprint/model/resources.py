"""Managed resources: data stores, brokers, registries, secret stores, user pools, managed APIs."""

from __future__ import annotations

from pydantic import Field

from blueprint.model.base import FreeText, Model, Name
from blueprint.model.vocabulary import Cloud, ResourceKind


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
