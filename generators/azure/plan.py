"""What the Bicep template declares, worked out from the blueprint before any text is written.

The template only lays these records out; every decision (names, network placement, which role
on which resource, which checkov check cannot apply and why) is made here, where it is typed and
unit-tested.
"""

from __future__ import annotations

from blueprint.model import (
    Blueprint,
    Cloud,
    EventTrigger,
    Job,
    Platform,
    Resource,
    ResourceKind,
    Service,
    TopicTrigger,
)
from generators.azure import roles
from generators.azure.naming import global_prefix, local_name, secret_name, symbol
from generators.azure.records import (
    Access,
    AppSetting,
    BlobContainer,
    ContainerApp,
    ContainerEnvironment,
    Cosmos,
    CosmosContainer,
    CosmosRoleAssignment,
    DnsZone,
    EnvVar,
    EventSubscription,
    FunctionApp,
    Identity,
    Image,
    NetworkPlan,
    Ocr,
    Plan,
    PrivateEndpoint,
    Queue,
    Registry,
    RoleAssignment,
    SecretReference,
    Skip,
    StorageAccount,
    SubnetPlan,
    SystemTopic,
    Vault,
)

AZURE_PLATFORMS = frozenset({Platform.AZURE_CONTAINER_APPS, Platform.AZURE_FUNCTIONS})
APP_DELEGATION = "Microsoft.App/environments"  # Container Apps and Flex Consumption subnets

# Flex Consumption instance sizes (MB) and the Python versions it supports.
FLEX_INSTANCE_MEMORY = (512, 2048, 4096)
FLEX_RUNTIMES = {"python": "python", "node": "node", "dotnet": "dotnet-isolated", "java": "java"}
DEFAULT_FUNCTION_RUNTIME = ("python", "3.11")
CONTAINER_APPS_MAX_PROBE_SECONDS = 240
EVENT_GRID_MAX_DELIVERY_ATTEMPTS = 30

# The checks that ask for the public endpoint to be off (or default-deny), per private-link kind.
PUBLIC_ENDPOINT_CHECKS = {
    "vault": ("CKV_AZURE_189", "CKV_AZURE_109"),
    "blob": ("CKV_AZURE_59", "CKV_AZURE_35"),
    "cosmos": ("CKV_AZURE_101", "CKV_AZURE_99"),
    "cognitive": ("CKV_AZURE_134",),
    "registry": ("CKV_AZURE_139",),
}

# kind -> (private endpoint group id, private DNS zone)
PRIVATE_LINK = {
    "vault": ("vault", "privatelink.vaultcore.azure.net"),
    "blob": ("blob", "privatelink.blob.core.windows.net"),
    "queue": ("queue", "privatelink.queue.core.windows.net"),
    "cosmos": ("Sql", "privatelink.documents.azure.com"),
    "cognitive": ("account", "privatelink.cognitiveservices.azure.com"),
    "registry": ("registry", "privatelink.azurecr.io"),
}


class AzurePlanError(ValueError):
    """The blueprint asks for something this generator cannot render faithfully."""


def azure_workloads(bp: Blueprint) -> dict[str, Service | Job]:
    return {n: w for n, w in bp.workloads().items() if w.platform in AZURE_PLATFORMS}


def azure_resources(bp: Blueprint) -> dict[str, Resource]:
    return {n: r for n, r in bp.resources.items() if bp.resource_cloud(n) is Cloud.AZURE}


def applies_to(bp: Blueprint) -> bool:
    return bool(azure_workloads(bp)) or any(
        r.kind in _RENDERED_KINDS for r in azure_resources(bp).values()
    )


_RENDERED_KINDS = frozenset(
    {
        ResourceKind.REGISTRY,
        ResourceKind.SECRET_STORE,
        ResourceKind.BUCKET,
        ResourceKind.QUEUE,
        ResourceKind.DATABASE,
        ResourceKind.OCR,
    }
)

DATA_ACCOUNT = "data"


def build_plan(bp: Blueprint) -> Plan:
    return _Planner(bp).build()


