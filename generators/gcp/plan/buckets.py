"""Cloud Storage: a `bucket` on gcp becomes a private bucket (uniform access, public access
prevention, versioning), named with the project ID because bucket names are global."""

from __future__ import annotations

from blueprint.model import Cloud, ResourceKind
from blueprint.view import SystemView
from generators.gcp import naming
from generators.gcp.plan.records import Bucket


def buckets(view: SystemView, project: str) -> tuple[Bucket, ...]:
    bp = view.blueprint
    return tuple(
        Bucket(
            name=n,
            bucket_name=naming.bucket_name(project, n),
            description=bp.resources[n].description,
        )
        for n in view.resources_in(Cloud.GCP)
        if bp.resources[n].kind is ResourceKind.BUCKET
    )
