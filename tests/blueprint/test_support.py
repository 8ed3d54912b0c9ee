"""Render it or refuse it (issue 12): the support matrix at validation, its notes in check,
strict input, and the generated docs/support.md."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from blueprint.model import Access, ResourceKind
from blueprint.support.docs import generate
from blueprint.support.matrix import GRANTS
from tests.conftest import ROOT, TEST_DATA
from tests.support import run_cli

SYSTEMS = TEST_DATA / "systems"


def _validate(tmp_path: Path, text: str) -> tuple[int, str, str]:
    path = tmp_path / "blueprint.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return run_cli("validate", str(path))


def _errors(tmp_path: Path, text: str) -> list[str]:
    code, out, err = _validate(tmp_path, text)
    assert (code, out) == (2, "")
    prefix = str(tmp_path / "blueprint.yaml") + ":"
    return [line.removeprefix(prefix) for line in err.splitlines()]


# -- the four systems of the issue ------------------------------------------------------------

REFUSED = {
    "aws-web-app": [
        "20:16: ingress.alb: port 443 without tls on an internet-facing load balancer is not "
        "rendered for aws: expected tls: {certificate: managed, zone: ZONE} and host, the "
        "certificate the HTTPS listener serves (plaintext on the TLS port) (see docs/support.md)",
        "42:51: found database 'db' in subnets of one zone (a), expected private subnets in at "
        "least two zones (an RDS DB subnet group spans two)",
    ],
    # Rendered now, but Cloud SQL's private IP needs a network the system does not declare.
    "gcp-cloud-run-sql": [
        "27:3: found database 'db' on gcp without a network on gcp, expected a network (Cloud "
        "SQL gets a private IP on it through private services access, and no public IP)",
    ],
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_the_issues_systems_are_refused_at_validate_with_positions(
    name: str, tmp_path: Path
) -> None:
    path = f"tests/data/systems/{name}.yaml"
    expected = "".join(f"{path}:{line}\n" for line in REFUSED[name])
    for command in ("validate", "check"):
        assert run_cli(command, path) == (2, "", expected)
    # render: the same refusal, no traceback, nothing written
    out = tmp_path / "out"
    assert run_cli("render", path, "--out", str(out)) == (2, "", expected)
    assert not out.exists()


def test_the_kubernetes_system_renders_completely(tmp_path: Path) -> None:
    path = "tests/data/systems/kubernetes-redis-postgres.yaml"
    assert run_cli("check", path)[0] == 0
    code, _out, err = run_cli("render", path, "--out", str(tmp_path / "out"))
    assert (code, err) == (0, "")
    manifest = (tmp_path / "out/kubernetes/manifests/api.yaml").read_text(encoding="utf-8")
    assert "host: catalog.example.com" in manifest
    assert "secretName: catalog-tls" in manifest
    cron = (tmp_path / "out/kubernetes/manifests/reindex.yaml").read_text(encoding="utf-8")
    assert 'schedule: "0 3 * * *"' in cron or "schedule: 0 3 * * *" in cron


def test_the_azure_system_renders_completely(tmp_path: Path) -> None:
    path = "tests/data/systems/azure-cosmos-function.yaml"
    code, _out, err = run_cli("render", path, "--out", str(tmp_path / "out"))
    assert (code, err) == (0, "")
    bicep = (tmp_path / "out/azure/bicep/main.bicep").read_text(encoding="utf-8")
    assert "Microsoft.DocumentDB/databaseAccounts" in bicep
    assert "name: 'orders.example.com'" in bicep  # the custom domain on the app
    assert "TriggerQueue__queueServiceUri" in bicep  # bound to the queue's account


# -- nothing silently dropped: notes --------------------------------------------------------


def test_what_is_rendered_only_in_part_is_a_note(tmp_path: Path) -> None:
    path = tmp_path / "blueprint.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            name: shop
            platforms:
              gcp: {project: shop-project, region: europe-west1}
            networks:
              main: {cidr: 10.0.0.0/16, subnets: {a: {cidr: 10.0.0.0/24}}}
            ingress:
              lb: {kind: load-balancer, subnets: [a], forwards: {8080: web}}
            services:
              web:
                platform: cloud-run
                image: {registry: ghcr.io, repository: shop/web, tag: "1"}
                replicas: 2
                health: {path: /}
            """
        ),
        encoding="utf-8",
    )
    code, out, err = run_cli("check", str(path))
    assert (code, err) == (0, "")
    assert (
        f"{path}:7:3: note BP6001 ingress.lb: an ingress of kind load-balancer is not fully "
        "rendered for gcp: no load balancer is created; only the Cloud Run ingress setting "
        "follows from it\n"
    ) in out


