"""The Terraform: formatted, parsable, least privilege from the call graph, checkov-clean."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from generators.gcp.roles import PRIMITIVE_ROLES, ROLES
from tests.checkov_support import run_checkov
from tests.generators.gcp.support import example, kitchen_sink, render, rich, write_tree
from tests.generators.gcp.terraform_support import (
    of_type,
    parse,
    resources,
    terraform_fmt_check,
)

SOURCES = ["gcp-cloud-run", "rich"]
ALL_SOURCES = [*SOURCES, "gcp-shop", "kitchen-sink"]
INVOKER, READER = "roles/run.invoker", "roles/artifactregistry.reader"


def _sa(name: str) -> str:
    return f"${{google_service_account.{name}.member}}"


def _run(name: str) -> str:
    return f"${{google_cloud_run_v2_service.{name}.name}}"


def _files(source: str) -> dict[str, str]:
    if source == "kitchen-sink":
        return render(kitchen_sink())
    return render(rich() if source == "rich" else example(source))


def _members(found: dict[tuple[str, str], dict[str, Any]], rtype: str) -> set[tuple[str, ...]]:
    """(target reference, role, member) for every IAM member resource of a type."""
    target_key = {
        "google_cloud_run_v2_service_iam_member": "name",
        "google_artifact_registry_repository_iam_member": "repository",
        "google_secret_manager_secret_iam_member": "secret_id",
    }[rtype]
    return {
        (body[target_key], body["role"], body["member"]) for body in of_type(found, rtype).values()
    }


@pytest.mark.parametrize("source", ALL_SOURCES)
def test_terraform_fmt_is_clean(source: str, tmp_path: Path) -> None:
    write_tree(_files(source), tmp_path)
    proc = terraform_fmt_check(tmp_path / "gcp" / "terraform")
    assert (proc.returncode, proc.stdout) == (0, ""), proc.stderr


@pytest.mark.parametrize("source", SOURCES)
def test_every_file_parses_with_python_hcl2(source: str) -> None:
    files = {p: t for p, t in _files(source).items() if p.endswith(".tf")}
    assert sorted(files) == sorted(
        f"gcp/terraform/{n}"
        for n in (
            "versions.tf",
            "variables.tf",
            "identity.tf",
            "registry.tf",
            "services.tf",
            "outputs.tf",
            *(("secrets.tf", "network.tf") if source == "rich" else ()),
        )
    )
    for path, text in files.items():
        assert isinstance(parse(text), dict), path


def test_provider_is_pinned_and_configured_from_variables() -> None:
    versions = parse(_files("gcp-cloud-run")["gcp/terraform/versions.tf"])
    (terraform,) = versions["terraform"]
    assert terraform["required_version"] == ">= 1.5.0"
    (providers,) = terraform["required_providers"]
    assert providers["google"] == {"source": "hashicorp/google", "version": "~> 6.0"}
    (provider,) = versions["provider"]
    assert provider["google"]["project"] == "${var.project}"
    assert provider["google"]["region"] == "${var.region}"
    variables = parse(_files("gcp-cloud-run")["gcp/terraform/variables.tf"])
    defaults = {
        name: body.get("default") for block in variables["variable"] for name, body in block.items()
    }
    assert defaults == {
        "project": "example-project",
        "region": "europe-west2",
        "labels": {},
        "deletion_protection": True,
    }


def test_seed_repository_is_a_docker_repository_with_immutable_tags_and_cleanup() -> None:
    found = resources(_files("gcp-cloud-run"))
    repo = of_type(found, "google_artifact_registry_repository")["containers"]
    assert (repo["repository_id"], repo["format"], repo["location"]) == (
        "containers",
        "DOCKER",
        "${var.region}",
    )
    assert repo["docker_config"][0]["immutable_tags"] is True
    assert [p["action"] for p in repo["cleanup_policies"]] == ["KEEP", "DELETE"]
    assert repo["cleanup_policy_dry_run"] is False


def test_seed_service_is_public_and_pulls_from_its_repository() -> None:
    found = resources(_files("gcp-cloud-run"))
    assert _members(found, "google_cloud_run_v2_service_iam_member") == {
        ("${google_cloud_run_v2_service.hello.name}", "roles/run.invoker", "allUsers")
    }
    assert _members(found, "google_artifact_registry_repository_iam_member") == {
        (
            "${google_artifact_registry_repository.containers.name}",
            "roles/artifactregistry.reader",
            "${google_service_account.hello.member}",
        )
    }
    (account,) = of_type(found, "google_service_account").values()
    assert account["account_id"] == "run-hello"


def test_invokers_are_exactly_the_callers_and_the_public() -> None:
    found = resources(_files("rich"))
    assert _members(found, "google_cloud_run_v2_service_iam_member") == {
        # web calls api, api calls audit; only web is behind a public ingress.
        (_run("api"), INVOKER, _sa("web")),
        (_run("audit"), INVOKER, _sa("api")),
        (_run("web"), INVOKER, "allUsers"),
    }


def test_all_users_appears_only_for_public_services() -> None:
    for source in SOURCES:
        for path, text in _files(source).items():
            publics = re.findall(r'resource "[a-z0-9_]+" "([a-z0-9_]+)" \{[^}]*allUsers', text)
            if path.endswith("services.tf"):
                expected = ["hello__public"] if source != "rich" else ["web__public"]
                assert publics == expected, path
            else:
                assert "allUsers" not in text and "allAuthenticatedUsers" not in text, path


def test_artifact_reader_for_runtime_identities_pulling_from_the_repository() -> None:
    found = resources(_files("rich"))
    # audit pulls from docker.io, so its identity gets nothing on the repository.
    repository = "${google_artifact_registry_repository.containers.name}"
    assert _members(found, "google_artifact_registry_repository_iam_member") == {
        (repository, READER, _sa("api")),
        (repository, READER, _sa("web")),
    }


def test_secret_accessor_per_secret_used_on_that_secret() -> None:
    found = resources(_files("rich"))
    assert _members(found, "google_secret_manager_secret_iam_member") == {
        (
            "${google_secret_manager_secret.db_password.secret_id}",
            "roles/secretmanager.secretAccessor",
            "${google_service_account.api.member}",
        )
    }
    secret = of_type(found, "google_secret_manager_secret")["db_password"]
    assert secret["secret_id"] == "db-password"
    assert "google_secret_manager_secret_version" not in {t for t, _ in found}


def test_service_waits_for_the_bindings_its_revision_needs() -> None:
    found = resources(_files("rich"))
    services = of_type(found, "google_cloud_run_v2_service")
    assert services["api"]["depends_on"] == [
        "${google_artifact_registry_repository_iam_member.containers__api}",
        "${google_secret_manager_secret_iam_member.db_password__api}",
    ]
    assert "depends_on" not in services["audit"]


def test_vpc_network_subnets_nat_and_firewall() -> None:
    found = resources(_files("rich"))
    subnets = of_type(found, "google_compute_subnetwork")
    assert {k: (v["name"], v["ip_cidr_range"]) for k, v in subnets.items()} == {
        "edge_a": ("edge-a", "10.8.1.0/24"),
        "run_a": ("run-a", "10.8.0.0/24"),
    }
    nat = of_type(found, "google_compute_router_nat")["core"]
    assert [s["name"] for s in nat["subnetwork"]] == ["${google_compute_subnetwork.run_a.id}"]
    firewall = of_type(found, "google_compute_firewall")["core"]
    assert (firewall["direction"], firewall["deny"][0]["protocol"]) == ("INGRESS", "all")
    api = of_type(found, "google_cloud_run_v2_service")["api"]
    assert api["template"][0]["vpc_access"][0] == {
        "__is_block__": True,
        "egress": "ALL_TRAFFIC",
        "network_interfaces": [
            {
                "__is_block__": True,
                "network": "${google_compute_network.core.id}",
                "subnetwork": "${google_compute_subnetwork.run_a.id}",
            }
        ],
    }


def test_outputs_give_service_urls() -> None:
    outputs = parse(_files("rich")["gcp/terraform/outputs.tf"])
    values = {name: body["value"] for block in outputs["output"] for name, body in block.items()}
    assert {k: v for k, v in values.items() if k.endswith("_url")} == {
        "api_url": "${google_cloud_run_v2_service.api.uri}",
        "audit_url": "${google_cloud_run_v2_service.audit.uri}",
        "web_url": "${google_cloud_run_v2_service.web.uri}",
    }


@pytest.mark.parametrize("source", SOURCES)
def test_no_primitive_role_appears_anywhere(source: str) -> None:
    pattern = re.compile(r"roles/(owner|editor|viewer)\b")
    for path, text in _files(source).items():
        assert pattern.search(text) is None, path
    assert not PRIMITIVE_ROLES & {r for roles in ROLES.values() for r in roles}


# Every inline skip, by check and resource type: each is justified in its comment and in
# docs/gcp.md ("checkov skips").
JUSTIFIED_SKIPS = {
    ("CKV_GCP_84", "google_artifact_registry_repository"),
    ("CKV_GCP_83", "google_pubsub_topic"),
    ("CKV_GCP_62", "google_storage_bucket"),
    ("CKV_GCP_6", "google_sql_database_instance"),
    ("CKV_GCP_79", "google_sql_database_instance"),
}
CHECKOV_COUNTS = {  # (passed, skipped)
    "gcp-cloud-run": (1, 1),
    "rich": (15, 1),
    "gcp-shop": (84, 5),
    "kitchen-sink": (145, 9),
}


@pytest.mark.checkov
@pytest.mark.parametrize("source", sorted(CHECKOV_COUNTS))
def test_checkov_passes_with_only_the_justified_skips(source: str, tmp_path: Path) -> None:
    write_tree(_files(source), tmp_path)
    result = run_checkov(tmp_path / "gcp" / "terraform", "terraform")
    assert (result.failed, result.parsing_errors, result.failures) == (0, 0, ())
    skipped = {(s.split()[0], s.split()[1].split(".")[0]) for s in result.skips}
    assert skipped <= JUSTIFIED_SKIPS, skipped - JUSTIFIED_SKIPS
    assert (result.passed, result.skipped) == CHECKOV_COUNTS[source]
