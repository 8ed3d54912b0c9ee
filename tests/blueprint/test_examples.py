from __future__ import annotations

import pytest

from tests.conftest import EXAMPLES
from tests.support import load_example, run_cli

EXPECTED = [
    "aws-fargate-api",
    "aws-kafka-workers",
    "aws-three-tier",
    "azure-container-apps",
    "azure-orders",
    "company-iam",
    "fastapi-observability",
    "gcp-cloud-run",
    "gcp-shop",
    "kafka-workers",
    "kubernetes-grpc-shop",
    "kubernetes-helm",
    "latency-chain",
]


def test_every_reference_system_is_an_example() -> None:
    assert EXPECTED == EXAMPLES


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_validates(name: str) -> None:
    code, out, err = run_cli("validate", f"examples/{name}/blueprint.yaml")
    assert (code, err) == (0, "")
    assert out.startswith(f"examples/{name}/blueprint.yaml: ok")


def test_aws_example_is_faithful_to_the_seed() -> None:
    bp = load_example("aws-fargate-api").blueprint
    net = bp.networks["main"]
    assert (net.cidr, net.subnets["public-a"].cidr, net.subnets["private-a"].cidr) == (
        "10.0.0.0/16",
        "10.0.64.0/19",
        "10.0.0.0/19",
    )
    web = bp.services["web"]
    assert (web.replicas, web.port, web.cpu, web.memory) == (3, 8080, 0.5, 1024)
