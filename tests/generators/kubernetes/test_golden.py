"""Golden files of the kubernetes target: the chart once (it is the same for every blueprint)
under tests/golden/kubernetes/chart/, and each example's values and manifests under
tests/golden/kubernetes/<example>/."""

from __future__ import annotations

import pytest

from tests.generators.kubernetes.support import K8S_EXAMPLES, SINKS, blueprint_of, render
from tests.golden_support import GOLDEN_ROOT, assert_golden

CHART = "kubernetes/chart/"


@pytest.mark.parametrize("example", [*K8S_EXAMPLES, *SINKS])
def test_golden_kubernetes(example: str) -> None:
    files = render(blueprint_of(example))
    assert_golden(
        {p.removeprefix("kubernetes/"): t for p, t in files.items() if not p.startswith(CHART)},
        GOLDEN_ROOT / "kubernetes" / example,
    )


def test_golden_kubernetes_chart() -> None:
    files = render(blueprint_of("kubernetes-helm"))
    assert_golden(
        {p.removeprefix(CHART): t for p, t in files.items() if p.startswith(CHART)},
        GOLDEN_ROOT / "kubernetes" / "chart",
    )


def test_render_is_deterministic() -> None:
    for example in K8S_EXAMPLES:
        assert render(blueprint_of(example)) == render(blueprint_of(example))
