from __future__ import annotations

import pytest

from blueprint.view import SystemView
from generators.gitops.flux import flux_url, git_ref, source_ignore
from generators.gitops.layout import terraform_directories
from tests.generators.gitops.render import blueprint, documents, render
from tests.support import load_example


def test_files() -> None:
    assert sorted(render(blueprint())) == [
        "gitops/argocd/application-api.yaml",
        "gitops/argocd/application-nightly.yaml",
        "gitops/argocd/application-web.yaml",
        "gitops/argocd/appproject.yaml",
        "gitops/argocd/kustomization.yaml",
        "gitops/flux/gitrepository.yaml",
        "gitops/flux/kustomization.yaml",
        "gitops/flux/releases/helmrelease-api.yaml",
        "gitops/flux/releases/helmrelease-nightly.yaml",
        "gitops/flux/releases/helmrelease-web.yaml",
        "gitops/flux/releases/kustomization.yaml",
        "gitops/flux/sync.yaml",
    ]


def test_source_and_sync() -> None:
    files = documents(render(blueprint()))
    assert files["gitops/flux/gitrepository.yaml"]["spec"] == {
        "interval": "1m",
        "url": "https://git.example.com/shop.git",
        "ref": {"branch": "main"},
        "ignore": "/*\n!/out/\n/out/*\n!/out/shop/\n",
    }
    assert files["gitops/flux/sync.yaml"]["spec"] == {
        "interval": "10m",
        "path": "./out/shop/gitops/flux/releases",
        "prune": True,
        "timeout": "5m",
        "sourceRef": {"kind": "GitRepository", "name": "shop"},
    }
    assert files["gitops/flux/kustomization.yaml"]["resources"] == [
        "gitrepository.yaml",
        "sync.yaml",
    ]


def test_helm_release_reads_the_chart_and_values_from_git() -> None:
    release = documents(render(blueprint()))["gitops/flux/releases/helmrelease-web.yaml"]
    assert release["metadata"] == {
        "name": "shop-web",
        "namespace": "flux-system",
        "labels": {
            "app.kubernetes.io/managed-by": "blueprint",
            "app.kubernetes.io/name": "web",
            "app.kubernetes.io/part-of": "shop",
        },
    }
    assert release["spec"] == {
        "interval": "10m",
        "releaseName": "web",
        "targetNamespace": "shop",
        "storageNamespace": "shop",
        "chart": {
            "spec": {
                "chart": "./out/shop/kubernetes/chart",
                "sourceRef": {
                    "kind": "GitRepository",
                    "name": "shop",
                    "namespace": "flux-system",
                },
                "reconcileStrategy": "Revision",
                "valuesFiles": [
                    "./out/shop/kubernetes/chart/values.yaml",
                    "./out/shop/kubernetes/values/web.yaml",
                ],
            }
        },
        "install": {"createNamespace": True, "remediation": {"retries": 3}},
        "upgrade": {"cleanupOnFail": True, "remediation": {"retries": 3}},
        "driftDetection": {"mode": "enabled"},
    }


def test_ssh_repository_gets_an_ssh_url_and_a_secret_reference() -> None:
    files = documents(
        render(blueprint(gitops={"repository": "git@github.com:example/shop.git", "path": "o"}))
    )
    spec = files["gitops/flux/gitrepository.yaml"]["spec"]
    assert spec["url"] == "ssh://git@github.com/example/shop.git"
    assert spec["secretRef"] == {"name": "shop-git-auth"}
    # Argo CD takes the scp-like form as written.
    app = files["gitops/argocd/application-web.yaml"]
    assert app["spec"]["source"]["repoURL"] == "git@github.com:example/shop.git"


@pytest.mark.parametrize(
    ("repository", "url"),
    [
        ("https://github.com/a/b.git", "https://github.com/a/b.git"),
        ("ssh://git@github.com/a/b.git", "ssh://git@github.com/a/b.git"),
        ("git@github.com:a/b.git", "ssh://git@github.com/a/b.git"),
        ("git@gitlab.example.com/a/b.git", "ssh://git@gitlab.example.com/a/b.git"),
    ],
)
def test_flux_url(repository: str, url: str) -> None:
    assert flux_url(repository) == url


