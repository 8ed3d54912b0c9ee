"""What the planning functions share while they build an AwsPlan: the blueprint, the plan so
far, and the lookups one concern hands the next (subnets by name, security groups by owner,
repositories by registry, resource ARNs, secrets)."""

from __future__ import annotations

from blueprint.model import Cloud, Platform, ResourceKind, Service
from blueprint.view import SystemView
from generators.aws.errors import UnsupportedBlueprintError
from generators.aws.naming import cfn_id, physical, tf_label
from generators.aws.plan.records import (
    AwsPlan,
    Named,
    Repository,
    SecretPlan,
    SecurityGroup,
    Subnet,
)
from generators.aws.plan.references import attr, get_att
from generators.aws.values import Value, arn, value


class PlanState:
    def __init__(self, view: SystemView) -> None:
        bp = view.blueprint
        aws = bp.platforms.aws
        if aws is None:
            raise UnsupportedBlueprintError("the blueprint has no platforms.aws")
        self.view = view
        self.bp = bp
        self.region = aws.region
        self.system = AwsPlan(
            name=bp.name,
            region=aws.region,
            description=bp.description,
            log_retention_days=aws.log_retention_days,
            key=Named("main", "Key", f"alias/{bp.name}"),
        )
        self.subnets: dict[str, Subnet] = {}
        self.sgs: dict[str, SecurityGroup] = {}
        self.repos_by_registry: dict[str, list[Repository]] = {}
        self.resource_arns: dict[str, list[Value]] = {}
        self.secrets: dict[tuple[str, str], SecretPlan] = {}
        self._repositories: dict[str, tuple[list[Repository], int, dict[str, Repository]]] = {}
        # Asked per workload and per grant: computed once (a render stays linear).
        self._resources = {n: bp.resources[n].kind for n in view.resources_in(Cloud.AWS)}
        self._services = {
            n: bp.services[n] for n in view.workloads_on(Platform.AWS_FARGATE) if n in bp.services
        }

    def named(self, kind: str, name: str, limit: int, *, sep: str = "-") -> Named:
        return Named(
            tf_label(name) if kind == "" else tf_label(name, kind),
            cfn_id(name, kind) if kind else cfn_id(name),
            physical(self.bp.name, name, limit=limit, sep=sep),
        )

    def aws_resources(self) -> dict[str, ResourceKind]:
        return self._resources

    def aws_services(self) -> dict[str, Service]:
        return self._services

    def repository(self, registry: str, name: str) -> Repository:
        """The repository `name` of an AWS registry (KeyError when the registry has none).

        Asked twice per workload: an index per registry, rebuilt when its list is replaced or
        grows, instead of a scan of the registry's repositories (quadratic at 5,000 services).
        The first repository of a name wins, as the scan's did."""
        repos = self.repos_by_registry[registry]
        cached = self._repositories.get(registry)
        if cached is None or cached[0] is not repos or cached[1] != len(repos):
            by_name: dict[str, Repository] = {}
            for r in repos:
                by_name.setdefault(r.id.name, r)
            cached = (repos, len(repos), by_name)
            self._repositories[registry] = cached
        return cached[2][name]

    def subnet(self, name: str, owner: str) -> Subnet:
        if name not in self.subnets:
            raise UnsupportedBlueprintError(f"{owner}: subnet {name} is not in an AWS network")
        return self.subnets[name]

    def cluster_name(self) -> str:
        if self.system.cluster is None:
            raise UnsupportedBlueprintError("no ECS cluster")
        return self.system.cluster.name

    def sg_named(self, owner: str, kind: str) -> Named:
        return Named(
            tf_label(owner, kind),
            cfn_id(owner, kind, "sg"),
            physical(self.bp.name, owner, kind, limit=255),
        )

    def network_of(self, subnets: tuple[str, ...], owner: str) -> str:
        nets = {self.subnet(s, owner).network for s in subnets}
        if len(nets) != 1:
            raise UnsupportedBlueprintError(
                f"{owner}: its subnets must be in exactly one AWS network, found "
                f"{', '.join(sorted(nets)) or 'none'}"
            )
        return nets.pop()

    def key_arn(self) -> Value:
        key = self.system.key
        return value(
            attr(
                "aws_kms_key",
                key,
                "arn",
                get_att(key, "Arn"),
                arn("kms", "key/00000000-0000-0000-0000-000000000000").example(),
            )
        )
