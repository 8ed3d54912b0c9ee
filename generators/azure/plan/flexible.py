"""Relational databases: Azure Database for PostgreSQL or MySQL flexible server for a `kind:
database` with an `engine`. Private access through a delegated subnet and a private DNS zone,
Microsoft Entra authentication only, the workloads' identities as database principals, backups
and zone-redundant high availability from the (per-environment) resource fields, the SKU from the
cloud-neutral size."""

from __future__ import annotations

from blueprint.model import Access, Resource
from generators.azure.naming import global_prefix, local_name, symbol
from generators.azure.plan.checkov import flexible_server_skips
from generators.azure.plan.constants import relational
from generators.azure.plan.data_records import DbAdministrator, FlexibleServer
from generators.azure.plan.identity import new_identity
from generators.azure.plan.network import private_zone, subnet_symbol
from generators.azure.plan.state import AzurePlanError, PlanState

# size -> (SKU, tier) per engine; docs/azure.md shows the table.
SKUS: dict[str, dict[str, tuple[str, str]]] = {
    "postgres": {
        "small": ("Standard_B2s", "Burstable"),
        "medium": ("Standard_D2ds_v5", "GeneralPurpose"),
        "large": ("Standard_D4ds_v5", "GeneralPurpose"),
        "xlarge": ("Standard_E8ds_v5", "MemoryOptimized"),
    },
    "mysql": {
        "small": ("Standard_B2s", "Burstable"),
        "medium": ("Standard_D2ds_v4", "GeneralPurpose"),
        "large": ("Standard_D4ds_v4", "GeneralPurpose"),
        "xlarge": ("Standard_E8ds_v4", "MemoryOptimized"),
    },
}
# Burstable servers cannot be zone-redundant: high availability takes the medium SKU at least.
HA_FLOOR = "medium"
# PostgreSQL takes these storage sizes only (GiB; 32767 is its 32 TiB); MySQL any from 20.
POSTGRES_STORAGE = (32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767)
MAX_STORAGE = {"postgres": 32767, "mysql": 16384}
MYSQL_VERSIONS = {"8.0": "8.0.21", "5.7": "5.7"}
DELEGATION = {
    "postgres": "Microsoft.DBforPostgreSQL/flexibleServers",
    "mysql": "Microsoft.DBforMySQL/flexibleServers",
}
PREFIX = {"postgres": "psql", "mysql": "mysql"}
ENGINES = frozenset(SKUS)


def engine_of(r: Resource) -> str:
    engine = str(r.engine)
    if engine not in ENGINES:
        raise AzurePlanError(f"engine {engine!r} is not rendered on Azure")
    return engine


def server_symbol(name: str, r: Resource) -> str:
    return symbol(PREFIX[engine_of(r)], name)


def delegations(st: PlanState) -> dict[str, str]:
    """Subnet -> the flexible-server service it is delegated to (one engine per subnet)."""
    found: dict[str, str] = {}
    for name, r in st.resources.items():
        if not relational(r) or not r.subnets:
            continue
        service = DELEGATION[engine_of(r)]
        subnet = r.subnets[0]
        if found.setdefault(subnet, service) != service:
            raise AzurePlanError(
                f"database {name!r}: subnet {subnet!r} is delegated to {found[subnet]}; a "
                "PostgreSQL and a MySQL flexible server cannot share a delegated subnet"
            )
    return found


def register_servers(st: PlanState) -> None:
    """The servers' symbols, which env outputs and grants refer to before the records exist."""
    for name, r in st.resources.items():
        if relational(r):
            st.resource_symbols[name] = server_symbol(name, r)


def storage_size(engine: str, gb: int, name: str) -> int:
    if gb > MAX_STORAGE[engine]:
        raise AzurePlanError(
            f"database {name!r}: storage_gb {gb} is above the {engine} flexible server's "
            f"{MAX_STORAGE[engine]} GiB"
        )
    if engine == "postgres":
        return next(size for size in POSTGRES_STORAGE if size >= gb)
    return gb


def sku(engine: str, r: Resource) -> tuple[str, str]:
    if r.instance_class:
        return r.instance_class, tier_of(r.instance_class)
    size = str(r.size)
    if r.high_availability and SKUS[engine][size][1] == "Burstable":
        size = HA_FLOOR
    return SKUS[engine][size]


def tier_of(sku_name: str) -> str:
    """The tier an explicit SKU belongs to, from its family letter."""
    family = sku_name.removeprefix("Standard_")[:1].upper()
    return {"B": "Burstable", "E": "MemoryOptimized", "M": "MemoryOptimized"}.get(
        family, "GeneralPurpose"
    )


