"""BP5001: image references that can change under the same name."""

from __future__ import annotations

from collections.abc import Iterator

from blueprint.model import Blueprint, Image
from policies.context import Context
from policies.rules._environments import as_deployed, production_environments
from policies.rules.base import Example, Hit, Rule

MOVING_TAGS = frozenset({"latest", "stable", "main", "master", "edge", "nightly"})


def check(ctx: Context) -> Iterator[Hit]:
    bp = ctx.bp
    reported: set[str] = set()
    for section, name, image in _images(bp):
        if image.digest is None and image.tag in MOVING_TAGS:
            reported.add(name)
            yield Hit(
                f"{section}.{name}",
                f"image {image.repository}:{image.tag} of {name} is a moving tag: each "
                "deploy may run different code; use a release tag and pin its digest",
                (f"{section}.{name}",),
                (section, name, "image", "tag"),
            )
    for env in production_environments(bp):
        for section, name, image in _images(as_deployed(bp, env)):
            if image.digest is not None or name in reported:
                continue
            reported.add(name)
            yield Hit(
                f"{section}.{name}",
                f"image {image.repository}:{image.tag} of {name} has no digest in environment "
                f"{env}: a re-pushed tag changes what production runs; pin digest: "
                "sha256:... (here or in environments." + env + f".{section}.{name})",
                (f"{section}.{name}", f"environments.{env}"),
                (section, name, "image"),
            )


def _images(bp: Blueprint) -> Iterator[tuple[str, str, Image]]:
    for section, workloads in (("services", bp.services), ("jobs", bp.jobs)):
        for name, w in sorted(workloads.items()):
            if w.image is not None:
                yield section, name, w.image


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  kubernetes: {namespace: demo}
services:
  web:
    platform: kubernetes
    image: {registry: ghcr.io, repository: acme/web, tag: latest}
""",
    good="""\
name: demo
platforms:
  kubernetes: {namespace: demo}
services:
  web:
    platform: kubernetes
    image:
      registry: ghcr.io
      repository: acme/web
      tag: "1.8.2"
      digest: sha256:3f1c1e6b8f6c2a4d5e9b0a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e
environments:
  prod: {}
""",
)


RULE = Rule(
    id="BP5001",
    name="mutable-image",
    title="Mutable image reference (latest, or no digest in production)",
    severity="warning",
    rationale=(
        "A tag is a pointer anyone with push access can move: `latest` changes with every "
        "build, and even a release tag can be re-pushed. What runs is then not what was "
        "reviewed, and a rollback may not roll back. A digest names exactly one image; "
        "production (an environment named prod, production, prd or prod-*) needs one."
    ),
    fix=(
        "Deploy a release tag, and pin its digest (image.digest, or the production "
        "environment's digest override)."
    ),
    check=check,
    example=EXAMPLE,
    controls=("cis-kubernetes:5.5.1", "nist-800-53:CM-2", "nist-800-53:SI-7"),
    reads_graph=False,
)
