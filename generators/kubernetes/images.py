"""Where a Kubernetes workload's image comes from: an external registry host or a registry
resource of the blueprint, pinned by tag, digest or both."""

from __future__ import annotations

from typing import Any

from blueprint.model import Blueprint, Cloud, GcpSettings, Image


class UnresolvableImageError(ValueError):
    """The image's registry is a resource whose host the blueprint cannot tell."""


def registry_host(bp: Blueprint, image: Image) -> str:
    """The host (and path prefix) images of `image.registry` are pulled from."""
    if image.is_external:
        return image.registry
    cloud = bp.resource_cloud(image.registry)
    if cloud is Cloud.GCP and isinstance(bp.platforms.gcp, GcpSettings):
        gcp = bp.platforms.gcp
        return f"{gcp.region}-docker.pkg.dev/{gcp.project}/{image.registry}"
    if cloud is Cloud.AZURE:
        # Azure Container Registry names are alphanumeric: the resource name without dashes.
        return f"{image.registry.replace('-', '')}.azurecr.io"
    raise UnresolvableImageError(
        f"registry {image.registry!r} is a {cloud.value if cloud else 'cloud-less'} resource "
        "whose host the blueprint does not give (an ECR host needs the account id); "
        "name the registry host instead, such as 123456789012.dkr.ecr.eu-west-2.amazonaws.com"
    )


def image_values(bp: Blueprint, image: Image) -> dict[str, Any]:
    return {
        "repository": f"{registry_host(bp, image)}/{image.repository}",
        "tag": image.tag or "",
        "digest": image.digest or "",
        # A digest cannot move, so the node cache is safe; a tag can, so pull it every time.
        "pullPolicy": "IfNotPresent" if image.digest else "Always",
    }
