"""The root of the model: one system, every concept of every cloud."""

from __future__ import annotations

from pydantic import Field

from blueprint.model.base import FreeText, Model, Name
from blueprint.model.environments import Environment
from blueprint.model.identity import Grant, Identity
from blueprint.model.network import Ingress, Network
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
    platforms: Platforms = Platforms()
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
    identity: Identity = Identity()
    """Who may do what: principals, scopes (groups or roles) and their grants."""
    policy: PolicySettings = PolicySettings()
    """Severity overrides for the policy rules and waivers of accepted findings."""
    environments: dict[Name, Environment] = Field(default_factory=dict)
    """Named overlays (dev, prod, ...) on replicas, sizes, image tags and severities; selected with
    `--env NAME`.
    """
    gitops: GitOps | None = None
    """Where the committed output lives, for the Argo CD and Flux objects that apply it."""
    monitoring: Monitoring | None = None
    """Prometheus scraping and a Grafana dashboard for the services with a metrics endpoint."""

    # -- derived views ---------------------------------------------------------------------------
    # The system view (blueprint/view.py) derives these once for the whole system; the scans
    # below (callers_of, ingress_to, is_public, workload_grants, ...) stay only until
    # generators/aws, azure and gcp read the view, then go.

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

    def callers_of(self, service: str) -> tuple[str, ...]:
        """Workloads (services and jobs) that declare a call to `service`, sorted."""
        return tuple(
            sorted(
                name
                for name, w in self.workloads().items()
                if any(c.service == service for c in w.calls)
            )
        )

    def ingress_to(self, target: str) -> tuple[str, ...]:
        """Ingress points that forward or route directly to `target` (a service or ingress)."""
        from blueprint.model.network import ingress_targets

        return tuple(sorted(n for n, i in self.ingress.items() if target in ingress_targets(i)))

    def is_public(self, service: str) -> bool:
        """Whether a public ingress reaches `service`, directly or through other ingress."""
        seen: set[str] = set()
        frontier = [service]
        while frontier:
            current = frontier.pop()
            for name in self.ingress_to(current):
                if name in seen:
                    continue
                seen.add(name)
                if self.ingress[name].public:
                    return True
                frontier.append(name)
        return False

    def service_principal(self, workload: str) -> str | None:
        for name, principal in self.identity.principals.items():
            if principal.kind == "service" and principal.workload == workload:
                return name
        return None

    def granted(self, principal: str) -> tuple[Grant, ...]:
        """Every grant a principal holds: its own and those of its scopes, in order."""
        p = self.identity.principals[principal]
        grants = list(p.grants)
        for scope in p.scopes:
            grants.extend(self.identity.scopes[scope].grants)
        return tuple(grants)

    def workload_grants(self, workload: str) -> tuple[Grant, ...]:
        """What a workload's runtime identity is granted, which generators render as IAM or RBAC.

        When the blueprint declares a service principal for the workload, its grants are what
        gets deployed (the policy engine compares them with the declared uses); otherwise the
        identity is derived from the declared uses, least privilege by construction.
        """
        principal = self.service_principal(workload)
        if principal is not None:
            return self.granted(principal)
        w = self.workloads()[workload]
        return tuple(Grant(resource=u.resource, access=u.access) for u in w.uses)
