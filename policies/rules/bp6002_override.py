"""BP6002: an override (the escape hatch) that the rules do not verify."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from blueprint.model import Blueprint
from policies.context import Context
from policies.rules.base import Example, Hit, Rule


def _counted(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def _joined(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def override_hits(bp: Blueprint) -> Iterator[Hit]:
    """One note per workload with Kubernetes overrides and one per other target."""
    overrides = bp.overrides
    if overrides.kubernetes is not None:
        for name, o in overrides.kubernetes.workloads.items():
            parts = [
                _counted(len(items), singular, plural)
                for items, singular, plural in (
                    (o.patches, "Kubernetes patch", "Kubernetes patches"),
                    (o.labels, "extra label", "extra labels"),
                    (o.annotations, "extra annotation", "extra annotations"),
                )
                if items
            ]
            if not parts:
                continue
            total = len(o.patches) + len(o.labels) + len(o.annotations)
            verb = "is" if total == 1 else "are"
            kind = "jobs" if name in bp.jobs else "services"
            yield Hit(
                f"{kind}.{name}",
                f"{_joined(parts)} {verb} not verified by the rules",
                (),
                ("overrides", "kubernetes", "workloads", name),
            )
    terraform = overrides.terraform
    for path, names, singular, plural in (
        (
            ("terraform", "aws"),
            terraform and terraform.aws and terraform.aws.files,
            "Terraform file",
            "Terraform files",
        ),
        (
            ("terraform", "gcp"),
            terraform and terraform.gcp and terraform.gcp.files,
            "Terraform file",
            "Terraform files",
        ),
        (
            ("cloudformation",),
            overrides.cloudformation and overrides.cloudformation.resources,
            "CloudFormation resource merge",
            "CloudFormation resource merges",
        ),
        (("bicep",), overrides.bicep and overrides.bicep.modules, "Bicep module", "Bicep modules"),
    ):
        if names:
            verb = "is" if len(names) == 1 else "are"
            yield Hit(
                ".".join(("overrides", *path)),
                f"{_counted(len(names), singular, plural)} {verb} not verified by the rules: "
                + ", ".join(sorted(names)),
                (),
                ("overrides", *path),
            )


def check(ctx: Context) -> Iterator[Hit]:
    # Overrides are applied as given: the rules never see them, so the review must.
    yield from override_hits(ctx.bp)


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  kubernetes: {namespace: shop}
services:
  web:
    platform: kubernetes
    image: {registry: ghcr.io, repository: acme/web, tag: "1.8.2"}
    replicas: 2
overrides:
  kubernetes:
    workloads:
      web:
        patches:
          - target: {kind: Deployment}
            strategic_merge: {spec: {minReadySeconds: 10}}
""",
    good="""\
name: demo
platforms:
  kubernetes: {namespace: shop}
services:
  web:
    platform: kubernetes
    image: {registry: ghcr.io, repository: acme/web, tag: "1.8.2"}
    replicas: 2
""",
)


RULE = Rule(
    id="BP6002",
    name="override",
    title="Override not verified by the rules",
    severity="note",
    rationale=(
        "An override is applied to the output as given: no rule reasons about what it adds or "
        "changes, so each one must be seen and reviewed."
    ),
    fix=(
        "Review the override; when the model can say the same thing, say it in the model and "
        "remove the override."
    ),
    check=check,
    example=EXAMPLE,
    reads_graph=False,
)
