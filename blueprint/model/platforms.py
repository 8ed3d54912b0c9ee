"""Per-cloud settings: where workloads of each platform are deployed."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints

from blueprint.model.base import Model, Name
from blueprint.model.validators import relative_path, visible

AwsRegion = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-gov)?-[a-z]+-\d$")]
AwsFormat = Literal["terraform", "cloudformation"]


class AwsSettings(Model):
    region: AwsRegion
    formats: tuple[AwsFormat, ...] = Field(default=("terraform",), min_length=1)
    log_retention_days: int = Field(default=365, ge=1, le=3653)


class AzureSettings(Model):
    location: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]{2,39}$")]
    resource_group: (
        Annotated[str, StringConstraints(pattern=r"^[-A-Za-z0-9_.()]{1,89}[-A-Za-z0-9_()]$")] | None
    ) = None


class GcpSettings(Model):
    project: Annotated[str, StringConstraints(pattern=r"^[a-z][-a-z0-9]{4,28}[a-z0-9]$")]
    region: Annotated[str, StringConstraints(pattern=r"^[a-z]+-[a-z]+\d$")]


class KubernetesSettings(Model):
    namespace: Name = "default"
    # The API server the GitOps controllers deploy to; in-cluster by default.
    server: Annotated[
        str, StringConstraints(pattern=r"^https://\S+$", max_length=2048), AfterValidator(visible)
    ] = "https://kubernetes.default.svc"


class Platforms(Model):
    aws: AwsSettings | None = None
    azure: AzureSettings | None = None
    gcp: GcpSettings | None = None
    kubernetes: KubernetesSettings | None = None


class GitOps(Model):
    """Where the committed out/ lives, for the Argo CD and Flux objects that apply it."""

    repository: Annotated[
        str,
        StringConstraints(pattern=r"^(https://|ssh://|git@)\S+$", max_length=2048),
        AfterValidator(visible),
    ]
    revision: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_./-]{1,255}$")] = "main"
    path: Annotated[
        str,
        StringConstraints(pattern=r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$", max_length=1024),
        AfterValidator(relative_path),
    ] = "out"
    controllers: tuple[Literal["argocd", "flux"], ...] = ("argocd", "flux")


class Monitoring(Model):
    """Prometheus scraping and Grafana dashboards for services with a metrics endpoint."""

    scrape_interval_seconds: int = Field(default=15, ge=1, le=3600)
    dashboard: bool = True
    # The Prometheus the Grafana datasource queries (the seed's docker-compose service name).
    prometheus_url: Annotated[
        str,
        StringConstraints(pattern=r"^https?://[^\s/]+(/\S*)?$", max_length=2048),
        AfterValidator(visible),
    ] = "http://prometheus:9090"
