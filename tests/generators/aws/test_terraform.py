"""The Terraform output: fmt-clean, parses, and says exactly what the blueprint says."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.generators.aws.support import (
    AWS_EXAMPLES,
    AWS_SYSTEMS,
    call_argument,
    render_example,
    resources,
    terraform,
    write,
)


@pytest.mark.parametrize("example", AWS_EXAMPLES + AWS_SYSTEMS)
def test_terraform_fmt_check_is_clean(example: str, tmp_path: Path) -> None:
    binary = shutil.which("terraform")
    if binary is None:
        pytest.skip("terraform is not installed: `terraform fmt -check` cannot run here")
    write(render_example(example), tmp_path)
    proc = subprocess.run(
        [binary, "fmt", "-check", "-diff", "-recursive", str(tmp_path / "aws" / "terraform")],
        capture_output=True,
        text=True,
        env={**os.environ, "CHECKPOINT_DISABLE": "1"},
        check=False,
        timeout=120,
    )
    assert (proc.returncode, proc.stdout) == (0, "")


@pytest.mark.parametrize("example", AWS_EXAMPLES + AWS_SYSTEMS)
def test_every_terraform_file_parses(example: str) -> None:
    files = render_example(example)
    parsed = terraform(files)
    assert set(parsed) == {p.rsplit("/", 1)[1] for p in files if p.endswith(".tf")}
    assert all(parsed.values())


def test_which_files_render() -> None:
    assert sorted(render_example("aws-fargate-api")) == [
        "aws/cloudformation/template.json",
        "aws/terraform/ecs.tf",
        "aws/terraform/iam.tf",
        "aws/terraform/ingress.tf",
        "aws/terraform/network.tf",
        "aws/terraform/outputs.tf",
        "aws/terraform/registry.tf",
        "aws/terraform/security.tf",
        "aws/terraform/storage.tf",
        "aws/terraform/variables.tf",
        "aws/terraform/versions.tf",
    ]
    # company-iam keeps the default format, Terraform only, and has no network.
    assert sorted(render_example("company-iam")) == [
        "aws/terraform/ecs.tf",
        "aws/terraform/iam.tf",
        "aws/terraform/outputs.tf",
        "aws/terraform/registry.tf",
        "aws/terraform/security.tf",
        "aws/terraform/storage.tf",
        "aws/terraform/variables.tf",
        "aws/terraform/versions.tf",
    ]


def test_provider_is_pinned() -> None:
    versions = terraform(render_example("aws-fargate-api"))["versions.tf"]
    tf = versions["terraform"][0]
    assert tf["required_version"] == ">= 1.5.0"
    assert tf["required_providers"][0]["aws"] == {"source": "hashicorp/aws", "version": "~> 5.80"}
    assert versions["provider"][0]["aws"]["region"] == "eu-west-2"


def _defaults(files: dict[str, str]) -> dict[str, object]:
    doc = terraform(files)["variables.tf"]
    return {name: v["default"] for block in doc["variable"] for name, v in block.items()}


def test_variables_default_to_the_blueprint() -> None:
    assert _defaults(render_example("aws-fargate-api")) == {
        "web_replicas": 3,
        "web_cpu": 512,
        "web_memory": 1024,
        "web_image_tag": "1.4.2",
        "log_retention_days": 365,
    }


def test_variables_follow_the_environment_overlay() -> None:
    assert _defaults(render_example("aws-fargate-api", environment="dev")) == {
        "web_replicas": 1,
        "web_cpu": 256,
        "web_memory": 512,
        "web_image_tag": "1.4.2",
        "log_retention_days": 365,
    }


def test_network_is_the_seeds() -> None:
    files = render_example("aws-fargate-api")
    assert resources(files, "aws_vpc")["main"]["cidr_block"] == "10.0.0.0/16"
    subnets = {
        label: (s["cidr_block"], s["availability_zone"], s["map_public_ip_on_launch"])
        for label, s in resources(files, "aws_subnet").items()
    }
    assert subnets == {
        "public_a": ("10.0.64.0/19", "eu-west-2a", False),
        "private_a": ("10.0.0.0/19", "eu-west-2a", False),
    }
    tables = resources(files, "aws_route_table")
    assert tables["main_internet"]["route"] == [
        {
            "cidr_block": "0.0.0.0/0",
            "gateway_id": "${aws_internet_gateway.main.id}",
            "__is_block__": True,
        }
    ]
    assert tables["main_nat"]["route"] == [
        {
            "cidr_block": "0.0.0.0/0",
            "nat_gateway_id": "${aws_nat_gateway.main.id}",
            "__is_block__": True,
        }
    ]
    assert {
        label: a["route_table_id"]
        for label, a in resources(files, "aws_route_table_association").items()
    } == {
        "public_a": "${aws_route_table.main_internet.id}",
        "private_a": "${aws_route_table.main_nat.id}",
    }
    nat = resources(files, "aws_nat_gateway")["main"]
    assert (nat["allocation_id"], nat["subnet_id"]) == (
        "${aws_eip.main_nat.id}",
        "${aws_subnet.public_a.id}",
    )
    assert resources(files, "aws_eip")["main_nat"]["domain"] == "vpc"


def _rules(files: dict[str, str]) -> set[tuple[str, str, int, str]]:
    out: set[tuple[str, str, int, str]] = set()
    for direction in ("ingress", "egress"):
        for rule in resources(files, f"aws_vpc_security_group_{direction}_rule").values():
            peer = (
                rule.get("referenced_security_group_id")
                or rule.get("cidr_ipv4")
                or rule["cidr_ipv6"]
            )
            assert rule["from_port"] == rule["to_port"]
            out.add((rule["security_group_id"], direction, rule["from_port"], peer))
    return out


def test_security_groups_admit_only_declared_callers() -> None:
    files = render_example("aws-fargate-api")
    link, lb, web = (
        "${aws_security_group.api_vpc_link.id}",
        "${aws_security_group.lb_lb.id}",
        "${aws_security_group.web_service.id}",
    )
    assert _rules(files) == {
        (link, "egress", 8080, lb),
        (lb, "ingress", 8080, link),
        (lb, "egress", 8080, web),
        (web, "ingress", 8080, lb),
        (web, "egress", 443, "0.0.0.0/0"),
    }
    assert "::/0" not in "".join(files.values())


def test_every_security_group_is_attached() -> None:
    files = render_example("aws-fargate-api")
    assert sorted(resources(files, "aws_security_group")) == [
        "api_vpc_link",
        "lb_lb",
        "web_service",
    ]
    service = resources(files, "aws_ecs_service")["web"]
    assert service["network_configuration"][0]["security_groups"] == [
        "${aws_security_group.web_service.id}"
    ]
    assert service["network_configuration"][0]["assign_public_ip"] is False
    assert service["network_configuration"][0]["subnets"] == ["${aws_subnet.private_a.id}"]
    assert resources(files, "aws_lb")["lb"]["security_groups"] == ["${aws_security_group.lb_lb.id}"]
    assert resources(files, "aws_apigatewayv2_vpc_link")["api"]["security_group_ids"] == [
        "${aws_security_group.api_vpc_link.id}"
    ]


def test_task_definition_and_service() -> None:
    files = render_example("aws-fargate-api")
    task = resources(files, "aws_ecs_task_definition")["web"]
    assert task["execution_role_arn"] == "${aws_iam_role.web_execution.arn}"
    assert task["task_role_arn"] == "${aws_iam_role.web_task.arn}"
    assert (task["cpu"], task["memory"]) == ("${var.web_cpu}", "${var.web_memory}")
    (container,) = call_argument(task["container_definitions"])
    assert container["portMappings"] == [
        {"containerPort": 8080, "hostPort": 8080, "protocol": "tcp"}
    ]
    assert container["environment"] == [{"name": "LOG_LEVEL", "value": "info"}]
    assert container["secrets"] == []
    assert container["logConfiguration"]["options"]["awslogs-group"] == (
        "${aws_cloudwatch_log_group.web.name}"
    )
    assert container["healthCheck"]["command"] == [
        "CMD",
        "curl",
        "-fsS",
        "-o",
        "/dev/null",
        "http://localhost:8080/",
    ]
    service = resources(files, "aws_ecs_service")["web"]
    assert (service["desired_count"], service["launch_type"]) == ("${var.web_replicas}", "FARGATE")
    assert service["load_balancer"][0]["target_group_arn"] == "${aws_lb_target_group.lb_8080.arn}"
    logs = resources(files, "aws_cloudwatch_log_group")["web"]
    assert (logs["retention_in_days"], logs["kms_key_id"]) == (
        "${var.log_retention_days}",
        "${aws_kms_key.main.arn}",
    )
    cluster = resources(files, "aws_ecs_cluster")["main"]
    assert cluster["setting"][0]["name"] == "containerInsights"


def test_ingress_is_the_seeds_without_its_defects() -> None:
    files = render_example("aws-fargate-api")
    lb = resources(files, "aws_lb")["lb"]
    assert (lb["load_balancer_type"], lb["internal"]) == ("network", True)
    listener = resources(files, "aws_lb_listener")["lb_8080"]
    assert (listener["port"], listener["protocol"]) == (8080, "TCP")
    tg = resources(files, "aws_lb_target_group")["lb_8080"]
    assert (tg["port"], tg["target_type"], tg["health_check"][0]["path"]) == (8080, "ip", "/")
    route = resources(files, "aws_apigatewayv2_route")["api_route_1"]
    assert (route["route_key"], route["authorization_type"]) == ("ANY /{proxy+}", "JWT")
    authorizer = resources(files, "aws_apigatewayv2_authorizer")["api"]
    assert authorizer["jwt_configuration"][0]["issuer"] == (
        "https://cognito-idp.${data.aws_region.current.name}.amazonaws.com/"
        "${aws_cognito_user_pool.users.id}"
    )
    integration = resources(files, "aws_apigatewayv2_integration")["api_lb_8080"]
    assert (integration["connection_type"], integration["integration_uri"]) == (
        "VPC_LINK",
        "${aws_lb_listener.lb_8080.arn}",
    )
    stage = resources(files, "aws_apigatewayv2_stage")["api"]
    assert (stage["name"]) == "$default"
    assert stage["access_log_settings"][0]["destination_arn"] == (
        "${aws_cloudwatch_log_group.api_access.arn}"
    )
    repo = resources(files, "aws_ecr_repository")["images_web"]
    assert (repo["name"], repo["image_tag_mutability"]) == ("web", "IMMUTABLE")
    assert repo["image_scanning_configuration"][0]["scan_on_push"] is True
    assert repo["encryption_configuration"][0]["encryption_type"] == "KMS"


def _policy(files: dict[str, str], rtype: str, label: str) -> dict[str, object]:
    return call_argument(resources(files, rtype)[label]["policy"])  # type: ignore[no-any-return]


def test_task_and_execution_roles_are_separate_and_least_privilege() -> None:
    files = render_example("aws-fargate-api")
    roles = resources(files, "aws_iam_role")
    assert sorted(roles) == ["main_flow_logs", "web_execution", "web_task"]
    execution = _policy(files, "aws_iam_role_policy", "web_execution")
    assert [(s["Sid"], s["Action"], s["Resource"]) for s in execution["Statement"]] == [
        (
            "PullImage",
            ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            ["${aws_ecr_repository.images_web.arn}"],
        ),
        ("RegistryToken", ["ecr:GetAuthorizationToken"], ["*"]),
        (
            "WriteLogs",
            ["logs:CreateLogStream", "logs:PutLogEvents"],
            [
                "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:"
                "${data.aws_caller_identity.current.account_id}:log-group:/ecs/fastapi-on-fargate/web:log-stream:*"
            ],
        ),
    ]
    task = _policy(files, "aws_iam_role_policy", "web_task")
    assert [(s["Sid"], s["Action"], s["Resource"]) for s in task["Statement"]] == [
        (
            "ReadUploadsResource",
            ["s3:GetBucketLocation", "s3:ListBucket"],
            ["${aws_s3_bucket.uploads.arn}"],
        ),
        (
            "ReadUploadsObjects",
            ["s3:GetObject", "s3:GetObjectVersion"],
            ["${aws_s3_bucket.uploads.arn}/*"],
        ),
        ("UseEncryptionKey", ["kms:Decrypt"], ["${aws_kms_key.main.arn}"]),
    ]


def test_bucket_is_private_encrypted_versioned_and_tls_only() -> None:
    files = render_example("aws-fargate-api")
    pab = resources(files, "aws_s3_bucket_public_access_block")["uploads"]
    assert all(
        pab[k] is True
        for k in (
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets",
        )
    )
    sse = resources(files, "aws_s3_bucket_server_side_encryption_configuration")["uploads"]
    default = sse["rule"][0]["apply_server_side_encryption_by_default"][0]
    assert (default["sse_algorithm"], default["kms_master_key_id"]) == (
        "aws:kms",
        "${aws_kms_key.main.arn}",
    )
    versioning = resources(files, "aws_s3_bucket_versioning")["uploads"]
    assert versioning["versioning_configuration"][0]["status"] == "Enabled"
    (deny,) = _policy(files, "aws_s3_bucket_policy", "uploads")["Statement"]
    assert (deny["Effect"], deny["Condition"]) == (
        "Deny",
        {"Bool": {"aws:SecureTransport": "false"}},
    )
    assert resources(files, "aws_s3_bucket")["uploads"]["bucket"] == "fastapi-on-fargate-uploads"


def test_company_hierarchy_is_groups_users_and_scoped_policies() -> None:
    files = render_example("company-iam")
    assert {k: v["name"] for k, v in resources(files, "aws_iam_group").items()} == {
        "console_mfa": "company-iam-console-mfa",
        "developer": "company-iam-developer",
        "infra_builder": "company-iam-infra-builder",
        "service_publisher": "company-iam-service-publisher",
    }
    assert {
        k: (v["groups"]) for k, v in resources(files, "aws_iam_user_group_membership").items()
    } == {
        "builder_ci_user": ["${aws_iam_group.infra_builder.name}"],
        "leo_user": ["${aws_iam_group.developer.name}", "${aws_iam_group.console_mfa.name}"],
        "publisher_ci_user": ["${aws_iam_group.service_publisher.name}"],
    }
    assert sorted(resources(files, "aws_iam_user_login_profile")) == ["leo_user"]
    assert "aws_iam_access_key" not in "".join(files.values())
    publisher = _policy(files, "aws_iam_policy", "service_publisher")["Statement"]
    assert [(s["Action"], s["Resource"]) for s in publisher] == [
        (
            [
                "ecr:BatchCheckLayerAvailability",
                "ecr:BatchGetImage",
                "ecr:CompleteLayerUpload",
                "ecr:GetDownloadUrlForLayer",
                "ecr:InitiateLayerUpload",
                "ecr:PutImage",
                "ecr:UploadLayerPart",
            ],
            ["${aws_ecr_repository.ecr.arn}"],
        ),
        (["ecr:GetAuthorizationToken"], ["*"]),
    ]
    builder = _policy(files, "aws_iam_policy", "infra_builder")["Statement"]
    assert [(s["Sid"], s["Resource"]) for s in builder] == [
        ("ManageEcrResource", ["${aws_ecr_repository.ecr.arn}"]),
        ("ManageEcsResource", ["${aws_ecs_cluster.ecs.arn}"]),
        ("ManageEcsAccount", ["*"]),
        ("ManageS3Resource", ["${aws_s3_bucket.s3.arn}"]),
    ]
    assert builder[2]["Action"] == ["ecs:ListClusters"]
    assert not any(a.startswith("iam:") for s in builder for a in s["Action"])
    mfa = _policy(files, "aws_iam_policy", "console_mfa")["Statement"]
    deny = mfa[-1]
    assert (deny["Effect"], deny["Resource"], deny["Condition"]) == (
        "Deny",
        ["*"],
        {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
    )
    assert (mfa[1]["Resource"][0]).endswith(":mfa/${aws:username}")
    names = {k: v["name"] for k, v in resources(files, "aws_ecr_repository").items()}
    assert names == {"ecr": "company-iam-ecr"}
    assert resources(files, "aws_ecs_cluster")["ecs"]["name"] == "company-iam-ecs"
    assert resources(files, "aws_s3_bucket")["s3"]["bucket"] == "company-iam-s3"
