from __future__ import annotations

import hashlib

from tests.generators.gitops.render import blueprint, documents, render


def test_project_is_fenced_to_the_repository_and_namespace() -> None:
    project = documents(render(blueprint()))["gitops/argocd/appproject.yaml"]
    assert project == {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AppProject",
        "metadata": {
            "name": "shop",
            "namespace": "argocd",
            "labels": {
                "app.kubernetes.io/managed-by": "blueprint",
                "app.kubernetes.io/part-of": "shop",
            },
        },
        "spec": {
            "description": "A shop",
            "sourceRepos": ["https://git.example.com/shop.git"],
            "destinations": [{"server": "https://kubernetes.default.svc", "namespace": "shop"}],
            "clusterResourceWhitelist": [{"group": "", "kind": "Namespace"}],
            "orphanedResources": {"warn": True},
        },
    }


def test_application_per_workload_with_its_values_file() -> None:
    files = documents(render(blueprint()))
    assert sorted(p for p in files if p.startswith("gitops/argocd/")) == [
        "gitops/argocd/application-api.yaml",
        "gitops/argocd/application-nightly.yaml",
        "gitops/argocd/application-web.yaml",
        "gitops/argocd/appproject.yaml",
        "gitops/argocd/kustomization.yaml",
    ]
    assert files["gitops/argocd/application-nightly.yaml"] == {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {
            "name": "shop-nightly",
            "namespace": "argocd",
            "labels": {
                "app.kubernetes.io/managed-by": "blueprint",
                "app.kubernetes.io/name": "nightly",
                "app.kubernetes.io/part-of": "shop",
            },
            "finalizers": ["resources-finalizer.argocd.argoproj.io"],
        },
        "spec": {
            "project": "shop",
            "source": {
                "repoURL": "https://git.example.com/shop.git",
                "targetRevision": "main",
                "path": "out/shop/kubernetes/chart",
                "helm": {"releaseName": "nightly", "valueFiles": ["../values/nightly.yaml"]},
            },
            "destination": {"server": "https://kubernetes.default.svc", "namespace": "shop"},
            "syncPolicy": {
                "automated": {"prune": True, "selfHeal": True},
                "syncOptions": ["CreateNamespace=true"],
                "retry": {
                    "limit": 5,
                    "backoff": {"duration": "10s", "factor": 2, "maxDuration": "5m"},
                },
            },
            "revisionHistoryLimit": 10,
        },
    }


def test_default_namespace_is_neither_created_nor_whitelisted() -> None:
    files = documents(
        render(
            blueprint(
                platforms={"kubernetes": {"server": "https://k8s.example.com:6443"}},
                description=None,
            )
        )
    )
    project = files["gitops/argocd/appproject.yaml"]["spec"]
    assert project == {
        "sourceRepos": ["https://git.example.com/shop.git"],
        "destinations": [{"server": "https://k8s.example.com:6443", "namespace": "default"}],
        "clusterResourceWhitelist": [],
        "orphanedResources": {"warn": True},
    }
    app = files["gitops/argocd/application-web.yaml"]["spec"]
    assert "syncOptions" not in app["syncPolicy"]
    assert app["destination"] == {"server": "https://k8s.example.com:6443", "namespace": "default"}


def test_long_description_is_cut_to_the_project_limit() -> None:
    project = documents(render(blueprint(description="x" * 300)))["gitops/argocd/appproject.yaml"]
    assert project["spec"]["description"] == "x" * 254 + "…"


def test_long_names_are_shortened_stably() -> None:
    name = "s" * 40
    files = documents(render(blueprint(name=name, services={}, jobs={"j" * 40: _job()})))
    app = files["gitops/argocd/application-" + "j" * 40 + ".yaml"]
    digest = hashlib.sha256(("s" * 40 + "-" + "j" * 40).encode()).hexdigest()[:8]
    assert digest == "cbc6a2d1"
    assert app["metadata"]["name"] == "s" * 40 + "-" + "j" * 13 + "-" + digest
    assert len(app["metadata"]["name"]) == 63
    assert app["spec"]["source"]["helm"]["releaseName"] == "j" * 40


def test_controllers_are_respected() -> None:
    gitops = {"repository": "https://git.example.com/shop.git", "path": "out/shop"}
    argo_only = render(blueprint(gitops={**gitops, "controllers": ["argocd"]}))
    flux_only = render(blueprint(gitops={**gitops, "controllers": ["flux"]}))
    assert {p.split("/")[1] for p in argo_only} == {"argocd"}
    assert {p.split("/")[1] for p in flux_only} == {"flux"}
    assert render(blueprint(gitops={**gitops, "controllers": []})) == {}


def test_nothing_without_a_gitops_block() -> None:
    assert render(blueprint(gitops=None)) == {}


def _job() -> dict[str, object]:
    return {
        "platform": "kubernetes",
        "image": {"registry": "ghcr.io", "repository": "example/j", "tag": "1"},
        "trigger": {"schedule": "0 3 * * *"},
    }
