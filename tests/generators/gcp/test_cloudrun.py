"""The Knative Service YAML that `gcloud run services replace` takes."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
import yaml_rs

from tests.generators.gcp.support import (
    example,
    kitchen_sink,
    knative_errors,
    render,
    rich,
    yaml_documents,
)


def _service(files: dict[str, str], name: str) -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load(files[f"gcp/cloudrun/{name}.yaml"])
    return doc


def _template_annotations(doc: dict[str, Any]) -> dict[str, str]:
    annotations: dict[str, str] = doc["spec"]["template"]["metadata"]["annotations"]
    return annotations


def _container(doc: dict[str, Any]) -> dict[str, Any]:
    (container,) = doc["spec"]["template"]["spec"]["containers"]
    return dict(container)


@pytest.mark.parametrize("source", ["gcp-cloud-run", "rich", "gcp-shop", "kitchen-sink"])
def test_every_service_validates_against_the_knative_schema(source: str) -> None:
    bp = {"rich": rich, "kitchen-sink": kitchen_sink}.get(source, lambda: example(source))()
    documents = yaml_documents(render(bp), "cloudrun")
    assert sorted(documents) == [f"gcp/cloudrun/{n}.yaml" for n in sorted(bp.services)]
    for path, doc in documents.items():
        assert knative_errors(doc) == [], path


@pytest.mark.parametrize("source", ["gcp-cloud-run", "rich"])
def test_yaml_reads_the_same_in_yaml_1_1_and_1_2(source: str) -> None:
    bp = rich() if source == "rich" else example(source)
    for path, text in render(bp).items():
        if path.endswith(".yaml"):
            # YAML 1.2 core has no timestamps (yaml-rs would read even quoted dates as dates).
            assert yaml_rs.loads(text, parse_datetime=False) == yaml.safe_load(text), path


def test_seed_service_is_exactly_the_seed() -> None:
    doc = _service(render(example("gcp-cloud-run")), "hello")
    assert doc["apiVersion"] == "serving.knative.dev/v1"
    assert doc["kind"] == "Service"
    assert doc["metadata"] == {
        "name": "hello",
        "namespace": "example-project",
        "labels": {
            "blueprint": "hello-cloud-run",
            "cloud.googleapis.com/location": "europe-west2",
        },
        "annotations": {"run.googleapis.com/ingress": "all"},
    }
    assert _template_annotations(doc) == {
        "autoscaling.knative.dev/minScale": "1",
        "autoscaling.knative.dev/maxScale": "10",
        "run.googleapis.com/execution-environment": "gen2",
    }
    spec = doc["spec"]["template"]["spec"]
    assert (spec["containerConcurrency"], spec["timeoutSeconds"], spec["serviceAccountName"]) == (
        80,
        300,
        "run-hello@example-project.iam.gserviceaccount.com",
    )
    probe = {
        "httpGet": {"path": "/healthz", "port": 8080},
        "periodSeconds": 30,
        "timeoutSeconds": 5,
        "failureThreshold": 3,
    }
    assert _container(doc) == {
        "image": "europe-west2-docker.pkg.dev/example-project/containers/hello:1.0.0",
        "ports": [{"name": "http1", "containerPort": 8080}],
        "resources": {"limits": {"cpu": "1", "memory": "512Mi"}},
        "startupProbe": probe,
        "livenessProbe": probe,
    }
    assert doc["spec"]["traffic"] == [{"latestRevision": True, "percent": 100}]


def test_ingress_is_all_only_for_public_services() -> None:
    files = render(rich())
    ingress = {
        name: _service(files, name)["metadata"]["annotations"]["run.googleapis.com/ingress"]
        for name in ("web", "api", "audit")
    }
    assert ingress == {
        "web": "all",  # behind the public storefront
        "api": "internal-and-cloud-load-balancing",  # behind the internal load balancer
        "audit": "internal",  # reached by nothing but calls
    }


def test_vpc_egress_follows_the_subnet() -> None:
    files = render(rich())
    vpc_keys = ("run.googleapis.com/network-interfaces", "run.googleapis.com/vpc-access-egress")
    egress = {
        name: tuple(_template_annotations(_service(files, name)).get(k) for k in vpc_keys)
        for name in ("web", "api", "audit")
    }
    assert egress == {
        # No subnets, but web calls the internal api: placed on a private subnet of the
        # network, private ranges through the VPC (run.app resolves privately there).
        "web": ('[{"network":"core","subnetwork":"run-a"}]', "private-ranges-only"),
        # A private subnet behind NAT: all traffic goes through the VPC and its Cloud NAT.
        "api": ('[{"network":"core","subnetwork":"run-a"}]', "all-traffic"),
        # A public subnet: only private ranges go through the VPC.
        "audit": ('[{"network":"core","subnetwork":"edge-a"}]', "private-ranges-only"),
    }


def test_secrets_are_secret_manager_references_never_values() -> None:
    files = render(rich())
    container = _container(_service(files, "api"))
    assert container["env"] == [
        {
            "name": "DB_PASSWORD",
            "valueFrom": {"secretKeyRef": {"name": "db-password", "key": "latest"}},
        }
    ]


def test_env_values_are_strings_even_when_yaml_would_misread_them() -> None:
    container = _container(_service(render(rich()), "web"))
    assert container["env"] == [
        {"name": "FEATURE_FLAG", "value": "yes"},
        {"name": "LOG_LEVEL", "value": "info"},
    ]


def test_images_from_artifact_registry_by_digest_and_external_as_is() -> None:
    files = render(rich())
    images = {n: _container(_service(files, n))["image"] for n in ("web", "api", "audit")}
    assert images == {
        "web": "europe-west2-docker.pkg.dev/orders-project/containers/shop/web"
        "@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
        "api": "europe-west2-docker.pkg.dev/orders-project/containers/shop/api:2.3.1",
        "audit": "docker.io/library/busybox:1.36",
    }


def test_fractional_cpu_runs_gen1_with_concurrency_one() -> None:
    files = render(rich())
    web = _service(files, "web")
    assert _container(web)["resources"] == {"limits": {"cpu": "500m", "memory": "256Mi"}}
    assert web["spec"]["template"]["spec"]["containerConcurrency"] == 1
    assert _template_annotations(web)["run.googleapis.com/execution-environment"] == "gen1"
    api = _service(files, "api")
    assert api["spec"]["template"]["spec"]["containerConcurrency"] == 80
    assert _template_annotations(api)["run.googleapis.com/execution-environment"] == "gen2"


def test_scaling_and_replicas_become_min_and_max_instances() -> None:
    files = render(rich())
    scale = {
        n: (
            _template_annotations(_service(files, n))["autoscaling.knative.dev/minScale"],
            _template_annotations(_service(files, n))["autoscaling.knative.dev/maxScale"],
        )
        for n in ("web", "api", "audit")
    }
    assert scale == {"web": ("1", "1"), "api": ("0", "5"), "audit": ("2", "2")}


def test_startup_probe_fits_cloud_runs_240_second_window() -> None:
    files = render(rich())
    web = _container(_service(files, "web"))
    startup, liveness = web["startupProbe"], web["livenessProbe"]
    assert (startup["periodSeconds"], startup["timeoutSeconds"], startup["failureThreshold"]) == (
        80,
        10,
        3,
    )
    assert startup["periodSeconds"] * startup["failureThreshold"] <= 240
    assert (liveness["periodSeconds"], liveness["timeoutSeconds"]) == (300, 10)
    api = _container(_service(files, "api"))
    assert api["startupProbe"]["httpGet"] == {"path": "/ready", "port": 9090}
    assert "startupProbe" not in _container(_service(files, "audit"))


def test_each_service_runs_as_its_own_service_account() -> None:
    files = render(rich())
    accounts = {
        n: _service(files, n)["spec"]["template"]["spec"]["serviceAccountName"]
        for n in ("web", "api", "audit")
    }
    assert accounts == {
        "web": "run-web@orders-project.iam.gserviceaccount.com",
        "api": "run-api@orders-project.iam.gserviceaccount.com",
        "audit": "run-audit@orders-project.iam.gserviceaccount.com",
    }
