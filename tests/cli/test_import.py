"""`blueprint import`: compose files and Kubernetes manifest sets in the style of popular public
projects become valid blueprints, with one report line per item not carried over as it was.
The blueprint and the report of each are golden files (tests/golden/import/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from blueprint.loader import load_source, source_from_bytes
from policies.engine import run_checks
from tests.conftest import ROOT, TEST_DATA
from tests.golden_support import GOLDEN_ROOT, assert_golden
from tests.support import run_cli

CORPUS = TEST_DATA / "import"
CASES = [
    *(("compose", p) for p in sorted((CORPUS / "compose").glob("*.yml"))),
    *(("kubernetes", p) for p in sorted((CORPUS / "kubernetes").iterdir())),
]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # paths in the report are relative to the working directory


@pytest.mark.parametrize(("kind", "path"), CASES, ids=[f"{k}-{p.stem}" for k, p in CASES])
def test_golden_import(kind: str, path: Path) -> None:
    code, out, err = run_cli("import", kind, str(path.relative_to(ROOT)))
    assert code == 0, err
    assert_golden(
        {"blueprint.yaml": out, "report.txt": err}, GOLDEN_ROOT / "import" / f"{kind}-{path.stem}"
    )


@pytest.mark.parametrize(("kind", "path"), CASES, ids=[f"{k}-{p.stem}" for k, p in CASES])
def test_the_import_validates_and_checks_without_errors(kind: str, path: Path) -> None:
    code, out, err = run_cli("import", kind, str(path.relative_to(ROOT)))
    assert code == 0, err
    loaded = load_source(source_from_bytes(out.encode(), "blueprint.yaml"))
    assert [f for f in run_checks(loaded) if f.severity == "error"] == []
    shown = str(path.relative_to(ROOT))
    # One report line per item, each naming the source and the item.
    assert all(line.startswith(f"{shown}: ") for line in err.splitlines())


@pytest.mark.parametrize(
    ("kind", "path", "values"),
    [
        ("compose", "compose/wordpress.yml", ["somewordpress", "9fK2mQ7xLp4Rt8Vz1Wb6Hn3Jd5Sg0Ac"]),
        ("compose", "compose/fullstack.yml", ["3f8a9c2e7b1d4f6a0e5c8b2d9f1a7e3c", "hunter2"]),
        ("kubernetes", "kubernetes/boutique", ["not-a-real-one"]),
    ],
)
def test_secret_values_never_reach_the_blueprint(kind: str, path: str, values: list[str]) -> None:
    code, out, _ = run_cli("import", kind, f"tests/data/import/{path}")
    assert code == 0
    for value in values:
        assert value not in out


def test_secrets_become_references_with_a_note() -> None:
    code, out, err = run_cli("import", "compose", "tests/data/import/compose/wordpress.yml")
    assert code == 0
    assert "      MYSQL_PASSWORD:\n        store: secrets\n        key: db-mysql-password\n" in out
    assert (
        "tests/data/import/compose/wordpress.yml: services.db.environment.MYSQL_PASSWORD: looks "
        "like a secret (its name contains 'password'); the value was not carried over: store it "
        "as db-mysql-password in secret store secrets, the blueprint references it\n"
    ) in err


def test_network_policies_become_calls_and_probes_health() -> None:
    code, out, _ = run_cli("import", "kubernetes", "tests/data/import/kubernetes/boutique")
    assert code == 0
    bp = load_source(source_from_bytes(out.encode(), "blueprint.yaml")).blueprint
    assert [c.service for c in bp.services["frontend"].calls] == [
        "productcatalogservice",
        "cartservice",
    ]
    assert [c.service for c in bp.jobs["loadgenerator"].calls] == ["frontend"]
    assert bp.services["frontend"].health is not None
    assert bp.services["frontend"].health.path == "/_healthz"
    assert bp.services["frontend"].scaling is not None
    assert bp.services["frontend"].scaling.max == 10
    assert bp.ingress["shop"].routes == {"/": "frontend"}  # type: ignore[union-attr]


def test_the_output_file_is_written_and_never_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "blueprint.yaml"
    source = "tests/data/import/kubernetes/guestbook"
    code, out, err = run_cli("import", "kubernetes", source, "--output", str(target))
    assert (code, out) == (0, "")
    assert err.splitlines()[-1] == (
        f"{target}: written (3 services, 0 jobs, 0 resources); 2 item(s) reported above"
    )
    code, _, err = run_cli("import", "kubernetes", source, "--output", str(target))
    assert code == 2
    assert err == f"{target}: already exists; blueprint import never overwrites a file\n"


def test_what_is_not_a_compose_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "c.yml"
    bad.write_text("version: '3'\n")
    code, out, err = run_cli("import", "compose", str(bad))
    assert (code, out) == (2, "")
    assert err == f"{bad}:1:1: found no services: mapping, expected a docker-compose file\n"
    bad.write_text("services:\n  web: [\n")
    code, _, err = run_cli("import", "compose", str(bad))
    assert code == 2
    assert err.startswith(f"{bad}:3:1: bad YAML: ")


def test_an_empty_manifest_directory_is_refused(tmp_path: Path) -> None:
    code, _, err = run_cli("import", "kubernetes", str(tmp_path))
    assert code == 2
    assert err == f"{tmp_path}:1:1: found no .yaml or .yml files, expected Kubernetes manifests\n"


def test_names_are_made_dns_labels_and_kept_unique(tmp_path: Path) -> None:
    compose = tmp_path / "docker-compose.yml"
    compose.write_text(
        "services:\n  My_App:\n    image: nginx:1.27\n  my-app:\n    image: nginx:1.27\n"
        "  secrets:\n    image: nginx:1.27\n"
    )
    code, out, err = run_cli("import", "compose", str(compose), "--name", "shop")
    assert code == 0
    bp = load_source(source_from_bytes(out.encode(), "blueprint.yaml")).blueprint
    assert (bp.name, sorted(bp.services)) == ("shop", ["my-app", "my-app-2", "secrets-2"])
    assert (
        f"{compose}: services.My_App: named my-app (names are unique DNS labels; was 'My_App')"
        in err
    )
