from __future__ import annotations

import pytest

from tests.conftest import EXAMPLES
from tests.generators.gitops.render import render_example
from tests.golden_support import GOLDEN_ROOT, assert_golden


@pytest.mark.parametrize("example", EXAMPLES)
def test_golden_gitops(example: str) -> None:
    assert_golden(render_example(example), GOLDEN_ROOT / "gitops" / example)


def test_examples_with_gitops_output() -> None:
    rendered = [name for name in EXAMPLES if render_example(name)]
    assert rendered == [
        "aws-fargate-api",
        "aws-kafka-workers",
        "aws-three-tier",
        "fastapi-observability",
        "kafka-workers",
        "kubernetes-grpc-shop",
        "kubernetes-helm",
    ]
