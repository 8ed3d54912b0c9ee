"""What a platform needs of a workload before anything can be rendered for it.

Checked by every command that reads a blueprint from the command line (validate, check, render,
manifests, graph: `cli.common.load_file`), so a blueprint `validate` accepts never stops a
render with an internal error. The model itself leaves `image` optional: policy checks and
tests reason about systems whose images are not chosen yet.
"""

from __future__ import annotations

from blueprint.errors import BlueprintError, Diagnostic
from blueprint.loader import Loaded
from blueprint.model import Platform

# Platforms that run a container image (azure-functions deploys code instead).
PLATFORMS_RUNNING_IMAGES = frozenset(
    {Platform.AWS_FARGATE, Platform.AZURE_CONTAINER_APPS, Platform.KUBERNETES, Platform.CLOUD_RUN}
)


def check_renderable(loaded: Loaded) -> None:
    """Raise a positioned BlueprintError naming every workload without an image to run."""
    diagnostics = []
    bp = loaded.blueprint
    for section, workloads in (("services", bp.services), ("jobs", bp.jobs)):
        for name, workload in workloads.items():
            if workload.image is None and workload.platform in PLATFORMS_RUNNING_IMAGES:
                line, col = loaded.source.locate((section, name), at_key=True)
                diagnostics.append(
                    Diagnostic(
                        loaded.source.name,
                        line,
                        col,
                        f"missing required key 'image' in {section}.{name}; expected image: "
                        "{registry: ..., repository: ..., tag: ...}, since "
                        f"{workload.platform.value} runs a container image",
                    )
                )
    if diagnostics:
        raise BlueprintError(sorted(diagnostics))
