"""The root of the model: one system, every concept of every cloud."""

from pydantic import Field

from blueprint.model.base import FreeText, Model, Name
from blueprint.model.environments import Environment
from blueprint.model.identity import Identity
from blueprint.model.network import Ingress, Network
from blueprint.model.overrides import Overrides
from blueprint.model.platforms import GitOps, Monitoring, Platforms
from blueprint.model.policy import PolicySettings
from blueprint.model.resources import Resource
from blueprint.model.vocabulary import Cloud
from blueprint.model.workloads import Job, Service


class Blueprint(Model):
    """One system: its services, the network they live in, the data they touch, who may do
    what, and how requests flow."""

    name: Name
    """The system's name: a DNS label (lowercase letters, digits and `-`). Example: `shop`."""
    description: FreeText | None = None
    """Free text about the system."""
    platforms: Platforms = Platforms.model_construct()
    """Where workloads run, with each cloud's settings (region, location, project, namespace)."""
    networks: dict[Name, Network] = Field(default_factory=dict)
    """Networks by name: address space, subnets, gateways and peering."""
    ingress: dict[Name, Ingress] = Field(default_factory=dict)
    """Entry points by name: API gateways, load balancers and HTTP ingress, and what each forwards
    to.
    """
    services: dict[Name, Service] = Field(default_factory=dict)
    """Long-running workloads by name: image, port, size, health, what they call and use."""
    jobs: dict[Name, Job] = Field(default_factory=dict)
    """Scheduled or event-driven workloads by name: what triggers them and what they write."""
    resources: dict[Name, Resource] = Field(default_factory=dict)
    """Managed resources by name: buckets, databases, queues, topics, registries, secret stores,
    user pools.
    """
    identity: Identity = Identity.model_construct()
    """Who may do what: principals, scopes (groups or roles) and their grants."""
    policy: PolicySettings = PolicySettings.model_construct()
    """Severity overrides for the policy rules and waivers of accepted findings."""
    environments: dict[Name, Environment] = Field(default_factory=dict)
    """Named overlays (dev, prod, ...) on replicas, sizes, image tags and severities; selected with
    `--env NAME`.
    """
    gitops: GitOps | None = None
    """Where the committed output lives, for the Argo CD and Flux objects that apply it."""
    monitoring: Monitoring | None = None
    """Prometheus scraping and a Grafana dashboard for the services with a metrics endpoint."""
    overrides: Overrides = Overrides.model_construct()
    """The escape hatch, per target in its native mechanism: Kubernetes labels, annotations and
    kustomize patches per workload; Terraform files; CloudFormation merges; Bicep modules. Not
    verified by the rules (`blueprint check` notes each one).
    """

    # -- lookups on the model itself ------------------------------------------------------------
    # Every derived fact (callers, ingress, exposure, ports, grants) lives in the system view
    # (blueprint/view.py), built once for the whole system; nothing here scans per item.

    def workloads(self) -> dict[str, Service | Job]:
        """Services and jobs together (names are unique across both)."""
        return {**self.services, **self.jobs}

    def declared_clouds(self) -> tuple[Cloud, ...]:
        return tuple(c for c in Cloud if getattr(self.platforms, c.value) is not None)

    def default_cloud(self) -> Cloud | None:
        """The cloud of resources and networks that do not name one: the only non-Kubernetes
        cloud declared, else Kubernetes if that is all there is."""
        clouds = [c for c in self.declared_clouds() if c is not Cloud.KUBERNETES]
        if len(clouds) == 1:
            return clouds[0]
        if not clouds and Cloud.KUBERNETES in self.declared_clouds():
            return Cloud.KUBERNETES
        return None

    def resource_cloud(self, name: str) -> Cloud | None:
        return self.resources[name].cloud or self.default_cloud()

    def network_cloud(self, name: str) -> Cloud | None:
        return self.networks[name].cloud or self.default_cloud()

    def subnet_network(self, subnet: str) -> str | None:
        for net_name, net in self.networks.items():
            if subnet in net.subnets:
                return net_name
        return None
