"""The escape hatch (issue 12, item 5): the overrides model, its refusals and its notes."""

from __future__ import annotations

import textwrap
from pathlib import Path

import yaml

from blueprint.model.overrides import TerraformFile
from tests.support import run_cli

BASE = """\
name: demo
platforms:
  kubernetes: {namespace: shop}
  aws: {region: eu-west-2}
  azure: {location: westeurope}
services:
  web:
    platform: kubernetes
    image: {registry: ghcr.io, repository: acme/web, tag: "1.8.2"}
    replicas: 2
    health: {path: /healthz}
"""

JUSTIFICATION = (
    "justification: {owner: team-platform, reason: needed for the mesh, expires: 2027-01-31}"
)


def _run(tmp_path: Path, command: str, overrides: str) -> tuple[int, str, str, str]:
    path = tmp_path / "blueprint.yaml"
    path.write_text(BASE + textwrap.dedent(overrides), encoding="utf-8")
    code, out, err = run_cli(command, str(path))
    return code, out, err, str(path) + ":"


def _errors(tmp_path: Path, overrides: str) -> list[str]:
    code, out, err, prefix = _run(tmp_path, "validate", overrides)
    assert (code, out) == (2, "")
    return [line.removeprefix(prefix) for line in err.splitlines()]


def test_protected_objects_need_a_justification(tmp_path: Path) -> None:
    assert _errors(
        tmp_path,
        """\
        overrides:
          kubernetes:
            workloads:
              web:
                patches:
                  - target: {kind: RoleBinding}
                    strategic_merge: {subjects: []}
          terraform:
            aws:
              files:
                iam.tf: {content: 'resource "aws_iam_role_policy" "p" {}'}
                sg_override.tf: {content: 'resource "aws_security_group_rule" "r" {}'}
          cloudformation:
            resources:
              Role: {merge: {Type: "AWS::IAM::Role"}}
          bicep:
            modules:
              roles.bicep:
                content: "resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = {}"
        """,
    ) == [
        "17:13: found an override of a RoleBinding, an identity or network-security object; "
        "expected a justification: {owner, reason, expires} (overrides there bypass the access "
        "rules)",
        "22:9: found an override of aws_iam_role_policy, an identity or network-security object; "
        "expected a justification: {owner, reason, expires} (overrides there bypass the access "
        "rules)",
        "23:9: found an override of aws_security_group_rule, an identity or network-security "
        "object; expected a justification: {owner, reason, expires} (overrides there bypass the "
        "access rules)",
        "26:7: found an override of AWS::IAM::Role, an identity or network-security object; "
        "expected a justification: {owner, reason, expires} (overrides there bypass the access "
        "rules)",
        "29:7: found an override of Microsoft.Authorization/roleAssignments, an identity or "
        "network-security object; expected a justification: {owner, reason, expires} "
        "(overrides there bypass the access rules)",
    ]


def test_a_justification_admits_a_protected_override() -> None:
    justified = TerraformFile.model_validate(
        {
            "content": 'resource "aws_iam_role_policy" "p" {}',
            "justification": {
                "owner": "team-platform",
                "reason": "needed for the mesh",
                "expires": "2027-01-31",
            },
        }
    )
    assert justified.justification is not None


def test_file_names_are_relative_paths_inside_the_folder(tmp_path: Path) -> None:
    assert _errors(
        tmp_path,
        """\
        overrides:
          terraform:
            aws:
              files:
                ../escape.tf: {content: ""}
                /etc/abs.tf: {content: ""}
                'a\\b.tf': {content: ""}
                notes.txt: {content: ""}
          bicep:
            modules:
              ./extra.bicep: {content: ""}
        """,
    ) == [
        "16:9: found '../escape.tf', which has a '..' segment; expected a file name ending in "
        ".tf such as extra.tf, in no subfolder (no '.' or '..' segments)",
        "17:9: found '/etc/abs.tf'; expected a file name ending in .tf such as extra.tf, "
        "in no subfolder, made of letters, digits, '_', '.' and '-' (no absolute path, no "
        "backslash)",
        "18:9: found 'a\\\\b.tf'; expected a file name ending in .tf such as extra.tf, "
        "in no subfolder, made of letters, digits, '_', '.' and '-' (no absolute path, no "
        "backslash)",
        "19:9: found 'notes.txt'; expected a file name ending in .tf such as extra.tf, "
        "in no subfolder, made of letters, digits, '_', '.' and '-' (no absolute path, no "
        "backslash)",
        "22:7: found './extra.bicep', which has a '.' segment; expected a relative file name "
        "ending in .bicep such as extra.bicep (no '.' or '..' segments)",
    ]


def test_a_patch_is_a_strategic_merge_or_json6902(tmp_path: Path) -> None:
    assert _errors(
        tmp_path,
        """\
        overrides:
          kubernetes:
            workloads:
              web:
                patches:
                  - target: {kind: Deployment}
                  - target: {kind: Deployment}
                    strategic_merge: {spec: {minReadySeconds: 10}}
                    json6902: [{op: remove, path: /spec/replicas}]
        """,
    ) == [
        "17:13: found neither strategic_merge and json6902; expected exactly one",
        "18:13: found both strategic_merge and json6902; expected exactly one",
    ]