def test_a_grant_on_another_clouds_resource_is_a_note(tmp_path: Path) -> None:
    path = tmp_path / "blueprint.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            name: shop
            platforms:
              gcp: {project: shop-project, region: europe-west1}
              aws: {region: eu-west-2}
            services:
              web:
                platform: cloud-run
                image: {registry: ghcr.io, repository: shop/web, tag: "1"}
                uses: [{resource: files, access: read}]
            resources:
              files: {kind: bucket, cloud: aws}
            """
        ),
        encoding="utf-8",
    )
    code, out, _err = run_cli("check", str(path))
    assert code == 0
    assert (
        f"{path}:9:12: note BP6001 services.web.uses[0]: a grant on a resource of another cloud "
        "is not fully rendered for gcp: the workload's service account gets no access on "
        "another cloud\n"
    ) in out


# -- strict input ---------------------------------------------------------------------------


def test_quoted_numbers_and_booleans_are_errors_with_a_hint(tmp_path: Path) -> None:
    assert _errors(
        tmp_path,
        """\
        name: shop
        platforms: {kubernetes: {}}
        services:
          web:
            platform: kubernetes
            image: {registry: ghcr.io, repository: shop/web, tag: "1"}
            port: "8080"
        resources:
          files: {kind: bucket, public: "yes"}
        """,
    ) == [
        "7:11: found '8080', expected a whole number; write it without quotes: 8080",
        "9:33: found 'yes', expected true or false; write true or false without quotes",
    ]


def test_keys_that_collide_once_read_are_an_error(tmp_path: Path) -> None:
    assert _errors(
        tmp_path,
        """\
        name: shop
        platforms: {kubernetes: {}}
        networks:
          main: {cidr: 10.0.0.0/16, subnets: {a: {cidr: 10.0.0.0/24}}}
        ingress:
          lb:
            kind: load-balancer
            subnets: [a]
            forwards:
              8080: web
              "8080": site
        """,
    ) == [
        "11:7: found the key '8080' again, spelled another way (first on line 10); expected "
        'each key once per mapping (8080 and "8080" are the same key)',
    ]


def test_unknown_keys_list_their_kinds_keys_and_never_suggest_themselves(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path,
        """\
        name: shop
        platforms: {kubernetes: {}}
        networks:
          main: {cidr: 10.0.0.0/16, subnets: {a: {cidr: 10.0.0.0/24}}}
        ingress:
          alb: {kind: load-balancer, subnets: [a], forwards: {8080: web}, tls_secret: x}
        services:
          web: {platform: kubernetes, image: {registry: ghcr.io, repository: a/web, tag: "1"}}
        """,
    )
    assert errors == [
        "6:67: unknown key 'tls_secret' in ingress.alb ('tls_secret' is a key of kind http); "
        "expected one of: 'allow_from', 'entry_point', 'forwards', 'host', 'internal', "
        "'kind', 'latency_budget', 'subnets', 'tls', 'type'",
    ]


def test_schema_and_reference_problems_are_reported_in_one_run(tmp_path: Path) -> None:
    assert _errors(
        tmp_path,
        """\
        name: shop
        platforms: {kubernetes: {}}
        services:
          web:
            platform: kubernetes
            image: {registry: ghcr.io, repository: shop/web, tag: "1"}
            helth: {path: /}
            calls: [{service: apii}]
          broken:
            platform: kubernetes
            port: many
            calls: [{service: web}]
          caller:
            platform: kubernetes
            image: {registry: ghcr.io, repository: shop/caller, tag: "1"}
            calls: [{service: broken}, {service: nope}]
        """,
    ) == [
        "7:5: unknown key 'helth' in services.web (did you mean 'health'?); expected one of: "
        "'allow_from', 'app_protocol', 'calls', 'concurrency', 'cpu', 'description', 'env', "
        "'expose', 'health', 'image', 'latency_budget', 'limits', 'memory', 'metrics', "
        "'platform', 'port', 'ports', 'replicas', 'scaling', 'secrets', 'service_port', "
        "'storage', 'subnets', 'timeout_seconds', 'uses', 'writable'",
        "8:23: unknown service 'apii'; expected one of the declared services: 'caller', 'web'",
        "11:11: found 'many', expected a whole number",
        # the set-aside service `broken` is not reported again as unknown
        "16:42: unknown service 'nope'; expected one of the declared services: 'caller', 'web'",
    ]


# -- the matrix, its tables and its docs ----------------------------------------------------


def test_the_grant_tables_are_the_generators_tables() -> None:
    from generators.aws import actions
    from generators.azure import roles as azure_roles
    from generators.gcp import roles as gcp_roles

    def pairs(table: dict[ResourceKind, frozenset[Access]]) -> set[tuple[ResourceKind, Access]]:
        return {(k, a) for k, accesses in table.items() for a in accesses}

    assert pairs(GRANTS["aws"]) == set(actions.ACTIONS) | {
        (k, Access.ANY) for k in actions.ANY_ACTION
    } | {(ResourceKind.BROKER, a) for a in actions.KAFKA_ACTIONS}
    assert pairs(GRANTS["azure"]) == {
        (k, a) for k, a in azure_roles.ROLE_FOR_ACCESS if k is not ResourceKind.LOGS
    }  # logs: Azure renders no log store, so a grant on one never reaches the table
    assert pairs(GRANTS["gcp"]) == set(gcp_roles.ROLES)


def test_docs_support_md_is_current_and_linked() -> None:
    current = (ROOT / "docs" / "support.md").read_text(encoding="utf-8")
    assert current == generate(), "run `make support-doc`"
    assert "[docs/support.md](docs/support.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
