"""The escape hatch: what the model cannot say, given per target in the target's own mechanism.

Overrides are applied as given and are not verified by the policy rules (`blueprint check`
reports each one, rule BP6002). They may not reach identity or network-security objects
(IAM, RBAC, security groups, role assignments) unless they carry a justification: an override
there would bypass exactly the rules that matter most.
"""

import datetime as dt
import re
from collections.abc import Iterator
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


def unjustified(what: str) -> str:
    return (
        f"found an override of {what}, an identity or network-security object; expected a "
        "justification: {owner, reason, expires} (overrides there bypass the access rules)"
    )


def _refuse_unjustified(what: str, justification: Justification | None) -> None:
    if justification is None:
        raise ValueError(unjustified(what))


def _keys(data: object) -> Iterator[str]:
    """Every mapping key in a JSON-like value, at any depth."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield str(key)
            yield from _keys(value)
    elif isinstance(data, list | tuple):
        for value in data:
            yield from _keys(value)


# -- Kubernetes -----------------------------------------------------------------------------

# RBAC, network policy and service accounts: what BP1xxx/BP2xxx reason about.
PROTECTED_KUBERNETES_KINDS = frozenset(
    {"Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding", "NetworkPolicy", "ServiceAccount"}
)


# Pod fields that choose the identity a workload runs as (its RBAC bindings follow it).
_IDENTITY_FIELDS = frozenset(
    {"serviceAccountName", "serviceAccount", "automountServiceAccountToken"}
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
    """Required when the target is RBAC, a NetworkPolicy or a ServiceAccount, or the patch
    touches serviceAccountName, serviceAccount or automountServiceAccountToken."""

    @model_validator(mode="after")
    def _one_kind_of_patch(self) -> "KubernetesPatch":
        if (self.strategic_merge is None) == (self.json6902 is None):
            raise ValueError(
                "found "
                + ("both" if self.strategic_merge is not None else "neither")
                + " strategic_merge and json6902; expected exactly one"
            )
        if self.target.kind in PROTECTED_KUBERNETES_KINDS:
            _refuse_unjustified(f"a {self.target.kind}", self.justification)
        touched = set(_keys(self.strategic_merge)) | {
            segment
            for operation in self.json6902 or ()
            for key in ("path", "from")
            for segment in str(operation.get(key, "")).split("/")
        }
        for field in sorted(touched & _IDENTITY_FIELDS):
            _refuse_unjustified(f"{field} (the pod's identity)", self.justification)
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
    def _not_reserved(self) -> "KubernetesWorkloadOverride":
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

# IAM, resource policies, security groups and firewalls of both clouds Terraform renders.
_PROTECTED_TERRAFORM = re.compile(
    r'(?:resource|data)\s+"('
    r"aws_iam_\w+|aws_security_group\w*|aws_vpc_security_group_\w+|aws_network_acl\w*"
    r"|aws_(?:s3_bucket|sqs_queue|sns_topic|ecr_repository|kms_key|secretsmanager_secret)_policy"
    r"|aws_lambda_permission"
    r"|google_\w*_iam_\w+|google_service_account\w*|google_compute_firewall\w*"
    r"|google_project_organization_policy|google_\w*_access_level\w*"
    r')"'
)


class TerraformFile(Model):
    content: FileContent
    """The file's HCL, written as given (a `*_override.tf` name merges by Terraform's rules)."""
    justification: Justification | None = None
    """Required when the file declares IAM, resource-policy, security-group or firewall blocks
    (aws_iam_*, aws_security_group*, aws_*_policy of a bucket, queue, topic, repository, key
    or secret, google_*_iam_*, google_service_account*, google_compute_firewall*, ...)."""

    @model_validator(mode="after")
    def _protected(self) -> "TerraformFile":
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

# IAM, security groups and network ACLs, and the resource policies that grant access.
_PROTECTED_CFN = re.compile(
    r"^AWS::(IAM::|EC2::SecurityGroup|EC2::NetworkAcl|Lambda::Permission"
    r"|(S3::Bucket|SQS::Queue|SNS::Topic|SecretsManager::Resource)Policy$)"
)
# Properties that grant, assume or firewall, on any resource (a task role, a key policy, the
# security groups of a service): a merge that sets one is an identity or network change.
_PROTECTED_PROPERTY = re.compile(
    r"^(\w*RoleArn|Roles?|Policies|PolicyDocument|PolicyName|KeyPolicy|ManagedPolicyArns"
    r"|AssumeRolePolicyDocument|PermissionsBoundary|RepositoryPolicyText|Principal"
    r"|(Vpc)?SecurityGroup(s|Ids|Ingress|Egress))$"
)


def protected_cloudformation_type(kind: str, justification: Justification | None) -> str | None:
    """The refusal for a merge onto a resource of type `kind`, or None when it may proceed."""
    if justification is None and _PROTECTED_CFN.match(kind):
        return unjustified(kind)
    return None


class CloudFormationMerge(Model):
    merge: dict[str, Any]
    """A JSON merge (RFC 7386) onto the named resource. Example: `{Properties: {...}}`."""
    justification: Justification | None = None
    """Required when the merged resource is AWS::IAM::*, AWS::EC2::SecurityGroup*,
    AWS::EC2::NetworkAcl*, AWS::Lambda::Permission or a bucket, queue, topic or secret policy,
    or when the merge sets a role, policy, principal or security-group property."""

    @model_validator(mode="after")
    def _protected(self) -> "CloudFormationMerge":
        kind = self.merge.get("Type")
        if isinstance(kind, str) and _PROTECTED_CFN.match(kind):
            _refuse_unjustified(kind, self.justification)
        for key in sorted(set(_keys(self.merge))):
            if _PROTECTED_PROPERTY.search(key):
                _refuse_unjustified(key, self.justification)
        return self


class CloudFormationOverrides(Model):
    resources: dict[LogicalId, CloudFormationMerge] = Field(default_factory=dict)
    """Merges by the rendered resource's logical id."""


