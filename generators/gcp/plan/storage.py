"""Storage: Artifact Registry repositories and Secret Manager secrets."""

from __future__ import annotations

from blueprint.model import Cloud, Job, ResourceKind, Service
from blueprint.view import SystemView
from generators.gcp import naming
from generators.gcp.plan.records import Repository, Secret


def repositories(view: SystemView, services: dict[str, Service | Job]) -> tuple[Repository, ...]:
    bp = view.blueprint
    names = {
        n for n in view.resources_in(Cloud.GCP) if bp.resources[n].kind is ResourceKind.REGISTRY
    }
    names |= {s.image.registry for s in services.values() if s.image and not s.image.is_external}
    return tuple(Repository(n, bp.resources[n].description) for n in sorted(names))


def secrets_of(services: dict[str, Service | Job]) -> tuple[Secret, ...]:
    found: dict[str, Secret] = {}
    for svc in services.values():
        for ref in svc.secrets.values():
            secret = Secret(secret_id=naming.secret_id(ref.key), store=ref.store, key=ref.key)
            other = found.setdefault(secret.secret_id, secret)
            if other != secret:
                raise ValueError(
                    f"secret references {other.store}/{other.key} and {ref.store}/{ref.key} "
                    f"both map to the Secret Manager secret {secret.secret_id!r}; rename one key"
                )
    return tuple(found[k] for k in sorted(found))
