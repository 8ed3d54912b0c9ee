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


def service_account_id(service: str, prefix: str = "run") -> str:
    account = f"{prefix}-{service}"
    if len(account) < _SA_MIN:
        return f"{account}-sa"
    if len(account) <= _SA_MAX:
        return account
    # Too long: keep a readable prefix and make it unique with a hash of the full name.
    digest = hashlib.sha256(service.encode()).hexdigest()[:8]
    return f"{prefix}-{service[:16].rstrip('-')}-{digest}"


def service_account_email(service: str, project: str) -> str:
    return f"{service_account_id(service)}@{project}.iam.gserviceaccount.com"


def trigger_account_id(job: str) -> str:
    """The identity that starts a job: Cloud Scheduler's, or Eventarc's and its workflow's."""
    return service_account_id(job, "trg")


# The identity Pub/Sub push subscriptions sign their OIDC tokens with (one per system).
PUSH_ACCOUNT_ID = "pubsub-push"


def bucket_name(project: str, bucket: str) -> str:
    """Cloud Storage names are global: the project ID (itself globally unique) and the name,
    within the 63-character limit (a hash keeps long pairs unique)."""
    name = f"{project}-{bucket}"
    if len(name) <= 63:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[:54].rstrip('-')}-{digest}"


def cloud_sql_user(engine: str, account_email: str) -> str:
    """The IAM database user of a service account: PostgreSQL drops the
    `.gserviceaccount.com` suffix, MySQL keeps the part before the `@`."""
    if engine == "mysql":
        return account_email.split("@", 1)[0]
    return account_email.removesuffix(".gserviceaccount.com")


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