# -- Bicep ----------------------------------------------------------------------------------

# Role assignments and definitions, policy, managed identities and network security groups.
_PROTECTED_BICEP = re.compile(
    r"Microsoft\.(Authorization/\w+|ManagedIdentity/\w+|Network/networkSecurityGroups\w*)",
    re.IGNORECASE,
)


# `param name type [= default]` at the start of a line (decorators sit on the lines above).
_BICEP_PARAM = re.compile(
    r"^[ \t]*param[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]+([A-Za-z_][A-Za-z0-9_]*)(\??)([ \t]*=)?",
    re.MULTILINE,
)
_BICEP_SCOPE = re.compile(r"^[ \t]*targetScope[ \t]*=[ \t]*'([A-Za-z]+)'", re.MULTILINE)
# What main.bicep passes to a module that declares it and is not given it in `params`.
BICEP_MAIN_PARAMS = ("location", "nameSuffix")
_PARAM_TYPES: dict[str, type] = {"string": str, "int": int, "bool": bool}

BicepParamName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,254}$")]
BicepParamValue = Annotated[str, Field(max_length=4096)] | int | bool


def bicep_params(content: str) -> dict[str, tuple[str, bool]]:
    """The params a module declares: name -> (type, whether it may be left out)."""
    return {
        m.group(1): (m.group(2), bool(m.group(3) or m.group(4)))
        for m in _BICEP_PARAM.finditer(content)
    }


class BicepModule(Model):
    content: FileContent
    """The module's Bicep, written as given next to main.bicep (resource-group scope)."""
    params: dict[BicepParamName, BicepParamValue] = Field(default_factory=dict)
    """Values for the params the module declares (string, int or bool), passed from
    main.bicep. A declared `location` or `nameSuffix` not given here gets main.bicep's own."""
    justification: Justification | None = None
    """Required when the module names Microsoft.Authorization (role assignments and
    definitions, policy), Microsoft.ManagedIdentity or network security groups."""

    @model_validator(mode="after")
    def _protected(self) -> "BicepModule":
        found = _PROTECTED_BICEP.search(self.content)
        if found:
            _refuse_unjustified(found.group(0), self.justification)
        return self

    @model_validator(mode="after")
    def _declared_params(self) -> "BicepModule":
        scope = _BICEP_SCOPE.search(self.content)
        if scope and scope.group(1) != "resourceGroup":
            raise ValueError(
                f"found targetScope '{scope.group(1)}'; expected a module at resource-group "
                "scope, as main.bicep deploys it"
            )
        declared = bicep_params(self.content)
        for name, value in self.params.items():
            if name not in declared:
                known = ", ".join(sorted(declared)) or "none"
                raise ValueError(
                    f"found param {name!r}, which the module does not declare; expected one of "
                    f"its params ({known})"
                )
            kind = declared[name][0]
            wanted = _PARAM_TYPES.get(kind)
            if wanted is None or type(value) is not wanted:
                raise ValueError(
                    f"found {value!r} for param {name!r} of type {kind}; expected "
                    + (f"a {kind}" if wanted else "a param of type string, int or bool")
                )
        missing = [
            n
            for n, (_, optional) in declared.items()
            if not optional and n not in self.params and n not in BICEP_MAIN_PARAMS
        ]
        if missing:
            raise ValueError(
                f"missing param {missing[0]!r}, which the module declares without a default; "
                f"expected it in params"
            )
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
