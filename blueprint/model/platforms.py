"""Per-cloud settings: where workloads of each platform are deployed."""

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints

from blueprint.model.base import Model, Name
from blueprint.model.validators import relative_path, visible

AwsRegion = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-gov)?-[a-z]+-\d$")]
AwsFormat = Literal["terraform", "cloudformation"]


class AwsSettings(Model):
    region: AwsRegion
    """The AWS region every AWS resource is created in. Example: `eu-west-2`."""
    formats: tuple[AwsFormat, ...] = Field(default=("terraform",), min_length=1)
    """Which AWS formats to render: `terraform`, `cloudformation` or both. Example: `[terraform,
    cloudformation]`.
    """
    log_retention_days: int = Field(default=365, ge=1, le=3653)
    """How many days CloudWatch keeps the workloads' logs (1 to 3653)."""


class AzureSettings(Model):
    location: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]{2,39}$")]
    """The Azure region (location) of every Azure resource. Example: `westeurope`."""
    resource_group: (
        Annotated[str, StringConstraints(pattern=r"^[-A-Za-z0-9_.()]{1,89}[-A-Za-z0-9_()]$")] | None
    ) = None
    """The resource group the Bicep deploys into. Default: `rg-<system name>`. Example:
    `rg-shop-prod`.
    """


class GcpSettings(Model):
    project: Annotated[str, StringConstraints(pattern=r"^[a-z][-a-z0-9]{4,28}[a-z0-9]$")]
    """The Google Cloud project ID. Example: `shop-prod-123`."""
    region: Annotated[str, StringConstraints(pattern=r"^[a-z]+-[a-z]+\d$")]
    """The Google Cloud region of the Cloud Run services. Example: `europe-west1`."""


class KubernetesSettings(Model):
    namespace: Name = "default"
    """The namespace every Kubernetes object is created in."""
    # The API server the GitOps controllers deploy to; in-cluster by default.
    server: Annotated[
        str, StringConstraints(pattern=r"^https://\S+$", max_length=2048), AfterValidator(visible)
    ] = "https://kubernetes.default.svc"
    """The API server the GitOps controllers deploy to. Default: the cluster they run in
    (`https://kubernetes.default.svc`).
    """
    ingress_class: Name | None = None
    """The IngressClass every Ingress names (ingressClassName). Default: the cluster's default
    class. Example: `nginx`."""
    gateway: Name | None = None
    """A Gateway API Gateway (in the same namespace): HTTP ingress becomes HTTPRoutes attached
    to it instead of Ingress objects. Example: `shop-gateway`."""


class Platforms(Model):
    aws: AwsSettings | None = None
    """Settings for workloads on `aws-fargate` and for AWS resources."""
    azure: AzureSettings | None = None
    """Settings for workloads on `azure-container-apps` or `azure-functions` and for Azure
    resources.
    """
    gcp: GcpSettings | None = None
    """Settings for workloads on `cloud-run` and for Google Cloud resources."""
    kubernetes: KubernetesSettings | None = None
    """Settings for workloads on `kubernetes`."""


class GitOps(Model):
    """Where the committed out/ lives, for the Argo CD and Flux objects that apply it."""

    repository: Annotated[
        str,
        StringConstraints(pattern=r"^(https://|ssh://|git@)\S+$", max_length=2048),
        AfterValidator(visible),
    ]
    """The git repository that holds the committed output. Example:
    `https://github.com/example/shop.git`.
    """
    revision: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_./-]{1,255}$")] = "main"
    """The branch, tag or commit the controllers follow."""
    path: Annotated[
        str,
        StringConstraints(pattern=r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$", max_length=1024),
        AfterValidator(relative_path),
    ] = "out"
    """This system's output directory inside the repository: relative, without `.` or `..`
    segments. Example: `out/shop`."""
    controllers: tuple[Literal["argocd", "flux"], ...] = ("argocd", "flux")
    """Which controllers' objects to render: `argocd`, `flux` or both."""


class Monitoring(Model):
    """Prometheus scraping and Grafana dashboards for services with a metrics endpoint."""

    scrape_interval_seconds: int = Field(default=15, ge=1, le=3600)
    """How often Prometheus scrapes each metrics endpoint, in seconds."""
    dashboard: bool = True
    """Whether to render a Grafana dashboard for the services with metrics."""
    # The Prometheus the Grafana datasource queries (the seed's docker-compose service name).
    prometheus_url: Annotated[
        str,
        StringConstraints(pattern=r"^https?://[^\s/]+(/\S*)?$", max_length=2048),
        AfterValidator(visible),
    ] = "http://prometheus:9090"
    """The Prometheus the Grafana datasource queries. Example: `http://prometheus:9090`."""