@pytest.mark.parametrize(
    ("revision", "ref"),
    [
        ("main", {"branch": "main"}),
        ("release/1.x", {"branch": "release/1.x"}),
        ("refs/tags/v1.2.3", {"name": "refs/tags/v1.2.3"}),
        ("a" * 40, {"commit": "a" * 40}),
        ("A" * 40, {"branch": "A" * 40}),
    ],
)
def test_git_ref(revision: str, ref: dict[str, str]) -> None:
    assert git_ref(revision) == ref


def test_source_ignore_keeps_only_the_out_directory() -> None:
    assert source_ignore("deploy") == "/*\n!/deploy/\n"
    assert source_ignore("a/b/c") == "/*\n!/a/\n/a/*\n!/a/b/\n/a/b/*\n!/a/b/c/\n"


def test_terraform_objects() -> None:
    files = documents(render(load_example("aws-fargate-api").blueprint))
    assert sorted(files) == [
        "gitops/flux/gitrepository.yaml",
        "gitops/flux/kustomization.yaml",
        "gitops/flux/releases/kustomization.yaml",
        "gitops/flux/releases/terraform-aws.yaml",
        "gitops/flux/sync.yaml",
    ]
    assert files["gitops/flux/releases/terraform-aws.yaml"]["spec"] == {
        "interval": "10m",
        "path": "./out/aws-fargate-api/aws/terraform",
        "sourceRef": {
            "kind": "GitRepository",
            "name": "fastapi-on-fargate",
            "namespace": "flux-system",
        },
        "approvePlan": "auto",
        "destroyResourcesOnDeletion": False,
        "storeReadablePlan": "human",
    }


@pytest.mark.parametrize(
    ("example", "directories"),
    [
        ("aws-fargate-api", {"aws": "aws/terraform"}),
        ("azure-container-apps", {}),
        ("company-iam", {"aws": "aws/terraform"}),
        ("fastapi-observability", {}),
        ("gcp-cloud-run", {"gcp": "gcp/terraform"}),
        ("kafka-workers", {}),
        ("kubernetes-helm", {}),
        ("latency-chain", {}),
    ],
)
def test_terraform_directories_of_the_examples(example: str, directories: dict[str, str]) -> None:
    assert terraform_directories(SystemView.of(load_example(example).blueprint)) == directories


def test_no_aws_terraform_for_cloudformation_only_or_nothing_on_aws() -> None:
    cfn_only = blueprint(platforms={"aws": {"region": "eu-west-2", "formats": ["cloudformation"]}})
    declared_but_unused = blueprint(platforms={"aws": {"region": "eu-west-2"}, "kubernetes": {}})
    assert terraform_directories(SystemView.of(cfn_only)) == {}
    assert terraform_directories(SystemView.of(declared_but_unused)) == {}


def test_argocd_only_blueprint_without_kubernetes_renders_nothing() -> None:
    bp = load_example("aws-fargate-api").blueprint
    assert bp.gitops is not None
    argo_only = bp.model_copy(
        update={"gitops": bp.gitops.model_copy(update={"controllers": ("argocd",)})}
    )
    assert render(argo_only) == {}


AWS_ON_KUBERNETES = """\
    name: shop
    platforms:
      kubernetes: {namespace: shop}
      aws: {region: eu-west-2}
    services:
      web:
        platform: kubernetes
        image: {registry: ghcr.io, repository: shop/web, tag: "1"}
    gitops: {repository: "https://github.com/example/shop.git", controllers: [flux]}
    """


@pytest.mark.parametrize(
    ("extra", "rendered"),
    [
        ("", False),  # an aws: block and nothing on AWS: no AWS root at all
        ("resources:\n      uploads: {kind: bucket, cloud: aws}\n", True),
    ],
)
def test_an_aws_root_is_rendered_exactly_when_flux_applies_it(extra: str, rendered: bool) -> None:
    from blueprint.pipeline import render_files
    from tests.support import load_text

    loaded = load_text(AWS_ON_KUBERNETES + extra)
    files = render_files(loaded, ["aws", "gitops"])
    aws_files = [p for p in files if p.startswith("aws/terraform/")]
    release = "gitops/flux/releases/terraform-aws.yaml"
    assert (bool(aws_files), release in files) == (rendered, rendered)
