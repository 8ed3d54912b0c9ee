"""Every rendered object validates against its CRD schema (or kustomize's), strictly."""

from __future__ import annotations

import copy
import re

import pytest

from tests.conftest import EXAMPLES
from tests.generators.gitops import schemas
from tests.generators.gitops.render import blueprint, documents, render, render_example

DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def _fixtures() -> dict[str, dict[str, str]]:
    return {
        "fixture-kubernetes": render(blueprint()),
        "fixture-default-namespace-ssh": render(
            blueprint(
                platforms={"kubernetes": {}},
                gitops={"repository": "git@github.com:example/shop.git", "path": "deploy"},
            )
        ),
        "fixture-terraform-both-clouds": render(
            blueprint(
                platforms={
                    "aws": {"region": "eu-west-2"},
                    "gcp": {"project": "example-project", "region": "europe-west2"},
                },
                services={
                    "web": {
                        "platform": "aws-fargate",
                        "image": {"registry": "ghcr.io", "repository": "web", "tag": "1"},
                    },
                    "hello": {
                        "platform": "cloud-run",
                        "image": {"registry": "ghcr.io", "repository": "hello", "tag": "1"},
                    },
                },
                jobs={},
            )
        ),
    }


CASES = {**{f"example-{e}": render_example(e) for e in EXAMPLES}, **_fixtures()}


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_object_validates_against_its_schema(case: str) -> None:
    for path, document in documents(CASES[case]).items():
        assert schemas.errors(document) == [], path


@pytest.mark.parametrize("case", sorted(CASES))
def test_object_names_are_dns_labels(case: str) -> None:
    for path, document in documents(CASES[case]).items():
        if document["kind"] == "Kustomization" and "metadata" not in document:
            continue
        name = document["metadata"]["name"]
        assert DNS_LABEL.match(name) and len(name) <= 63, (path, name)


@pytest.mark.parametrize("case", sorted(CASES))
def test_kustomizations_list_exactly_their_directory(case: str) -> None:
    files = CASES[case]
    for path, document in documents(files).items():
        if not path.endswith("/kustomization.yaml"):
            continue
        directory = path.rsplit("/", 1)[0]
        siblings = sorted(
            p.removeprefix(directory + "/")
            for p in files
            if p.rsplit("/", 1)[0] == directory and p != path
        )
        assert document["resources"] == siblings, path


def test_the_crd_schemas_are_strict() -> None:
    """The validation above would catch a misspelt or misplaced field."""
    files = documents(render(blueprint()))
    app = copy.deepcopy(files["gitops/argocd/application-web.yaml"])
    app["spec"]["syncPolicy"]["automated"]["selfheal"] = True
    release = copy.deepcopy(files["gitops/flux/releases/helmrelease-web.yaml"])
    release["spec"]["chart"]["spec"]["values"] = {"replicas": 2}
    source = copy.deepcopy(files["gitops/flux/gitrepository.yaml"])
    del source["spec"]["url"]
    kustomize = copy.deepcopy(files["gitops/argocd/kustomization.yaml"])
    kustomize["resources"] = "appproject.yaml"
    assert schemas.errors(app) == [
        "spec/syncPolicy/automated: Additional properties are not allowed "
        "('selfheal' was unexpected)"
    ]
    assert schemas.errors(release) == [
        "spec/chart/spec: Additional properties are not allowed ('values' was unexpected)"
    ]
    assert schemas.errors(source) == ["spec: 'url' is a required property"]
    assert schemas.errors(kustomize) == ["resources: 'appproject.yaml' is not of type 'array'"]
