"""The escape hatch: what the model cannot say, given per target in the target's own mechanism.

Overrides are applied as given and are not verified by the policy rules (`blueprint check`
reports each one, rule BP6002). They may not reach identity or network-security objects
(IAM, RBAC, security groups, role assignments) unless they carry a justification: an override
there would bypass exactly the rules that matter most.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from blueprint.model.base import Model, Name
from blueprint.model.validators import relative_file

FileContent = Annotated[str, Field(max_length=1_000_000)]
LabelKey = Annotated[
    str,
    StringConstraints(
        pattern=r"^([a-z0-9.-]{1,253}/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$"
    ),
]
LabelValue = Annotated[
    str, StringConstraints(pattern=r"^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$")
]
AnnotationValue = Annotated[str, Field(max_length=65536)]
# A CloudFormation logical id: alphanumeric.
LogicalId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,255}$")]


TerraformFileName = Annotated[str, AfterValidator(relative_file(".tf", folders=False))]
BicepFileName = Annotated[str, AfterValidator(relative_file(".bicep"))]


class Justification(Model):
    """Why an override may touch an identity or network-security object (like a waiver)."""

    owner: Annotated[str, Field(min_length=2, max_length=256)]
    """Who accepted the override. Example: `team-platform`."""
    reason: Annotated[str, Field(min_length=10, max_length=2048)]
    """Why the override is needed (10 characters or more)."""
    expires: dt.date
    """The date after which the override must be reviewed again. Example: `2026-12-31`."""


def _refuse_unjustified(what: str, justification: Justification | None) -> None:
    if justification is None:
        raise ValueError(
            f"found an override of {what}, an identity or network-security object; expected a "
            "justification: {owner, reason, expires} (overrides there bypass the access rules)"
        )


# -- Kubernetes -----------------------------------------------------------------------------

# RBAC, network policy and service accounts: what BP1xxx/BP2xxx reason about.
PROTECTED_KUBERNETES_KINDS = frozenset(
    {"Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding", "NetworkPolicy", "ServiceAccount"}
)


class PatchTarget(Model):
    kind: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Za-z0-9]{0,62}$")]
    """The kind of the rendered object to patch. Example: `Deployment`."""
    name: Name | None = None
    """The name of the rendered object; defaults to the workload's name."""


class KubernetesPatch(Model):
    """A kustomize patch on one rendered object: a strategic merge or JSON 6902 operations."""

    target: PatchTarget
    """Which rendered object the patch applies to."""
    strategic_merge: dict[str, Any] | None = None
    """A strategic-merge patch (a partial object without apiVersion/kind/metadata.name)."""
    json6902: tuple[dict[str, Any], ...] | None = None
    """JSON 6902 operations. Example: `[{op: add, path: /spec/minReadySeconds, value: 10}]`."""
    justification: Justification | None = None
    """Required when the target is RBAC, a NetworkPolicy or a ServiceAccount."""

    @model_validator(mode="after")
    def _one_kind_of_patch(self) -> KubernetesPatch:
        if (self.strategic_merge is None) == (self.json6902 is None):
            raise ValueError(
                "found "
                + ("both" if self.strategic_merge is not None else "neither")
                + " strategic_merge and json6902; expected exactly one"
            )
        if self.target.kind in PROTECTED_KUBERNETES_KINDS:
            _refuse_unjustified(f"a {self.target.kind}", self.justification)
        return self


# The labels the selectors rely on, and the annotations blueprint writes itself.
_RESERVED_LABELS = frozenset(
    {"app.kubernetes.io/name", "app.kubernetes.io/part-of", "app.kubernetes.io/component"}
)
_RESERVED_ANNOTATION = re.compile(r"^(kubernetes\.io/description|checkov\.io/skip\d+)$")


