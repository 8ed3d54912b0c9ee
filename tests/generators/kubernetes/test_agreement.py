"""The chart and the plain manifests agree: for every example and workload, Helm's own engine
renders the shipped chart with the shipped values file, and the parsed objects equal the plain
manifests' objects, one by one."""

from __future__ import annotations

from pathlib import Path

import helm_python
import pytest

from tests.generators.kubernetes.support import (
    K8S_EXAMPLES,
    SINKS,
    by_identity,
    helm_objects,
    helm_render,
    manifest_objects,
    render_stamped,
    write,
)

CASES = [*K8S_EXAMPLES, *SINKS]


@pytest.mark.parametrize("example", CASES)
def test_helm_renders_exactly_the_plain_manifests(example: str, tmp_path: Path) -> None:
    kube = write(render_stamped(example), tmp_path)
    plain: dict[str, list[dict[str, object]]] = {}
    for file_name, obj in manifest_objects(kube):
        plain.setdefault(file_name, []).append(obj)
    values_files = sorted((kube / "values").glob("*.yaml"))
    assert [p.name for p in values_files] == sorted(set(plain) - {"namespace.yaml"})
    with helm_python.Chart.load(kube / "chart") as chart:
        for values_file in values_files:
            # Helm's own values parser, as `helm install -f` reads the file.
            values = helm_python.values_from_yaml(values_file.read_text(encoding="utf-8"))
            rendered = helm_render(chart, values, values["namespace"], values_file.stem)
            from_helm = by_identity(helm_objects(rendered))
            from_manifests = by_identity(plain[values_file.name])
            assert sorted(from_helm) == sorted(from_manifests)
            for key, obj in from_helm.items():
                assert obj == from_manifests[key], f"{values_file.stem}: {key} differs"


@pytest.mark.parametrize("example", CASES)
def test_values_files_are_complete(example: str, tmp_path: Path) -> None:
    """Helm coalesces the chart's defaults under a values file; each file sets every key, so
    nothing of a release comes from the defaults unseen."""
    kube = write(render_stamped(example), tmp_path)
    with helm_python.Chart.load(kube / "chart") as chart:
        for values_file in sorted((kube / "values").glob("*.yaml")):
            values = helm_python.values_from_yaml(values_file.read_text(encoding="utf-8"))
            assert chart.merge_values(values) == values
            assert set(values) == set(chart.values)


def test_every_template_is_exercised(tmp_path: Path) -> None:
    """Across the cases, every template of the chart renders at least one object."""
    seen: set[str] = set()
    for example in CASES:
        kube = write(render_stamped(example), tmp_path / example)
        with helm_python.Chart.load(kube / "chart") as chart:
            for values_file in sorted((kube / "values").glob("*.yaml")):
                values = helm_python.values_from_yaml(values_file.read_text("utf-8"))
                for path, text in helm_render(
                    chart, values, values["namespace"], values_file.stem
                ).items():
                    if helm_objects({path: text}):
                        seen.add(path.rsplit("/", 1)[-1])
    assert seen == {
        "cronjob.yaml",
        "deployment.yaml",
        "externalsecret.yaml",
        "horizontalpodautoscaler.yaml",
        "httproute.yaml",
        "ingress.yaml",
        "networkpolicy.yaml",
        "poddisruptionbudget.yaml",
        "scaledobject.yaml",
        "service.yaml",
        "serviceaccount.yaml",
        "servicemonitor.yaml",
        "statefulset.yaml",
    }
