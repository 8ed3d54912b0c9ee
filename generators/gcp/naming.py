"""GCP names derived from blueprint names: identifiers, service accounts, secrets, images."""

from __future__ import annotations

import hashlib

from blueprint.model import Image

# Service account IDs: 6 to 30 characters, [a-z]([-a-z0-9]*[a-z0-9]).
_SA_MIN, _SA_MAX = 6, 30


def tf_identifier(*names: str) -> str:
    """A Terraform block label from blueprint names.

    Blueprint names never contain `_`, so `-` becomes `_` and parts join with `__`: distinct
    name tuples give distinct identifiers.
    """
    return "__".join(name.replace("-", "_") for name in names)


def service_account_id(service: str) -> str:
    account = f"run-{service}"
    if len(account) < _SA_MIN:
        return f"{account}-sa"
    if len(account) <= _SA_MAX:
        return account
    # Too long: keep a readable prefix and make it unique with a hash of the full name.
    digest = hashlib.sha256(service.encode()).hexdigest()[:8]
    return f"run-{service[:16].rstrip('-')}-{digest}"


def service_account_email(service: str, project: str) -> str:
    return f"{service_account_id(service)}@{project}.iam.gserviceaccount.com"


def secret_id(key: str) -> str:
    """A Secret Manager secret ID ([A-Za-z0-9_-]) for a blueprint secret key, which may hold
    dots."""
    return key.replace(".", "_")


def image_reference(image: Image, project: str, region: str) -> str:
    """REGION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE[:tag|@digest]; external registries as is.

    A digest pins the exact image, so it wins over a tag when both are given.
    """
    if image.is_external:
        base = f"{image.registry}/{image.repository}"
    else:
        base = f"{region}-docker.pkg.dev/{project}/{image.registry}/{image.repository}"
    if image.digest is not None:
        return f"{base}@{image.digest}"
    return f"{base}:{image.tag}"


def cpu_quantity(cpu: float) -> str:
    """A Kubernetes quantity: whole vCPUs as "1", "2"; fractions in millicores ("500m")."""
    if cpu == int(cpu):
        return str(int(cpu))
    return f"{round(cpu * 1000)}m"


def memory_quantity(mib: int) -> str:
    return f"{mib}Mi"
