"""Cross-reference validation: every name resolves, every address fits. All problems at once."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from ipaddress import IPv4Network, IPv6Network
from itertools import combinations

from blueprint.errors import Path, Problem, did_you_mean, one_of
from blueprint.model import (
    KIND_ACCESS,
    KIND_OUTPUTS,
    PLATFORM_NAME_LIMIT,
    UNIVERSAL_ACCESS,
    WILDCARD,
    WORKLOAD_ACCESS,
    ApiGateway,
    Blueprint,
    Cloud,
    EventTrigger,
    HttpIngress,
    LoadBalancer,
    Platform,
    ResourceKind,
    TopicTrigger,
    parse_cidr,
)
from blueprint.model.workloads import Call, Job, Service, Use
from blueprint.support.matrix import TERRAFORM_FILES
from blueprint.view import iac_roots_of

_SETTINGS_HINT = {
    "aws": "region: eu-west-2",
    "azure": "location: westeurope",
    "gcp": "project: my-project, region: europe-west1",
    "kubernetes": "namespace: default",
}


# Platform facts the model cannot express in its own bounds.
_KEY_VAULT_SECRET_NAME = re.compile(r"^[0-9A-Za-z-]{1,127}$")
_CLOUD_RUN_RESERVED_ENV = frozenset({"PORT", "K_SERVICE", "K_REVISION", "K_CONFIGURATION"})
_CONTAINER_APPS_MAX_PROBE_PERIOD = 240
# The access levels each kind accepts, united once (15,000 uses at 5,000 services).
_ALLOWED_ACCESS = {kind: access | UNIVERSAL_ACCESS for kind, access in KIND_ACCESS.items()}
# The cloud whose subnets a workload on each platform sits in (any, on Kubernetes).
_RUNS_IN = {p: None if p.cloud is Cloud.KUBERNETES else p.cloud for p in Platform}


_REGISTRY = ResourceKind.REGISTRY  # read once: an enum's class attributes are slow to read
_LIMITING_PLATFORMS = frozenset({Platform.CLOUD_RUN, Platform.AZURE_CONTAINER_APPS})


def _within_platform_limits(w: Service | Job) -> bool:
    """Whether `platform_limits` has nothing to say (secrets are asked about apart)."""
    if w.platform is Platform.CLOUD_RUN:
        return _CLOUD_RUN_RESERVED_ENV.isdisjoint(w.env)
    if w.platform is Platform.AZURE_CONTAINER_APPS:
        health = getattr(w, "health", None)
        return health is None or health.interval_seconds <= _CONTAINER_APPS_MAX_PROBE_PERIOD
    return True


class _Checker:
    def __init__(self, bp: Blueprint, unknown_ok: Collection[str] = frozenset()) -> None:
        self.bp = bp
        # Entries the schema refused (already reported): references to them are not news.
        self.unknown_ok = unknown_ok
        self.problems: list[Problem] = []
        self.subnets = {s: n for n, net in bp.networks.items() for s in net.subnets}
        self.workloads = bp.workloads()
        # did-you-mean costs a fuzzy match against every candidate: hint the first problems
        # only, so that a file with thousands of broken references is still reported quickly.
        self.hints_left = 20
        # The "expected one of" listing per candidate collection (kept alive with it).
        self.listings: dict[int, tuple[object, str]] = {}
        # Grants name resources or workloads (built once: blueprints may hold thousands).
        self.grantable = {**bp.resources, **self.workloads}
        # Each network's and resource's cloud, from the platforms scanned once.
        default = bp.default_cloud()
        self.network_clouds = {name: net.cloud or default for name, net in bp.networks.items()}
        self.resource_clouds = {name: res.cloud or default for name, res in bp.resources.items()}
        self.platform_settings = {p: getattr(bp.platforms, p.cloud.value) for p in Platform}
        # Read for every workload.
        self.declared_resources, self.declared_services = bp.resources, bp.services

    def add(self, path: Path, message: str, *, at_key: bool = False) -> None:
        self.problems.append(Problem(path, message, at_key=at_key))

    def ref(
        self,
        path: Path,
        name: str,
        what: str,
        candidates: Mapping[str, object] | Collection[str],
        plural: str | None = None,
    ) -> bool:
        if name in candidates:  # a mapping or set: no scan
            return True
        if name in self.unknown_ok:
            return False
        self.hints_left -= 1
        hint = did_you_mean(name, candidates) if self.hints_left >= 0 else ""
        cached = self.listings.get(id(candidates))
        if cached is None or cached[0] is not candidates:
            cached = (candidates, one_of(candidates, 40) if candidates else "(none declared)")
            self.listings[id(candidates)] = cached
        self.add(
            path,
            f"unknown {what} {name!r}; expected one of the declared {plural or what + 's'}: "
            f"{cached[1]}{hint}",
        )
        return False

    def kind(self, path: Path, name: str, allowed: set[ResourceKind], what: str) -> None:
        if not self.ref(path, name, "resource", self.bp.resources):
            return
        actual = self.bp.resources[name].kind
        if actual not in allowed:
            kinds = " or ".join(sorted(k.value for k in allowed))
            self.add(
                path,
                f"found resource {name!r} of kind {actual.value}, expected a {kinds} for {what}",
            )

    # -- checks -----------------------------------------------------------------------------

    def run(self) -> list[Problem]:
        self.unique_names()
        self.networks()
        self.ingress()
        for name, svc in self.bp.services.items():
            self.workload(("services", name), name, svc)
        for name, job in self.bp.jobs.items():
            self.workload(("jobs", name), name, job)
            self.job(("jobs", name), job)
        self.resources()
        self.identity()
        self.environments()
        self.overrides()
        return self.problems

    def unique_names(self) -> None:
        if self.names_unique():
            return
        owners: dict[str, str] = {}
        for section in ("services", "jobs", "resources", "ingress"):
            for name in getattr(self.bp, section):
                if name in owners:
                    self.add(
                        (section, name),
                        f"found the name {name!r} again (already {owners[name]}.{name}), "
                        "expected names unique across services, jobs, resources and ingress",
                        at_key=True,
                    )
                else:
                    owners[name] = section
        seen: dict[str, str] = {}
        for net_name, net in self.bp.networks.items():
            for sub in net.subnets:
                if sub in seen:
                    self.add(
                        ("networks", net_name, "subnets", sub),
                        f"found the subnet name {sub!r} again (already in network "
                        f"{seen[sub]!r}), expected subnet names unique across networks",
                        at_key=True,
                    )
                else:
                    seen[sub] = net_name

    def networks(self) -> None:
        for net_name, net in self.bp.networks.items():
            base = ("networks", net_name)
            cidr = parse_cidr(net.cidr)
            parsed = {}
            for sub_name, sub in net.subnets.items():
                sub_cidr = parse_cidr(sub.cidr)
                parsed[sub_name] = sub_cidr
                if sub_cidr.version != cidr.version or not sub_cidr.subnet_of(cidr):  # type: ignore[arg-type]
                    self.add(
                        (*base, "subnets", sub_name, "cidr"),
                        f"found subnet {sub.cidr} outside its network {net.cidr} "
                        f"(network {net_name}), expected a range inside {net.cidr}",
                    )
            if not self.disjoint(parsed.values()):
                self.overlapping(base, parsed)
            if net.nat is not None:
                self.ref((*base, "nat"), net.nat, "subnet", net.subnets)
            for i, peer in enumerate(net.peers):
                if peer == net_name:
                    self.add(
                        (*base, "peers", i),
                        f"found network {net_name!r} peering with itself, expected another network",
                    )
                else:
                    self.ref((*base, "peers", i), peer, "network", self.bp.networks)
            cloud = self.network_clouds[net_name]
            if cloud is None:
                self.add(
                    base,
                    f"found network {net_name!r} without a cloud in a blueprint of several "
                    "clouds, expected cloud: aws, azure or gcp",
                    at_key=True,
                )

    def overlapping(self, base: Path, parsed: dict[str, IPv4Network | IPv6Network]) -> None:
        """Each pair of one network's subnets that overlap, reported at the later one."""
        for (a, ca), (b, cb) in combinations(parsed.items(), 2):
            if ca.version == cb.version and ca.overlaps(cb):
                self.add(
                    (*base, "subnets", b, "cidr"),
                    f"found subnet {cb} overlapping {ca} (subnet {a}), "
                    "expected subnets that do not overlap",
                )

    def placement(
        self, path: Path, subnets: tuple[str, ...], cloud: Cloud | None = None, what: str = ""
    ) -> None:
        """Subnets exist and share one network; of the cloud `what` runs in, when it has one."""
        networks = set()
        for i, sub in enumerate(subnets):
            if self.ref((*path, i), sub, "subnet", self.subnets):
                networks.add(self.subnets[sub])
                net_cloud = self.network_clouds[self.subnets[sub]]
                if cloud is not None and net_cloud is not None and net_cloud != cloud:
                    self.add(
                        (*path, i),
                        f"found subnet {sub!r} of network {self.subnets[sub]!r} "
                        f"({net_cloud.value}) for {what}, expected a subnet of a network in "
                        f"{cloud.value}",
                    )
        if len(networks) > 1:
            self.add(
                path,
                f"found subnets of several networks ({', '.join(sorted(networks))}), "
                "expected the subnets of one network",
            )

    def ingress(self) -> None:
        targets = {**self.bp.services, **self.bp.ingress}
        for name, ing in self.bp.ingress.items():
            base = ("ingress", name)
            if isinstance(ing, LoadBalancer):
                self.placement((*base, "subnets"), ing.subnets)
                for port, svc in ing.forwards.items():
                    self.ref((*base, "forwards", port), svc, "service", self.bp.services)
                    self.served((*base, "forwards", port), svc)
            elif isinstance(ing, ApiGateway):
                for route, target in ing.routes.items():
                    if target == name:
                        self.add(
                            (*base, "routes", route),
                            f"found ingress {name!r} routing to itself, "
                            "expected a service or another ingress",
                        )
                    else:
                        self.served((*base, "routes", route), target)
                        self.ref(
                            (*base, "routes", route),
                            target,
                            "service or ingress",
                            targets,
                            plural="services or ingress",
                        )
                if ing.auth is not None:
                    self.kind(
                        (*base, "auth", "issuer"),
                        ing.auth.issuer,
                        {ResourceKind.USER_POOL},
                        "a JWT issuer",
                    )
            elif isinstance(ing, HttpIngress):
                for route, target in ing.routes.items():
                    self.ref((*base, "routes", route), target, "service", self.bp.services)
                    self.served((*base, "routes", route), target)

    def platform_limits(self, base: Path, w: Service | Job) -> None:
        """What a platform reserves or caps beyond the model's own bounds."""
        if w.platform is Platform.CLOUD_RUN:
            for section in ("env", "secrets"):
                for key in getattr(w, section):
                    if key in _CLOUD_RUN_RESERVED_ENV:
                        self.add(
                            (*base, section, key),
                            f"found {key}, which Cloud Run sets itself, expected another "
                            f"name (reserved: {', '.join(sorted(_CLOUD_RUN_RESERVED_ENV))})",
                            at_key=True,
                        )
        health = getattr(w, "health", None)
        if (
            w.platform is Platform.AZURE_CONTAINER_APPS
            and health is not None
            and health.interval_seconds > _CONTAINER_APPS_MAX_PROBE_PERIOD
        ):
            self.add(
                (*base, "health", "interval_seconds"),
                f"found {health.interval_seconds}, expected at most "
                f"{_CONTAINER_APPS_MAX_PROBE_PERIOD} on azure-container-apps (its probe cap)",
            )

    def workload(self, base: Path, name: str, w: Service | Job) -> None:
        """Everything a workload names. Each part first asks whether anything can be wrong
        (a known name of the right kind, ...): the full check, with its messages, runs only
        then (5,500 workloads at 5,000 services, nearly all of them right)."""
        if self.workload_fine(name, w):
            return
        platform = w.platform
        if not self.platform_fine(name, platform):
            self.platform(base, name, platform)
        image = w.image
        if image is not None and not image.is_external and not self.registry_fine(image.registry):
            self.kind(
                (*base, "image", "registry"),
                image.registry,
                {ResourceKind.REGISTRY},
                "an image registry",
            )
        runs_in = None if platform.cloud is Cloud.KUBERNETES else platform.cloud
        if not self.placed(w.subnets, runs_in):
            where = f"a workload on {platform.value}"
            self.placement((*base, "subnets"), w.subnets, runs_in, where)
        if w.secrets:
            self.secrets(base, w)
        self.platform_limits(base, w)
        self.calls(base, name, w)
        self.uses(base, w)
        if w.env:
            self.env_outputs(base, name, w)

    def platform(self, base: Path, name: str, platform: Platform) -> None:
        """The platform's settings are declared, and the name fits the platform's names."""
        cloud = platform.cloud.value
        if self.platform_settings[platform] is None:
            self.add(
                (*base, "platform"),
                f"found platform {platform.value!r} without platforms.{cloud}, expected its "
                f"settings under platforms.{cloud} ({_SETTINGS_HINT[cloud]})",
            )
        limit = PLATFORM_NAME_LIMIT[platform]
        if len(name) > limit:
            self.add(
                base,
                f"found the name {name!r} of {len(name)} characters, expected at most {limit} "
                f"on platform {platform.value} (its resource names derive from it)",
                at_key=True,
            )

    # -- whether a check has nothing to say, asked before it runs ------------------------------
    # tests/blueprint/test_load_fast_paths.py answers each with False: the same problems.

    def workload_fine(self, name: str, w: Service | Job) -> bool:
        """Whether `workload` has nothing to say at all, asked in one go with the tables at
        hand (one call per workload instead of eight): a doubt answers False, and each part
        is then asked again, with its messages."""
        platform = w.platform
        if (
            w.secrets
            or len(name) > PLATFORM_NAME_LIMIT[platform]
            or self.platform_settings[platform] is None
            or (platform in _LIMITING_PLATFORMS and not _within_platform_limits(w))
        ):
            return False
        resources = self.declared_resources
        image = w.image
        if image is not None and not image.is_external:
            registry = resources.get(image.registry)
            if registry is None or registry.kind is not _REGISTRY:
                return False
        if w.subnets and not self.placed(w.subnets, _RUNS_IN[platform]):
            return False
        services = self.declared_services
        for call in w.calls:
            callee_name = call.service
            callee = services.get(callee_name)
            if callee is None or callee.port is None or call.port is not None:
                return False
            if callee_name == name:
                return False
        for use in w.uses:
            resource = resources.get(use.resource)
            if resource is None or use.access not in _ALLOWED_ACCESS[resource.kind]:
                return False
        for value in w.env.values():  # noqa: SIM110 - all() of a generator costs more per workload
            if not isinstance(value, str):
                return False  # a resource output
        return True

    def names_unique(self) -> bool:
        """Whether `unique_names` has nothing to say: as many distinct names as entries."""
        bp = self.bp
        names: list[Collection[str]] = [bp.services, bp.jobs, bp.resources, bp.ingress]
        subnets: list[Collection[str]] = [net.subnets for net in bp.networks.values()]
        return all(
            len(set().union(*group)) == sum(len(part) for part in group)
            for group in (names, subnets)
        )

    def disjoint(self, cidrs: Iterable[IPv4Network | IPv6Network]) -> bool:
        """Whether no two of `cidrs` of one IP version overlap, in one pass: sorted by their
        first address, each must start after every earlier one ends."""
        ends: dict[int, int] = {}
        for cidr in sorted(cidrs, key=lambda c: (c.version, int(c.network_address))):
            if int(cidr.network_address) <= ends.get(cidr.version, -1):
                return False
            end = int(cidr.broadcast_address)
            ends[cidr.version] = max(end, ends.get(cidr.version, -1))
        return True

    def platform_fine(self, name: str, platform: Platform) -> bool:
        return (
            self.platform_settings[platform] is not None
            and len(name) <= PLATFORM_NAME_LIMIT[platform]
        )

    def registry_fine(self, registry: str) -> bool:
        resource = self.bp.resources.get(registry)
        return resource is not None and resource.kind is ResourceKind.REGISTRY

    def use_fine(self, use: Use) -> bool:
        resource = self.bp.resources.get(use.resource)
        return resource is not None and use.access in _ALLOWED_ACCESS[resource.kind]

    def call_fine(self, caller: str, call: Call) -> bool:
        """A known service, not the caller itself, on the port it serves."""
        callee = self.bp.services.get(call.service)
        return (
            callee is not None
            and call.service != caller
            and call.port is None
            and callee.port is not None
        )

    def placed(self, subnets: tuple[str, ...], cloud: Cloud | None) -> bool:
        """Whether `placement` has nothing to say: known subnets of one network, in `cloud`
        when there is one."""
        network = None
        for sub in subnets:
            of_sub = self.subnets.get(sub)
            if of_sub is None or (network is not None and of_sub != network):
                return False  # unknown, or a second network
            network = of_sub
        if cloud is None or network is None:
            return True
        net_cloud = self.network_clouds[network]
        return net_cloud is None or net_cloud == cloud

    def secrets(self, base: Path, w: Service | Job) -> None:
        for key, ref in w.secrets.items():
            self.kind(
                (*base, "secrets", key, "store"),
                ref.store,
                {ResourceKind.SECRET_STORE},
                "a secret reference",
            )
            if key in w.env:
                self.add(
                    (*base, "secrets", key),
                    f"found {key} in both env and secrets, expected it in one of them "
                    "(secrets, if it is sensitive)",
                    at_key=True,
                )
            store = self.bp.resources.get(ref.store)
            if (
                store is not None
                and store.kind is ResourceKind.SECRET_STORE
                and self.resource_clouds[ref.store] is Cloud.AZURE
                and not _KEY_VAULT_SECRET_NAME.match(ref.key)
            ):
                self.add(
                    (*base, "secrets", key, "key"),
                    f"found secret key {ref.key!r} in Key Vault {ref.store!r}, expected a Key "
                    "Vault secret name (letters, digits and '-')",
                )

    def uses(self, base: Path, w: Service | Job) -> None:
        resources = self.bp.resources
        for i, use in enumerate(w.uses):
            if self.use_fine(use):
                continue
            path = (*base, "uses", i)
            if self.ref((*path, "resource"), use.resource, "resource", resources):
                kind = resources[use.resource].kind
                allowed = _ALLOWED_ACCESS[kind]
                if use.access not in allowed:
                    self.add(
                        (*path, "access"),
                        f"found access {use.access.value!r} on "
                        f"{kind.value} {use.resource!r}, expected one of "
                        f"{one_of(a.value for a in allowed)}",
                    )

    def env_outputs(self, base: Path, name: str, w: Service | Job) -> None:
        wiring = w.env_outputs
        used = {use.resource for use in w.uses} if wiring else set()
        for key, wired in wiring.items():
            path = (*base, "env", key)
            if not self.ref((*path, "resource"), wired.resource, "resource", self.bp.resources):
                continue
            kind = self.bp.resources[wired.resource].kind
            offered = KIND_OUTPUTS.get(kind, frozenset())
            if wired.output not in offered:
                expected = f"one of {one_of(o.value for o in offered)}" if offered else "none"
                self.add(
                    (*path, "output"),
                    f"found output {wired.output.value!r} for {kind.value} "
                    f"{wired.resource!r}, expected {expected}",
                )
            if wired.resource not in used:
                self.add(
                    (*path, "resource"),
                    f"found env {key} from resource {wired.resource!r}, which {name!r} does "
                    f"not use; expected a uses entry for {wired.resource!r}",
                )

    def calls(self, base: Path, name: str, w: Service | Job) -> None:
        for i, call in enumerate(w.calls):
            if self.call_fine(name, call):
                continue
            if call.service == name:
                self.add(
                    (*base, "calls", i, "service"),
                    f"found {name!r} calling itself, expected a call to another service",
                )
                continue
            if self.ref((*base, "calls", i, "service"), call.service, "service", self.bp.services):
                self.call_port(base, i, call)

    def call_port(self, base: Path, index: int, call: Call) -> None:
        """A call arrives on a port its callee serves: a named one it declares, or its port."""
        callee = self.bp.services[call.service]
        if call.port is not None and callee.named_port(call.port) is None:
            names = [p.name for p in callee.ports]
            self.add(
                (*base, "calls", index, "port"),
                f"found port {call.port!r}, which service {call.service!r} does not declare; "
                f"expected one of its ports ({', '.join(names) or 'it names none'})",
            )
        elif call.port is None and callee.port is None:
            self.add(
                (*base, "calls", index, "service"),
                f"found a call to {call.service!r}, which serves no port; expected a service "
                "with a port",
            )

    def served(self, path: Path, target: str) -> None:
        """An ingress forwards only to a service that serves a port."""
        svc = self.bp.services.get(target)
        if svc is not None and svc.port is None:
            self.add(
                path,
                f"found ingress to {target!r}, which serves no port; expected a service with "
                "a port",
            )

    def job(self, base: Path, job: Job) -> None:
        trig = job.trigger
        if isinstance(trig, TopicTrigger):
            self.kind(
                (*base, "trigger", "topic"),
                trig.topic,
                {ResourceKind.TOPIC, ResourceKind.QUEUE},
                "a topic trigger",
            )
        elif isinstance(trig, EventTrigger):
            self.kind(
                (*base, "trigger", "resource"),
                trig.resource,
                {ResourceKind.BUCKET},
                "an object event trigger",
            )
        for i, write in enumerate(job.writes):
            path = (*base, "writes", i)
            self.kind(
                (*path, "resource"),
                write.resource,
                {ResourceKind.DATABASE, ResourceKind.BUCKET},
                "a write",
            )
            res = self.bp.resources.get(write.resource)
            if write.table is not None and res is not None and write.table not in res.tables:
                self.ref((*path, "table"), write.table, "table", res.tables)
        if job.buffer is not None:
            self.kind(
                (*base, "buffer"),
                job.buffer,
                {ResourceKind.QUEUE, ResourceKind.TOPIC},
                "a write buffer",
            )

    def resources(self) -> None:
        for name, res in self.bp.resources.items():
            base = ("resources", name)
            cloud = self.resource_clouds[name]
            self.placement(
                (*base, "subnets"),
                res.subnets,
                None if cloud is Cloud.KUBERNETES else cloud,
                f"a resource in {cloud.value}" if cloud is not None else "",
            )
            if res.broker is not None:
                self.kind((*base, "broker"), res.broker, {ResourceKind.BROKER}, "a topic's broker")
            if cloud is None:
                self.add(
                    base,
                    f"found resource {name!r} without a cloud in a blueprint of several "
                    "clouds, expected cloud: aws, azure, gcp or kubernetes",
                    at_key=True,
                )

    def grant(self, path: Path, grant_resource: str, access: object) -> None:
        if grant_resource == WILDCARD:
            return
        workloads = self.workloads
        if grant_resource in workloads:
            if access not in WORKLOAD_ACCESS:
                self.add(
                    (*path, "access"),
                    f"found access {getattr(access, 'value', access)!r} "
                    f"on workload {grant_resource!r}, expected one of "
                    f"{one_of(a.value for a in WORKLOAD_ACCESS)}",
                )
            return
        if not self.ref((*path, "resource"), grant_resource, "resource", self.grantable):
            return
        kind = self.bp.resources[grant_resource].kind
        allowed = _ALLOWED_ACCESS[kind]
        if access not in allowed:
            self.add(
                (*path, "access"),
                f"found access {getattr(access, 'value', access)!r} on "
                f"{kind.value} {grant_resource!r}, expected one of "
                f"{one_of(a.value for a in allowed)}",
            )

    def identity(self) -> None:
        ident = self.bp.identity
        for name, scope in ident.scopes.items():
            for i, g in enumerate(scope.grants):
                self.grant(("identity", "scopes", name, "grants", i), g.resource, g.access)
        workload_owner: dict[str, str] = {}
        roots = [n for n, p in ident.principals.items() if p.kind == "root"]
        for extra in roots[1:]:
            self.add(
                ("identity", "principals", extra, "kind"),
                f"found a second root principal {extra!r}, expected one root account "
                f"(the first is {roots[0]!r})",
            )
        for name, p in ident.principals.items():
            base = ("identity", "principals", name)
            for i, scope_name in enumerate(p.scopes):
                self.ref((*base, "scopes", i), scope_name, "scope", ident.scopes)
            for i, g in enumerate(p.grants):
                self.grant((*base, "grants", i), g.resource, g.access)
            for i, other in enumerate(p.can_assume):
                if other == name:
                    self.add(
                        (*base, "can_assume", i),
                        f"found principal {name!r} assuming itself, expected another principal",
                    )
                else:
                    self.ref((*base, "can_assume", i), other, "principal", ident.principals)
            if p.workload is not None and self.ref(
                (*base, "workload"), p.workload, "workload", self.workloads
            ):
                if p.workload in workload_owner:
                    self.add(
                        (*base, "workload"),
                        f"found a second service principal for workload {p.workload!r} "
                        f"(the first is {workload_owner[p.workload]!r}), expected one",
                    )
                workload_owner[p.workload] = name

    def environments(self) -> None:
        for env_name, env in self.bp.environments.items():
            for section, workloads in (("services", self.bp.services), ("jobs", self.bp.jobs)):
                overrides = getattr(env, section)
                for name, override in overrides.items():
                    path = ("environments", env_name, section, name)
                    what = section[:-1]
                    if not self.ref(path, name, what, workloads):
                        continue
                    pins = [k for k in ("tag", "digest") if getattr(override, k) is not None]
                    if pins and workloads[name].image is None:
                        self.add(
                            (*path, pins[0]),
                            f"found an image {pins[0]} override for {section}.{name}, which "
                            "has no image; expected overrides of what the workload declares",
                            at_key=True,
                        )

        for env_name, env in self.bp.environments.items():
            for name in env.resources:
                path = ("environments", env_name, "resources", name)
                self.kind(path, name, {ResourceKind.DATABASE}, "database settings")

    def overrides(self) -> None:
        self._override_names()
        self._override_targets()

    def _override_names(self) -> None:
        """Override files named like a file blueprint writes, and workloads that do not exist."""
        overrides = self.bp.overrides
        kubernetes = overrides.kubernetes
        terraform = overrides.terraform
        for name in kubernetes.workloads if kubernetes else ():
            self.ref(
                ("overrides", "kubernetes", "workloads", name), name, "workload", self.workloads
            )
        for cloud in ("aws", "gcp"):
            files = getattr(terraform, cloud) if terraform is not None else None
            for file_name in files.files if files is not None else ():
                if file_name in TERRAFORM_FILES[cloud]:
                    self.add(
                        ("overrides", "terraform", cloud, "files", file_name),
                        f"found {file_name!r}, a file blueprint renders into {cloud}/terraform/; "
                        "expected another name (a file named *_override.tf merges into the "
                        "rendered ones)",
                        at_key=True,
                    )
        bicep = overrides.bicep
        for file_name in bicep.modules if bicep is not None else ():
            # main.bicep and modules/ are what the azure generator writes itself.
            if file_name == "main.bicep" or file_name.startswith("modules/"):
                self.add(
                    ("overrides", "bicep", "modules", file_name),
                    f"found {file_name!r}, "
                    + (
                        "the file blueprint renders into azure/bicep/"
                        if file_name == "main.bicep"
                        else "in azure/bicep/modules/, where blueprint writes its own modules"
                    )
                    + "; expected another name",
                    at_key=True,
                )

    def _override_targets(self) -> None:
        """An override for a cloud the blueprint does not declare, or for a folder it does not
        render, would render nowhere."""
        overrides = self.bp.overrides
        terraform = overrides.terraform
        # Read only for a Terraform or CloudFormation override (a scan of every workload).
        roots = (
            {root.path for root in iac_roots_of(self.bp)}
            if terraform is not None or overrides.cloudformation is not None
            else set()
        )
        for path, cloud, present in (
            (("terraform", "aws"), "aws", terraform is not None and terraform.aws is not None),
            (("terraform", "gcp"), "gcp", terraform is not None and terraform.gcp is not None),
            (("cloudformation",), "aws", overrides.cloudformation is not None),
            (("bicep",), "azure", overrides.bicep is not None),
        ):
            if present and getattr(self.bp.platforms, cloud) is None:
                self.add(
                    ("overrides", *path),
                    f"found overrides for {cloud}, which the blueprint does not declare; "
                    f"expected platforms.{cloud} ({_SETTINGS_HINT[cloud]})",
                    at_key=True,
                )
            elif present and path[0] != "bicep" and f"{cloud}/{path[0]}" not in roots:
                self.add(
                    ("overrides", *path),
                    f"found overrides for {cloud}/{path[0]}/, which this blueprint does not "
                    "render; expected "
                    + (
                        "a service on cloud-run"
                        if cloud == "gcp"
                        else f"something on aws and {path[0]} in platforms.aws.formats"
                    ),
                    at_key=True,
                )


def check_references(bp: Blueprint, unknown_ok: Collection[str] = frozenset()) -> list[Problem]:
    return _Checker(bp, unknown_ok).run()
