"""Managed resources: data stores, brokers, registries, secret stores, user pools, managed APIs."""

from __future__ import annotations

from pydantic import Field

from blueprint.model.base import FreeText, Model, Name
from blueprint.model.vocabulary import Cloud, ResourceKind


class Resource(Model):
    kind: ResourceKind
    cloud: Cloud | None = None  # default: the blueprint's only cloud
    description: FreeText | None = None
    subnets: tuple[Name, ...] = ()  # for resources that live in a network (databases, brokers)
    public: bool = False  # reachable from the internet (a public bucket, a public endpoint)
    tables: tuple[Name, ...] = ()  # databases
    broker: Name | None = None  # topics on a Kafka broker
    retention_days: int | None = Field(default=None, ge=1, le=3653)
