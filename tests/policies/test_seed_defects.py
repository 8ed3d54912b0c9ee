"""Each defect of the seed's repository, reproduced as a blueprint, is caught."""

from __future__ import annotations

import pytest

from blueprint.loader import load
from policies.engine import run_checks
from tests.conftest import TEST_DATA

SEED = TEST_DATA / "seed_defects"

EXPECTED = {
    "lb-open-to-ipv6-world": [
        ("BP2005", "ingress.lb", "admits ::/0 on tcp port(s) 8080; lb is not a public entry point")
    ],
    "ssh-open-to-world": [
        (
            "BP2005",
            "ingress.edge",
            "admits 0.0.0.0/0 on tcp port(s) 22 (SSH); a public entry point may admit the world "
            "on 80 and 443 only",
        )
    ],
    "iam-resource-star": [
        (
            "BP1001",
            "identity.scopes.developer",
            'developer is granted read on every resource ("*"); grant the access levels it '
            "needs on the resources it needs",
        ),
        (
            "BP1001",
            "identity.principals.ops-ci",
            'ops-ci is granted every access ("*") on registry ecr; grant the access levels it '
            "needs on the resources it needs",
        ),
    ],
    "task-role-is-execution-role": [
        (
            "BP1011",
            "identity.principals.web-role",
            "web-role, the runtime identity of web, is granted pull on registry images: pulling "
            "the image belongs to the execution identity, so one role serves as both task and "
            "execution role",
        )
    ],
    "developer-can-write-policies": [
        (
            "BP1004",
            "identity.principals.leo",
            "leo can create and attach policies (leo -> developer -> iam -> *) and so grant "
            "itself any access",
        )
    ],
    "publisher-updates-services": [
        (
            "BP1005",
            "identity.principals.publisher-ci",
            "publisher-ci can both publish images (push on registry ecr via scope "
            "service-publisher) and change infrastructure (deploy on cluster ecs via scope "
            "service-deployer); split publishing and infrastructure changes between two "
            "principals",
        )
    ],
    "plaintext-secrets": [
        (
            "BP4001",
            "services.app",
            "env DATABASE_PASSWORD looks like a secret (its name contains 'password') but is a "
            "plain value; move it to secrets: {DATABASE_PASSWORD: {store: ..., key: ...}}",
        ),
        (
            "BP4001",
            "services.app",
            "env SESSION_KEY looks like a secret (its value looks random (4.9 bits per "
            "character)) but is a plain value; move it to secrets: {SESSION_KEY: {store: ..., "
            "key: ...}}",
        ),
        (
            "BP4001",
            "services.grafana",
            "env GF_SECURITY_ADMIN_PASSWORD looks like a secret (its value is a well-known weak "
            "password) but is a plain value; move it to secrets: {GF_SECURITY_ADMIN_PASSWORD: "
            "{store: ..., key: ...}}",
        ),
    ],
}


def test_every_seed_defect_has_a_blueprint() -> None:
    assert sorted(p.stem for p in SEED.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_defect_is_caught(name: str) -> None:
    found = run_checks(load(SEED / f"{name}.yaml", name=f"{name}.yaml", support=False))
    errors = [(f.rule_id, f.subject, f.message) for f in found if f.severity == "error"]
    assert errors == EXPECTED[name]