def plan_flexible_servers(st: PlanState) -> None:
    for name, r in st.resources.items():
        if relational(r):
            _server(st, name, r)


def _server(st: PlanState, name: str, r: Resource) -> None:
    engine = engine_of(r)
    sym = st.resource_symbols[name]
    subnet = r.subnets[0] if r.subnets else None
    zone = zone_links = None
    if subnet is not None:
        zone = private_zone(st, f"{st.bp.name}.private.{engine}.database.azure.com")
        zone_links = tuple(symbol(zone, n.symbol) for n in st.plan.networks)
    writers, others = _split_principals(st, name, engine)
    server_identity = None
    if engine == "mysql":
        server_identity = new_identity(
            st, f"{name}-server", f"The identity of MySQL server {name}: reads Microsoft Graph"
        )
    sku_name, tier = sku(engine, r)
    version = str(r.db_version)
    st.plan.flexible_servers.append(
        FlexibleServer(
            symbol=sym,
            resource=name,
            engine=engine,
            prefix=global_prefix(PREFIX[engine], name, 63, hyphens=True),
            description=r.description,
            version=MYSQL_VERSIONS.get(version, version) if engine == "mysql" else version,
            sku_name=sku_name,
            tier=tier,
            storage_gb=storage_size(engine, r.storage_gb, name),
            high_availability=r.high_availability,
            backup_retention_days=r.backup_retention_days,
            # Geo-redundant backups follow high availability: the environment that keeps a
            # standby in another zone also keeps its backups in the paired region.
            geo_redundant_backup=r.high_availability,
            deletion_protection=r.deletion_protection,
            subnet_symbol=subnet_symbol(st, subnet) if subnet else None,
            zone_symbol=zone,
            zone_link_symbols=zone_links or (),
            database_symbol=symbol(sym, "db"),
            administrators=tuple(
                DbAdministrator(
                    symbol(sym, "admin", w),
                    identity,
                    local_name("id", w, 128),
                    f"{w} writes {name}: a Microsoft Entra administrator of the server",
                )
                for w, identity in writers
            ),
            server_identity=server_identity,
            principals_sql=principals_sql(engine, name, others),
            skips=flexible_server_skips(
                name, engine=engine, private=subnet is not None, geo=r.high_availability
            ),
        )
    )


def _split_principals(
    st: PlanState, name: str, engine: str
) -> tuple[list[tuple[str, str]], list[tuple[str, str, Access]]]:
    """The workloads that become Entra administrators (writers) and the others, whose database
    users an administrator creates in SQL; each workload once, with its strongest access."""
    strongest: dict[str, tuple[str, Access]] = {}
    for w, identity, access in st.db_principals.get(name, []):
        if w not in strongest or access is not Access.READ:
            strongest[w] = (identity, access)
    principals = [(w, i, a) for w, (i, a) in strongest.items()]
    writers = [(w, i) for w, i, a in principals if a is not Access.READ]
    if engine == "mysql":
        writers = writers[:1]  # MySQL takes one Entra administrator; the rest are made in SQL
    admins = {w for w, _ in writers}
    return writers, [(w, i, a) for w, i, a in principals if w not in admins]


def principals_sql(
    engine: str, database: str, principals: list[tuple[str, str, Access]]
) -> tuple[str, tuple[str, ...]] | None:
    """The SQL an administrator runs once to make the other workloads database principals with
    their declared access: a Bicep format() string and its arguments (MySQL names an identity
    by its client id, known after deployment)."""
    if not principals:
        return None
    lines: list[str] = []
    args: list[str] = []
    # Names spliced into the SQL are blueprint names: DNS labels, [a-z0-9-] only.
    for workload, identity, access in principals:
        role = local_name("id", workload, 128)
        privileges = "SELECT" if access is Access.READ else "SELECT, INSERT, UPDATE, DELETE"
        if engine == "postgres":
            lines += [
                f"SELECT * FROM pgaadauth_create_principal('{role}', false, false);",  # noqa: S608 (a DNS label, see above)
                f'GRANT CONNECT ON DATABASE "{database}" TO "{role}";',
                f'GRANT USAGE ON SCHEMA public TO "{role}";',
                f'GRANT {privileges} ON ALL TABLES IN SCHEMA public TO "{role}";',
            ]
        else:
            lines += [
                f"CREATE AADUSER '{role}' IDENTIFIED BY '{{{len(args)}}}';",
                f"GRANT {privileges} ON `{database}`.* TO '{role}';",
            ]
            args.append(f"{identity}.properties.clientId")
    return "\n".join(lines), tuple(args)
