"""The checkov checks that cannot apply to what the Azure plan renders, each with its reason;
the records carry them and the template only spells them."""

from __future__ import annotations

from generators.azure.plan.records import Skip

# The checks that ask for the public endpoint to be off (or default-deny), per private-link kind.
PUBLIC_ENDPOINT_CHECKS = {
    "vault": ("CKV_AZURE_189", "CKV_AZURE_109"),
    "blob": ("CKV_AZURE_59", "CKV_AZURE_35"),
    "cosmos": ("CKV_AZURE_101",),  # CKV_AZURE_99 fails only with multiple write locations
    "cognitive": ("CKV_AZURE_134",),
    "registry": ("CKV_AZURE_139",),
    # checkov has no public-network check for these namespaces
    "servicebus": (),
    "eventhubs": (),
}


def public_endpoint_skips(kind: str, what: str) -> tuple[Skip, ...]:
    reason = (
        f"the blueprint places {what} in no subnet, so it keeps its public endpoint; "
        "data access still needs Entra ID and RBAC (local auth is off)"
    )
    return tuple(Skip(check, reason) for check in PUBLIC_ENDPOINT_CHECKS[kind])


EVENT_GRID_PUBLIC_ENDPOINT = Skip(
    "CKV_AZURE_59",
    "Event Grid delivers blob events into this account's queues as a trusted Azure "
    "service, which needs the public endpoint enabled behind the default-deny "
    "firewall; workloads reach the account through its private endpoints",
)


def registry_skips(name: str) -> tuple[Skip, ...]:
    return (
        Skip(
            "CKV_AZURE_166",
            "quarantine holds every pushed image until an external "
            f"scanner releases it, and no scanner is declared for {name}",
        ),
    )


def function_skips(name: str) -> tuple[Skip, ...]:
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


def flexible_server_skips(name: str, *, engine: str, private: bool, geo: bool) -> tuple[Skip, ...]:
    """checkov's flexible-server checks cover MySQL only, and two of them read keys ARM spells
    otherwise (so they fail whatever the template says)."""
    if engine != "mysql":
        return ()
    skips = [
        Skip(
            "CKV_AZURE_94",
            "checkov reads properties.Backup (capital B), which ARM spells backup; "
            "geoRedundantBackup is Enabled there"
            if geo
            else f"high_availability is off for {name} in this environment, so its backups "
            "stay in its region; an environment with high_availability keeps them geo-redundant",
        ),
        Skip(
            "CKV_AZURE_96",
            "checkov reads properties.dataencryption, which ARM spells dataEncryption; the "
            "server's storage is encrypted at rest with service-managed keys",
        ),
    ]
    if not private:
        skips.append(
            Skip(
                "CKV_AZURE_53",
                f"the blueprint places MySQL server {name} in no subnet, so it keeps its public "
                "endpoint, admitting Azure addresses only; authentication is Entra ID only",
            )
        )
    return tuple(skips)
