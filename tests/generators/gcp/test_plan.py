"""Names and the derived plan: service accounts, secrets, labels, grants."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from blueprint.errors import BlueprintError
from blueprint.model import Image
from blueprint.view import SystemView
from generators.gcp import GENERATOR, naming
from generators.gcp.plan import Binding, build_plan
from tests.generators.gcp.support import example
from tests.support import load_text

SERVICE_NAME = st.from_regex(r"\A[a-z]([-a-z0-9]{0,47}[a-z0-9])?\Z")


@given(SERVICE_NAME)
def test_service_account_ids_are_valid_for_every_cloud_run_name(name: str) -> None:
    account = naming.service_account_id(name)
    assert re.fullmatch(r"[a-z]([-a-z0-9]*[a-z0-9])?", account)
    assert 6 <= len(account) <= 30


def test_long_service_names_keep_distinct_accounts() -> None:
    a = naming.service_account_id("payments-reconciliation-worker-eu")
    b = naming.service_account_id("payments-reconciliation-worker-us")
    assert a != b
    assert a.startswith("run-payments-reconc")
    assert naming.service_account_id("a") == "run-a-sa"
    assert naming.service_account_id("hello") == "run-hello"


def test_image_references() -> None:
    digest = "sha256:" + "a" * 64
    assert (
        naming.image_reference(Image(registry="images", repository="x/y", tag="1"), "p1", "r1")
        == "r1-docker.pkg.dev/p1/images/x/y:1"
    )
    assert (
        naming.image_reference(
            Image(registry="images", repository="x", tag="1", digest=digest), "p", "r"
        )
        == f"r-docker.pkg.dev/p/images/x@{digest}"
    )
    assert (
        naming.image_reference(Image(registry="ghcr.io", repository="o/x", tag="2"), "p", "r")
        == "ghcr.io/o/x:2"
    )


def test_quantities() -> None:
    assert [naming.cpu_quantity(c) for c in (0.25, 0.5, 1, 2.0, 0.125)] == [
        "250m",
        "500m",
        "1",
        "2",
        "125m",
    ]
    assert naming.memory_quantity(512) == "512Mi"


def test_applies_only_to_blueprints_with_cloud_run_services() -> None:
    assert GENERATOR.applies_to(example("gcp-cloud-run"))
    assert not GENERATOR.applies_to(example("aws-fargate-api"))


_PRINCIPAL = """
name: granted
platforms: {gcp: {project: granted-project, region: europe-west1}}
services:
  builder:
    platform: cloud-run
    image: {registry: images, repository: builder, tag: "1"}
    secrets:
      TOKEN: {store: vault, key: api.token}
  reader:
    platform: cloud-run
    image: {registry: images, repository: reader, tag: "1"}
    secrets:
      TOKEN: {store: vault, key: api.token}
resources:
  images: {kind: registry}
  vault: {kind: secret-store}
identity:
  principals:
    builder-sa:
      kind: service
      workload: builder
      grants:
        - {resource: images, access: push}
        - {resource: vault, access: write}
        - {resource: reader, access: invoke}
        - {resource: "*", access: admin}
"""


def test_a_service_principals_grants_map_to_predefined_roles_and_wildcards_are_dropped() -> None:
    plan = build_plan(SystemView.of(load_text(_PRINCIPAL).blueprint))
    assert plan.bindings_of("builder") == (
        Binding("repository", "images", "roles/artifactregistry.reader", "builder"),
        Binding("repository", "images", "roles/artifactregistry.writer", "builder"),
        Binding("run-service", "reader", "roles/run.invoker", "builder"),
        Binding("secret", "api_token", "roles/secretmanager.secretAccessor", "builder"),
        Binding("secret", "api_token", "roles/secretmanager.secretVersionAdder", "builder"),
    )
    assert [s.secret_id for s in plan.secrets] == ["api_token"]


def test_secret_keys_that_collapse_onto_one_secret_id_are_refused() -> None:
    text = _PRINCIPAL.replace("key: api.token}\n  reader", "key: api_token}\n  reader")
    # Refused at validation (docs/support.md); the generator's own check stays as a backstop.
    with pytest.raises(BlueprintError, match="same Secret Manager secret as 'api_token'"):
        load_text(text)


def test_terraform_labels_that_collide_are_refused() -> None:
    text = """
    name: clash
    platforms: {gcp: {project: clash-project, region: europe-west1}}
    services:
      web:
        platform: cloud-run
        image: {registry: docker.io, repository: library/nginx, tag: "1"}
        secrets:
          A: {store: vault, key: db-pass}
          B: {store: vault, key: db_pass}
    resources:
      vault: {kind: secret-store}
    """
    with pytest.raises(BlueprintError, match="found secret key 'db_pass' of 'vault'"):
        load_text(text)