class _Planner:
    def __init__(self, bp: Blueprint) -> None:
        settings = bp.platforms.azure
        self.bp = bp
        self.plan = Plan(
            name=bp.name,
            description=bp.description,
            location=settings.location if settings else "westeurope",
            resource_group=(settings.resource_group if settings else None) or f"rg-{bp.name}",
        )
        self.workloads = azure_workloads(bp)
        self.resources = {n: r for n, r in azure_resources(bp).items() if r.kind in _RENDERED_KINDS}
        self.delegated = self._delegated_subnets()
        self.resource_symbols: dict[str, str] = {}
        self.zone_symbols: dict[str, str] = {}
        self.queue_symbols: dict[str, str] = {}
        self.container_symbols: dict[str, str] = {}
        self.cosmos_by_resource: dict[str, Cosmos] = {}
        self.deps: dict[str, list[str]] = {}

    # -- networks ---------------------------------------------------------------------------

    def _delegated_subnets(self) -> dict[str, str]:
        """Subnet -> the workload platform it is delegated to (one environment or Flex app)."""
        delegated: dict[str, str] = {}
        for name, w in self.workloads.items():
            for subnet in w.subnets[:1]:
                delegated.setdefault(subnet, name)
        for name, r in self.resources.items():
            for subnet in r.subnets:
                if subnet in delegated:
                    raise AzurePlanError(
                        f"resource {name!r} puts a private endpoint in subnet {subnet!r}, which "
                        f"is delegated to {APP_DELEGATION} for workload {delegated[subnet]!r}; "
                        "declare a separate subnet for private endpoints"
                    )
        return delegated

    def _networks(self) -> None:
        used = set(self.delegated)
        for r in self.resources.values():
            used.update(r.subnets)
        public_env_subnets = self._public_environment_sources()
        for net_name, net in self.bp.networks.items():
            if self.bp.network_cloud(net_name) is not Cloud.AZURE:
                continue
            subnets = tuple(
                SubnetPlan(
                    symbol=symbol("snet", s_name),
                    name=s_name,
                    cidr=s.cidr,
                    delegated=s_name in self.delegated,
                    nsg_symbol=symbol("nsg", s_name),
                    nsg_name=local_name("nsg", s_name, 80),
                    https_sources=public_env_subnets.get(s_name, ()),
                )
                for s_name, s in net.subnets.items()
            )
            self.plan.networks.append(
                NetworkPlan(
                    symbol("vnet", net_name), local_name("vnet", net_name, 64), net.cidr, subnets
                )
            )

    def _public_environment_sources(self) -> dict[str, tuple[str, ...]]:
        sources: dict[str, tuple[str, ...]] = {}
        for name, w in self.workloads.items():
            if (
                isinstance(w, Service)
                and w.platform is Platform.AZURE_CONTAINER_APPS
                and w.subnets
                and self.bp.is_public(name)
            ):
                allowed = self._ip_allow(name, w) or ("Internet",)
                merged = tuple(sorted(set(sources.get(w.subnets[0], ())) | set(allowed)))
                sources[w.subnets[0]] = merged
        return sources

    def _ip_allow(self, name: str, service: Service) -> tuple[str, ...]:
        cidrs = {rule.cidr for rule in service.allow_from}
        for ingress in self.bp.ingress_to(name):
            cidrs.update(rule.cidr for rule in self.bp.ingress[ingress].allow_from)
        return tuple(sorted(cidrs))

    def _subnet_symbol(self, subnet: str) -> str:
        if self.bp.subnet_network(subnet) is None:
            raise AzurePlanError(f"subnet {subnet!r} is in no network")
        return symbol("snet", subnet)

    def _access(
        self,
        resource_symbol: str,
        kind: str,
        subnets: tuple[str, ...],
        what: str,
        trusted_services: bool = False,
    ) -> Access:
        if not subnets:
            reason = (
                f"the blueprint places {what} in no subnet, so it keeps its public endpoint; "
                "data access still needs Entra ID and RBAC (local auth is off)"
            )
            return Access(
                private=False,
                skips=tuple(Skip(check, reason) for check in PUBLIC_ENDPOINT_CHECKS[kind]),
            )
        subnet = subnets[0]
        group, zone = PRIVATE_LINK[kind]
        zone_symbol = self._zone(zone)
        self.plan.private_endpoints.append(
            PrivateEndpoint(
                symbol=symbol("pe", resource_symbol, group.lower()),
                name=local_name("pe", f"{resource_symbol.replace('_', '-')}-{group.lower()}", 80),
                subnet_symbol=self._subnet_symbol(subnet),
                target_symbol=resource_symbol,
                group_id=group,
                zone_symbol=zone_symbol,
            )
        )
        return Access(private=True, trusted_services=trusted_services)

    def _zone(self, zone: str) -> str:
        if zone not in self.zone_symbols:
            self.zone_symbols[zone] = symbol("dns", zone.replace(".", "_"))
        return self.zone_symbols[zone]

    def _dns_zones(self) -> None:
        for zone, zone_symbol in sorted(self.zone_symbols.items()):
            links = tuple(
                (symbol(zone_symbol, n.symbol), n.name, n.symbol) for n in self.plan.networks
            )
            self.plan.dns_zones.append(DnsZone(zone_symbol, zone, links))

    # -- resources --------------------------------------------------------------------------

    def _resources(self) -> None:
        buckets: list[BlobContainer] = []
        queues: list[Queue] = []
        data_subnets: tuple[str, ...] = ()
        for name, r in self.resources.items():
            if r.kind is ResourceKind.REGISTRY:
                sym = symbol("cr", name)
                self.resource_symbols[name] = sym
                access = self._access(sym, "registry", r.subnets, f"registry {name!r}")
                self.plan.registries.append(
                    Registry(
                        sym,
                        name,
                        global_prefix("cr", name, 50, hyphens=False),
                        r.description,
                        access,
                        self._registry_skips(name),
                    )
                )
            elif r.kind is ResourceKind.SECRET_STORE:
                sym = symbol("kv", name)
                self.resource_symbols[name] = sym
                access = self._access(sym, "vault", r.subnets, f"Key Vault {name!r}")
                self.plan.vaults.append(
                    Vault(
                        sym,
                        name,
                        global_prefix("kv", name, 24, hyphens=False),
                        r.description,
                        access,
                    )
                )
            elif r.kind is ResourceKind.DATABASE:
                sym = symbol("cosmos", name)
                self.resource_symbols[name] = sym
                access = self._access(sym, "cosmos", r.subnets, f"Cosmos DB account {name!r}")
                db = symbol("cosmos", name, "db")
                cosmos = Cosmos(
                    sym,
                    name,
                    global_prefix("cosmos", name, 44, hyphens=True),
                    r.description,
                    access,
                    db,
                    tuple(CosmosContainer(symbol("cosmos", name, t), t) for t in r.tables),
                )
                self.cosmos_by_resource[name] = cosmos
                self.plan.cosmos_accounts.append(cosmos)
            elif r.kind is ResourceKind.OCR:
                sym = symbol("cog", name)
                self.resource_symbols[name] = sym
                access = self._access(sym, "cognitive", r.subnets, f"OCR account {name!r}")
                self.plan.ocr_accounts.append(
                    Ocr(
                        sym,
                        name,
                        global_prefix("cog", name, 64, hyphens=True),
                        r.description,
                        access,
                    )
                )
            elif r.kind is ResourceKind.BUCKET:
                sym = symbol("blob", name)
                self.resource_symbols[name] = sym
                buckets.append(BlobContainer(sym, name, r.description))
                data_subnets = data_subnets or r.subnets
            elif r.kind is ResourceKind.QUEUE:
                sym = symbol("queue", name)
                self.resource_symbols[name] = sym
                queues.append(Queue(sym, name, r.description))
                data_subnets = data_subnets or r.subnets
        queues.extend(self._event_queues())
        if buckets or queues:
            sym = symbol("st", DATA_ACCOUNT)
            events = bool(self._event_jobs())
            access = self._storage_access(
                sym,
                data_subnets,
                "the blob containers and queues",
                with_queues=bool(queues),
                trusted_services=events,
            )
            self.plan.storage_accounts.append(
                StorageAccount(
                    sym,
                    global_prefix("st", self.bp.name, 24, hyphens=False),
                    "blob containers and queues",
                    access,
                    tuple(buckets),
                    tuple(queues),
                )
            )

    def _storage_access(
        self,
        sym: str,
        subnets: tuple[str, ...],
        what: str,
        *,
        with_queues: bool,
        trusted_services: bool,
    ) -> Access:
        access = self._access(
            sym, "blob", subnets, f"the storage account holding {what}", trusted_services
        )
        if access.private and with_queues:
            self._access(sym, "queue", subnets, what, trusted_services)
        if access.private and trusted_services:
            reason = (
                "Event Grid delivers blob events into this account's queues as a trusted Azure "
                "service, which needs the public endpoint enabled behind the default-deny "
                "firewall; workloads reach the account through its private endpoints"
            )
            return Access(True, True, (Skip("CKV_AZURE_59", reason),))
        return access

    @staticmethod
    def _registry_skips(name: str) -> tuple[Skip, ...]:
        return (
            Skip(
                "CKV_AZURE_166",
                "quarantine holds every pushed image until an external "
                f"scanner releases it, and no scanner is declared for {name}",
            ),
        )

    def _event_jobs(self) -> dict[str, tuple[Job, EventTrigger]]:
        found: dict[str, tuple[Job, EventTrigger]] = {}
        for name, w in self.workloads.items():
            if isinstance(w, Job) and isinstance(w.trigger, EventTrigger):
                target = self.resources.get(w.trigger.resource)
                if target is None or target.kind is not ResourceKind.BUCKET:
                    raise AzurePlanError(
                        f"job {name!r} is triggered by events of {w.trigger.resource!r}, "
                        "which is not an Azure bucket (blob container)"
                    )
                found[name] = (w, w.trigger)
        return found

    def _event_queues(self) -> list[Queue]:
        queues = []
        for name in self._event_jobs():
            sym = symbol("queue", name, "events")
            self.queue_symbols[name] = sym
            queues.append(Queue(sym, f"{name}-events", None))
        return queues

    # -- identities and roles ---------------------------------------------------------------

    def _identity(self, name: str, description: str | None) -> str:
        sym = symbol("id", name)
        self.plan.identities.append(Identity(sym, local_name("id", name, 128), description))
        return sym

    def _assign(self, workload: str, identity: str, scope: str, role: roles.Role, why: str) -> str:
        """Grant `role` on the one resource whose Bicep symbol is `scope`."""
        if role.plane is roles.RolePlane.COSMOS_SQL:
            cosmos = next(c for c in self.plan.cosmos_accounts if c.symbol == scope)
            sym = symbol("sqlra", workload, scope, _role_key(role))
            self.plan.cosmos_role_assignments.append(
                CosmosRoleAssignment(
                    sym, cosmos.symbol, cosmos.database_symbol, identity, role, why
                )
            )
        else:
            sym = symbol("ra", workload, scope, _role_key(role))
            self.plan.role_assignments.append(RoleAssignment(sym, scope, identity, role, why))
        self.deps.setdefault(workload, []).append(sym)
        return sym

    def _grants(self, name: str, identity: str) -> None:
        for grant in self.bp.workload_grants(name):
            if grant.is_wildcard:
                raise AzurePlanError(
                    f"workload {name!r} holds a wildcard grant ({grant.resource}:"
                    f"{grant.access.value}); the Azure generator renders only named grants"
                )
            if grant.resource in self.bp.workloads():
                continue  # calls between apps are network reachability, not RBAC
            if grant.resource not in self.resources:
                raise AzurePlanError(
                    f"workload {name!r} is granted {grant.access.value!r} on "
                    f"{grant.resource!r}, which this Azure template does not declare"
                )
            kind = self.resources[grant.resource].kind
            try:
                role = roles.role_for(kind, grant.access)
            except roles.UnsupportedGrantError as exc:
                raise AzurePlanError(f"workload {name!r}: {exc}") from None
            self._assign(
                name,
                identity,
                self.resource_symbols[grant.resource],
                role,
                f"{name} {grant.access.value} {grant.resource} (declared)",
            )

    def _image(self, name: str, w: Service | Job, identity: str) -> Image:
        if w.image is None:
            raise AzurePlanError(f"container app {name!r} needs an image")
        ref = w.image.repository + (f"@{w.image.digest}" if w.image.digest else f":{w.image.tag}")
        if w.image.is_external:
            return Image(None, f"{w.image.registry}/{ref}")
        registry = self.resources.get(w.image.registry)
        if registry is None or registry.kind is not ResourceKind.REGISTRY:
            raise AzurePlanError(
                f"workload {name!r} pulls from {w.image.registry!r}, which is not an Azure "
                "registry in this blueprint"
            )
        self._assign(
            name,
            identity,
            self.resource_symbols[w.image.registry],
            roles.IMAGE_PULL,
            f"{name} pulls its image from {w.image.registry}",
        )
        return Image(self.resource_symbols[w.image.registry], ref)

    # -- workloads --------------------------------------------------------------------------

    def _secrets(self, w: Service | Job) -> tuple[list[SecretReference], list[EnvVar]]:
        refs: list[SecretReference] = []
        env: list[EnvVar] = []
        taken: set[str] = set()
        for env_name, ref in w.secrets.items():
            store = self.resources.get(ref.store)
            if store is None or store.kind is not ResourceKind.SECRET_STORE:
                raise AzurePlanError(
                    f"secret {env_name!r} is read from {ref.store!r}, which is not an Azure "
                    "Key Vault in this blueprint"
                )
            base = secret_name(env_name)
            secret = base
            n = 2
            while secret in taken:
                secret = f"{base}-{n}"
                n += 1
            taken.add(secret)
            refs.append(
                SecretReference(secret, env_name, self.resource_symbols[ref.store], ref.key)
            )
            env.append(EnvVar(env_name, secret=secret))
        return refs, env

    def _environments(self) -> dict[str, ContainerEnvironment]:
        by_subnet: dict[str | None, list[str]] = {}
        for name, w in self.workloads.items():
            if w.platform is Platform.AZURE_CONTAINER_APPS:
                if isinstance(w, Job):
                    raise AzurePlanError(
                        f"job {name!r}: Container Apps jobs are not rendered yet; run it on "
                        "azure-functions"
                    )
                by_subnet.setdefault(w.subnets[0] if w.subnets else None, []).append(name)
        envs: dict[str, ContainerEnvironment] = {}
        for subnet, names in by_subnet.items():
            label = subnet or self.bp.name
            env = ContainerEnvironment(
                symbol=symbol("cae", label),
                name=local_name("cae", label, 60),
                subnet_symbol=self._subnet_symbol(subnet) if subnet else None,
                internal=subnet is not None and not any(self.bp.is_public(n) for n in names),
                diagnostics_symbol=symbol("cae", label, "diagnostics"),
            )
            self.plan.environments.append(env)
            for n in names:
                envs[n] = env
        return envs

    def _container_apps(self) -> None:
        envs = self._environments()
        for name, w in self.workloads.items():
            if w.platform is not Platform.AZURE_CONTAINER_APPS or not isinstance(w, Service):
                continue
            identity = self._identity(name, w.description)
            image = self._image(name, w, identity)
            self._grants(name, identity)
            refs, secret_env = self._secrets(w)
            env = [EnvVar(k, value=v) for k, v in w.env.items()] + secret_env
            if "AZURE_CLIENT_ID" not in w.env and "AZURE_CLIENT_ID" not in w.secrets:
                env.append(EnvVar("AZURE_CLIENT_ID"))  # the identity DefaultAzureCredential uses
            scaling = w.scaling
            probe = w.health
            self.plan.container_apps.append(
                ContainerApp(
                    symbol=symbol("ca", name),
                    name=name,
                    workload=name,
                    description=w.description,
                    identity=identity,
                    environment=envs[name].symbol,
                    image=image,
                    cpu=f"{w.cpu:g}",
                    memory=f"{w.memory / 1024:g}Gi",
                    port=w.port,
                    external=self.bp.is_public(name),
                    ip_allow=self._ip_allow(name, w) if self.bp.is_public(name) else (),
                    min_replicas=scaling.min if scaling else w.replicas,
                    max_replicas=scaling.max if scaling else max(w.replicas, 1),
                    concurrency=w.concurrency,
                    cpu_target_percent=scaling.cpu_target_percent if scaling else None,
                    health_path=probe.path if probe else None,
                    health_port=(probe.port or w.port) if probe else w.port,
                    probe_period=min(
                        probe.interval_seconds if probe else 30, CONTAINER_APPS_MAX_PROBE_SECONDS
                    ),
                    probe_timeout=min(
                        probe.timeout_seconds if probe else 5, CONTAINER_APPS_MAX_PROBE_SECONDS
                    ),
                    env=tuple(env),
                    secrets=tuple(refs),
                    depends_on=tuple(self.deps.get(name, ())),
                )
            )

    def _function_apps(self) -> None:
        events = self._event_jobs()
        for name, w in self.workloads.items():
            if w.platform is not Platform.AZURE_FUNCTIONS:
                continue
            identity = self._identity(name, w.description)
            self._grants(name, identity)
            host = self._host_storage(name, w)
            self._assign(
                name,
                identity,
                host.symbol,
                roles.FUNCTIONS_HOST_STORAGE,
                f"{name} runs its Functions host on its own storage account",
            )
            insights = symbol("appi", name)
            self._assign(
                name,
                identity,
                insights,
                roles.TELEMETRY_PUBLISHER,
                f"{name} sends telemetry with Entra ID authentication",
            )
            settings = [
                AppSetting("AzureWebJobsStorage__accountName", expression=f"{host.symbol}.name"),
                AppSetting("AzureWebJobsStorage__credential", value="managedidentity"),
                AppSetting(
                    "AzureWebJobsStorage__clientId", expression=f"{identity}.properties.clientId"
                ),
                AppSetting(
                    "APPLICATIONINSIGHTS_CONNECTION_STRING",
                    expression=f"{insights}.properties.ConnectionString",
                ),
                AppSetting(
                    "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
                    expression=f"'ClientId=${{{identity}.properties.clientId}};Authorization=AAD'",
                ),
            ]
            if "AZURE_CLIENT_ID" not in w.env and "AZURE_CLIENT_ID" not in w.secrets:
                settings.append(
                    AppSetting("AZURE_CLIENT_ID", expression=f"{identity}.properties.clientId")
                )
            if name in events:
                queue = self.queue_symbols[name]
                self._assign(
                    name,
                    identity,
                    queue,
                    roles.EVENT_QUEUE_CONSUMER,
                    f"{name} consumes the blob events queued for its trigger",
                )
                data = self.plan.storage_accounts[0].symbol
                settings += [
                    AppSetting(
                        "EventsQueue__queueServiceUri",
                        expression=f"{data}.properties.primaryEndpoints.queue",
                    ),
                    AppSetting("EventsQueue__credential", value="managedidentity"),
                    AppSetting(
                        "EventsQueue__clientId", expression=f"{identity}.properties.clientId"
                    ),
                    AppSetting("EVENTS_QUEUE_NAME", expression=f"{queue}.name"),
                ]
            elif isinstance(w, Job) and isinstance(w.trigger, TopicTrigger):
                settings.append(AppSetting("TRIGGER_QUEUE_NAME", value=w.trigger.topic))
            settings += [AppSetting(k, value=v) for k, v in w.env.items()]
            refs, _ = self._secrets(w)
            settings += [AppSetting(r.env, vault_symbol=r.vault_symbol, key=r.key) for r in refs]
            runtime_name, runtime_version = DEFAULT_FUNCTION_RUNTIME
            if isinstance(w, Job) and w.runtime:
                language, runtime_version = w.runtime.split("|", 1)
                runtime_name = FLEX_RUNTIMES[language]
            memory = next(
                (m for m in FLEX_INSTANCE_MEMORY if w.memory <= m), FLEX_INSTANCE_MEMORY[-1]
            )
            subnet = self._subnet_symbol(w.subnets[0]) if w.subnets else None
            self.plan.function_apps.append(
                FunctionApp(
                    symbol=symbol("func", name),
                    workload=name,
                    prefix=global_prefix("func", name, 60, hyphens=True),
                    description=w.description,
                    identity=identity,
                    plan_symbol=symbol("plan", name),
                    plan_name=local_name("plan", name, 60),
                    insights_symbol=insights,
                    insights_name=local_name("appi", name, 255),
                    host_storage=host.symbol,
                    subnet_symbol=subnet,
                    runtime_name=runtime_name,
                    runtime_version=runtime_version,
                    instance_memory=memory,
                    settings=tuple(settings),
                    depends_on=tuple(self.deps.get(name, ())),
                    skips=_function_skips(name),
                )
            )

    def _host_storage(self, name: str, w: Service | Job) -> StorageAccount:
        sym = symbol("st", name, "host")
        container = symbol("blob", name, "deployments")
        subnets: tuple[str, ...] = ()
        if w.subnets:
            net = self.bp.subnet_network(w.subnets[0])
            used = {s for r in self.resources.values() for s in r.subnets}
            candidates = (
                [s for s in self.bp.networks[net].subnets if s not in self.delegated] if net else []
            )
            preferred = [s for s in candidates if s in used]
            subnets = tuple((preferred or candidates)[:1])
        access = self._storage_access(
            sym,
            subnets,
            f"the Functions host of {name!r}",
            with_queues=False,
            trusted_services=False,
        )
        account = StorageAccount(
            sym,
            global_prefix("sf", name, 24, hyphens=False),
            f"the Functions host and deployment packages of {name}",
            access,
            (BlobContainer(container, "deployments", None),),
            (),
        )
        self.plan.storage_accounts.append(account)
        return account

    def _system_topics(self) -> None:
        events = self._event_jobs()
        if not events:
            return
        data = self.plan.storage_accounts[0]
        topic_identity = self._identity(f"evgt-{DATA_ACCOUNT}", None)
        subscriptions = []
        for name, (job, trigger) in events.items():
            queue = self.queue_symbols[name]
            ra = self._assign(
                f"evgt-{name}",
                topic_identity,
                queue,
                roles.EVENT_QUEUE_SENDER,
                f"Event Grid delivers {trigger.resource} events to {name}",
            )
            attempts = job.retry.attempts if job.retry else EVENT_GRID_MAX_DELIVERY_ATTEMPTS
            subscriptions.append(
                EventSubscription(
                    symbol=symbol("evgs", name),
                    name=f"{name}-{trigger.event}",
                    event_type="Microsoft.Storage.Blob"
                    + ("Created" if trigger.event == "created" else "Deleted"),
                    container=trigger.resource,
                    queue_name=f"{name}-events",
                    queue_symbol=queue,
                    max_delivery_attempts=min(attempts, EVENT_GRID_MAX_DELIVERY_ATTEMPTS),
                    depends_on=(ra,),
                )
            )
        self.plan.system_topics.append(
            SystemTopic(
                symbol("evgt", DATA_ACCOUNT),
                local_name("evgt", self.bp.name, 128),
                topic_identity,
                data.symbol,
                tuple(subscriptions),
            )
        )

    def build(self) -> Plan:
        self._resources()
        self._networks()
        self._container_apps()
        self._function_apps()
        self._system_topics()
        self._dns_zones()
        return self.plan


def _role_key(role: roles.Role) -> str:
    return "".join(ch for ch in role.name.title() if ch.isalnum())


def _function_skips(name: str) -> tuple[Skip, ...]:
    return (
        Skip(
            "CKV_AZURE_212",
            "Flex Consumption scales instances per function; it has no worker count to set",
        ),
        Skip(
            "CKV_AZURE_213",
            "Flex Consumption has no App Service health check, and "
            f"{name} serves no HTTP endpoint to probe",
        ),
    )
