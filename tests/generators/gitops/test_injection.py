"""Strings YAML would misread, in every field the model lets through to the GitOps objects,
come back as the same strings from a YAML 1.1 reader (PyYAML) and a YAML 1.2 one (yaml-rs)."""

from __future__ import annotations

from typing import Any

import yaml
import yaml_rs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint.model.base import nfc
from tests.generators.gitops.render import blueprint, render
from tests.generators.gitops.tricky import TRICKY_NAMES, TRICKY_REFS, TRICKY_TEXT

names = st.sampled_from(TRICKY_NAMES) | st.from_regex(
    r"[a-z]([-a-z0-9]{0,10}[a-z0-9])?", fullmatch=True
)
refs = st.sampled_from(TRICKY_REFS) | st.from_regex(r"[A-Za-z0-9_.-]{1,20}", fullmatch=True)
texts = st.sampled_from(TRICKY_TEXT) | st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t"), max_size=60
).map(nfc)


def _parsed(text: str) -> list[Any]:
    by_pyyaml = yaml.safe_load(text)
    # parse_datetime=False: yaml-rs otherwise turns even a quoted "2024-01-01" into a date
    # (YAML 1.2's core schema has no timestamp type).
    by_yaml_rs = yaml_rs.loads(text, parse_datetime=False)
    assert by_pyyaml == by_yaml_rs
    return [by_pyyaml]


def _workload() -> dict[str, Any]:
    return {
        "platform": "kubernetes",
        "image": {"registry": "ghcr.io", "repository": "example/w", "tag": "1"},
    }


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    system=names,
    workload=names,
    namespace=names,
    revision=refs,
    path=st.lists(refs.filter(lambda s: s not in {".", ".."}), min_size=1, max_size=3),
    description=texts.filter(lambda s: 0 < len(s) <= 255),
)
def test_values_round_trip(
    system: str, workload: str, namespace: str, revision: str, path: list[str], description: str
) -> None:
    out_path = "/".join(path)
    bp = blueprint(
        name=system,
        description=description,
        platforms={"kubernetes": {"namespace": namespace}},
        services={workload: _workload()},
        jobs={},
        gitops={
            "repository": "https://git.example.com/x.git",
            "revision": revision,
            "path": out_path,
        },
    )
    files = render(bp)
    parsed = {path: _parsed(text)[0] for path, text in files.items()}

    project = parsed["gitops/argocd/appproject.yaml"]
    assert project["spec"]["description"] == description
    assert project["metadata"]["labels"]["app.kubernetes.io/part-of"] == system
    assert project["spec"]["destinations"][0]["namespace"] == namespace

    app = parsed[f"gitops/argocd/application-{workload}.yaml"]
    assert app["spec"]["source"]["targetRevision"] == revision
    assert app["spec"]["source"]["path"] == f"{out_path}/kubernetes/chart"
    assert app["spec"]["source"]["helm"]["releaseName"] == workload
    assert app["metadata"]["labels"]["app.kubernetes.io/name"] == workload

    source = parsed["gitops/flux/gitrepository.yaml"]
    assert list(source["spec"]["ref"].values()) == [revision]
    release = parsed[f"gitops/flux/releases/helmrelease-{workload}.yaml"]
    assert release["spec"]["releaseName"] == workload
    assert release["spec"]["targetNamespace"] == namespace
    assert release["spec"]["chart"]["spec"]["valuesFiles"][1] == (
        f"./{out_path}/kubernetes/values/{workload}.yaml"
    )
    sync = parsed["gitops/flux/sync.yaml"]
    assert sync["spec"]["path"] == f"./{out_path}/gitops/flux/releases"