class KubernetesWorkloadOverride(Model):
    labels: dict[LabelKey, LabelValue] = Field(default_factory=dict)
    """Extra labels on the workload's objects and pod template. Example: `{team: shop}`."""
    annotations: dict[LabelKey, AnnotationValue] = Field(default_factory=dict)
    """Extra annotations on the workload's Deployment or CronJob."""
    patches: tuple[KubernetesPatch, ...] = ()
    """Kustomize patches on the workload's rendered objects, applied identically to the
    plain manifests and the Helm chart."""

    @model_validator(mode="after")
    def _not_reserved(self) -> KubernetesWorkloadOverride:
        for key in self.labels:
            if key in _RESERVED_LABELS:
                raise ValueError(
                    f"found label {key!r}, which blueprint sets and the selectors rely on; "
                    "expected another label key"
                )
        for key in self.annotations:
            if _RESERVED_ANNOTATION.match(key):
                raise ValueError(
                    f"found annotation {key!r}, which blueprint writes itself; expected another "
                    "annotation key (use the workload's description or a waiver)"
                )
        return self


class KubernetesOverrides(Model):
    workloads: dict[Name, KubernetesWorkloadOverride] = Field(default_factory=dict)
    """Per workload (a service or job name): extra labels, annotations and patches."""


# -- Terraform ------------------------------------------------------------------------------

_PROTECTED_TERRAFORM = re.compile(r'(?:resource|data)\s+"(aws_iam_\w+|aws_security_group\w*)"')


class TerraformFile(Model):
    content: FileContent
    """The file's HCL, written as given (a `*_override.tf` name merges by Terraform's rules)."""
    justification: Justification | None = None
    """Required when the file declares aws_iam_* or aws_security_group* blocks."""

    @model_validator(mode="after")
    def _protected(self) -> TerraformFile:
        found = _PROTECTED_TERRAFORM.search(self.content)
        if found:
            _refuse_unjustified(found.group(1), self.justification)
        return self


class TerraformFiles(Model):
    files: dict[TerraformFileName, TerraformFile] = Field(default_factory=dict)
    """Extra `.tf` files by name, written into the cloud's terraform folder. Example:
    `{main_override.tf: {content: ...}}`."""


class TerraformOverrides(Model):
    aws: TerraformFiles | None = None
    """Files for `aws/terraform/`."""
    gcp: TerraformFiles | None = None
    """Files for `gcp/terraform/`."""


# -- CloudFormation -------------------------------------------------------------------------

_PROTECTED_CFN = re.compile(r"^AWS::(IAM::|EC2::SecurityGroup)")


class CloudFormationMerge(Model):
    merge: dict[str, Any]
    """A JSON merge (RFC 7386) onto the named resource. Example: `{Properties: {...}}`."""
    justification: Justification | None = None
    """Required when the resource is AWS::IAM::* or AWS::EC2::SecurityGroup*."""

    @model_validator(mode="after")
    def _protected(self) -> CloudFormationMerge:
        kind = self.merge.get("Type")
        if isinstance(kind, str) and _PROTECTED_CFN.match(kind):
            _refuse_unjustified(kind, self.justification)
        return self


class CloudFormationOverrides(Model):
    resources: dict[LogicalId, CloudFormationMerge] = Field(default_factory=dict)
    """Merges by the rendered resource's logical id."""


# -- Bicep ----------------------------------------------------------------------------------

_PROTECTED_BICEP = re.compile(r"Microsoft\.Authorization/roleAssignments", re.IGNORECASE)


class BicepModule(Model):
    content: FileContent
    """The module's Bicep, written as given next to main.bicep."""
    justification: Justification | None = None
    """Required when the module declares role assignments."""

    @model_validator(mode="after")
    def _protected(self) -> BicepModule:
        if _PROTECTED_BICEP.search(self.content):
            _refuse_unjustified("Microsoft.Authorization/roleAssignments", self.justification)
        return self


class BicepOverrides(Model):
    modules: dict[BicepFileName, BicepModule] = Field(default_factory=dict)
    """Extra Bicep modules by file name."""


class Overrides(Model):
    """Per target, what the model cannot say, in the target's native mechanism."""

    kubernetes: KubernetesOverrides | None = None
    """Labels, annotations and kustomize patches per workload."""
    terraform: TerraformOverrides | None = None
    """Extra and `*_override.tf` files."""
    cloudformation: CloudFormationOverrides | None = None
    """JSON merges onto named resources."""
    bicep: BicepOverrides | None = None
    """Extra Bicep modules."""