def test_overrides_name_declared_workloads(tmp_path: Path) -> None:
    assert _errors(
        tmp_path,
        """\
        overrides:
          kubernetes:
            workloads:
              api: {labels: {team: shop}}
        """,
    ) == [
        "15:12: unknown workload 'api'; expected one of the declared workloads: 'web'",
    ]


def test_reserved_labels_and_annotations_are_refused(tmp_path: Path) -> None:
    assert _errors(
        tmp_path,
        """\
        overrides:
          kubernetes:
            workloads:
              web:
                labels: {app.kubernetes.io/name: other}
        """,
    ) == [
        "15:7: found label 'app.kubernetes.io/name', which blueprint sets and the selectors "
        "rely on; expected another label key",
    ]


def test_overrides_need_their_cloud(tmp_path: Path) -> None:
    assert _errors(
        tmp_path,
        """\
        overrides:
          terraform:
            gcp: {files: {extra.tf: {content: ""}}}
        """,
    ) == [
        "14:5: found overrides for gcp, which the blueprint does not declare; expected "
        "platforms.gcp (project: my-project, region: europe-west1)",
    ]


def test_folders_the_blueprint_does_not_render_are_refused(tmp_path: Path) -> None:
    assert _errors(
        tmp_path,
        """\
        overrides:
          terraform:
            aws: {files: {extra.tf: {content: ""}}}
          cloudformation:
            resources: {WebService: {merge: {Metadata: {Team: shop}}}}
        """,
    ) == [
        "14:5: found overrides for aws/terraform/, which this blueprint does not render; "
        "expected something on aws and terraform in platforms.aws.formats",
        "15:3: found overrides for aws/cloudformation/, which this blueprint does not render; "
        "expected something on aws and cloudformation in platforms.aws.formats",
    ]


def test_every_cloud_s_identity_and_firewall_blocks_need_a_justification(
    tmp_path: Path,
) -> None:
    assert _errors(
        tmp_path,
        """\
        overrides:
          terraform:
            aws:
              files:
                a.tf: {content: 'resource "aws_vpc_security_group_ingress_rule" "r" {}'}
                b.tf: {content: 'resource "aws_s3_bucket_policy" "p" {}'}
            gcp:
              files:
                c.tf: {content: 'resource "google_project_iam_member" "m" {}'}
                d.tf: {content: 'resource "google_compute_firewall" "f" {}'}
                e.tf: {content: 'resource "aws_appautoscaling_policy" "scaling" {}'}
        """,
    ) == [
        f"{line}: found an override of {what}, an identity or network-security object; "
        "expected a justification: {owner, reason, expires} (overrides there bypass the access "
        "rules)"
        for line, what in (
            ("16:9", "aws_vpc_security_group_ingress_rule"),
            ("17:9", "aws_s3_bucket_policy"),
            ("20:9", "google_project_iam_member"),
            ("21:9", "google_compute_firewall"),
        )
    ]


def test_check_notes_every_override(tmp_path: Path) -> None:
    code, out, err, prefix = _run(
        tmp_path,
        "check",
        """\
        overrides:
          kubernetes:
            workloads:
              web:
                labels: {team: shop}
                annotations: {example.com/runbook: https://runbooks.example.com/web}
        """,
    )
    notes = [line.removeprefix(prefix) for line in out.splitlines() if "BP6002" in line]
    assert notes == [
        "15:7: note BP6002 services.web: 1 extra label and 1 extra annotation are not "
        "verified by the rules",
    ]
    assert (code, err) == (0, "")


def test_labels_and_annotations_reach_the_manifests(tmp_path: Path) -> None:
    path = tmp_path / "blueprint.yaml"
    path.write_text(
        BASE
        + "overrides:\n  kubernetes:\n    workloads:\n      web:\n"
        + "        labels: {team: shop}\n        annotations: {example.com/owner: shop}\n",
        encoding="utf-8",
    )
    code, _out, err = run_cli("render", str(path), "--out", str(tmp_path / "out"))
    assert (code, err) == (0, "")
    objects = list(
        yaml.safe_load_all((tmp_path / "out/kubernetes/manifests/web.yaml").read_text("utf-8"))
    )
    deployment = next(o for o in objects if o["kind"] == "Deployment")
    assert deployment["metadata"]["annotations"]["example.com/owner"] == "shop"
    for labelled in (*objects, deployment["spec"]["template"]):
        assert labelled["metadata"]["labels"]["team"] == "shop"


def test_check_notes_kubernetes_patches(tmp_path: Path) -> None:
    code, out, err, prefix = _run(
        tmp_path,
        "check",
        """\
        overrides:
          kubernetes:
            workloads:
              web:
                patches:
                  - {target: {kind: Deployment}, strategic_merge: {spec: {minReadySeconds: 10}}}
                  - {target: {kind: Service}, json6902: [{op: add, path: /spec/x, value: 1}]}
        """,
    )
    notes = [line.removeprefix(prefix) for line in out.splitlines() if "BP6002" in line]
    assert notes == [
        "15:7: note BP6002 services.web: 2 Kubernetes patches are not verified by the rules",
    ]
    assert (code, err) == (0, "")
