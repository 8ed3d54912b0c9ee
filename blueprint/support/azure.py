"""Uses the Azure generator refuses although their concept's cell is rendered there: a value
Azure has no form for (a password where every store takes Entra ID tokens only, storage beyond
a flexible server's largest, a certificate by reference). Each comes with its own cell, like a
grant's, so validation says exactly what and why."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from blueprint.model import PLATFORM_CLOUD, Blueprint, Cloud, ResourceKind
from blueprint.model.network import HttpIngress
from blueprint.support.matrix import refused
from blueprint.support.usage import Usage, ingress_clouds, resource_clouds

# Outputs each kind offers on Azure; the others are refused with the reason.
_ENTRA_ONLY = (
    "every Azure data store here takes Microsoft Entra ID tokens only: there is no password"
)
_COSMOS = "a Cosmos DB account has no port or user: clients connect to its endpoint with Entra ID"
_MAX_STORAGE_GB = {"postgres": 32767, "mysql": 16384}
_AZURE_PLATFORMS = frozenset(p for p, cloud in PLATFORM_CLOUD.items() if cloud is Cloud.AZURE)


def azure_usages(bp: Blueprint) -> Iterator[Usage]:
    clouds = resource_clouds(bp)
    yield from _outputs(bp, clouds)
    yield from _storage(bp, clouds)
    yield from _certificates(bp)


def _outputs(bp: Blueprint, clouds: Mapping[str, Cloud | None]) -> Iterator[Usage]:
    for section, entries in (("services", bp.services), ("jobs", bp.jobs)):
        for name, w in entries.items():
            if w.platform not in _AZURE_PLATFORMS:
                continue
            for env, out in w.env_outputs.items():
                res = bp.resources.get(out.resource)
                if res is None or clouds.get(out.resource) is not Cloud.AZURE:
                    continue
                reason = None
                if out.output == "password":
                    reason = _ENTRA_ONLY
                elif (
                    res.kind is ResourceKind.DATABASE
                    and res.engine is None
                    and out.output in {"port", "user"}
                ):
                    reason = _COSMOS
                if reason is not None:
                    yield Usage(
                        "env-output",
                        w.platform.value,
                        f"{section}.{name}.env.{env}",
                        (section, name, "env", env),
                        cell=refused(reason),
                        title=f"output '{out.output.value}' of {res.kind.value} {out.resource!r}",
                    )


def _storage(bp: Blueprint, clouds: Mapping[str, Cloud | None]) -> Iterator[Usage]:
    for name, res in bp.resources.items():
        limit = _MAX_STORAGE_GB.get(str(res.engine))
        if clouds.get(name) is Cloud.AZURE and limit is not None and res.storage_gb > limit:
            yield Usage(
                "database-engine-" + str(res.engine),
                "azure",
                f"resources.{name}",
                ("resources", name, "storage_gb"),
                cell=refused(f"a {res.engine} flexible server holds at most {limit} GiB"),
                title=f"storage_gb {res.storage_gb}",
            )


def _certificates(bp: Blueprint) -> Iterator[Usage]:
    for name, ing in bp.ingress.items():
        if not isinstance(ing, HttpIngress) or ing.tls is None or ing.tls.managed:
            continue
        if Cloud.AZURE in ingress_clouds(bp, name):
            yield Usage(
                "ingress-tls",
                "azure",
                f"ingress.{name}",
                ("ingress", name, "tls", "certificate"),
                cell=refused(
                    "Container Apps bind managed certificates here; use certificate: managed"
                ),
                title="a certificate by reference",
            )
