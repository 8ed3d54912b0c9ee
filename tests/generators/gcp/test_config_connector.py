"""The Config Connector RunService, and its agreement with the Knative YAML and the Terraform."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from generators.gcp.config_connector import EGRESS_V2, INGRESS_V2
from tests.generators.gcp.support import (
    example,
    kitchen_sink,
    render,
    rich,
    run_service_errors,
    yaml_documents,
)
from tests.generators.gcp.terraform_support import of_type, resources

SOURCES = ["gcp-cloud-run", "rich", "gcp-shop", "kitchen-sink"]
PROJECTS = {
    "gcp-cloud-run": "example-project",
    "rich": "orders-project",
    "gcp-shop": "shop-project",
    "kitchen-sink": "sink-project",
}


def _files(source: str) -> dict[str, str]:
    if source == "kitchen-sink":
        return render(kitchen_sink())
    return render(rich() if source == "rich" else example(source))


@pytest.mark.parametrize("source", SOURCES)
def test_every_run_service_validates_against_its_crd_schema(source: str) -> None:
    documents = yaml_documents(_files(source), "config-connector")
    assert len(documents) == {"rich": 3, "gcp-shop": 2, "kitchen-sink": 3}.get(source, 1)
    for path, doc in documents.items():
        assert (doc["apiVersion"], doc["kind"]) == (
            "run.cnrm.cloud.google.com/v1beta1",
            "RunService",
        )
        assert run_service_errors(doc) == [], path


def test_seed_run_service() -> None:
    doc = yaml.safe_load(_files("gcp-cloud-run")["gcp/config-connector/hello.yaml"])
    spec = doc["spec"]
    assert (spec["location"], spec["projectRef"], spec["ingress"]) == (
        "europe-west2",
        {"external": "example-project"},
        "INGRESS_TRAFFIC_ALL",
    )
    template = spec["template"]
    assert template["serviceAccountRef"] == {
        "external": "run-hello@example-project.iam.gserviceaccount.com"
    }
    assert template["scaling"] == {"minInstanceCount": 1, "maxInstanceCount": 10}
    assert (template["timeout"], template["maxInstanceRequestConcurrency"]) == ("300s", 80)


def test_secret_and_vpc_as_external_references() -> None:
    doc = yaml.safe_load(_files("rich")["gcp/config-connector/api.yaml"])
    template = doc["spec"]["template"]
    assert template["containers"][0]["env"] == [
        {
            "name": "DB_PASSWORD",
            "valueSource": {
                "secretKeyRef": {
                    "secretRef": {"external": "db-password"},
                    "versionRef": {"external": "latest"},
                }
            },
        }
    ]
    assert template["vpcAccess"] == {
        "egress": "ALL_TRAFFIC",
        "networkInterfaces": [
            {
                "networkRef": {"external": "projects/orders-project/global/networks/core"},
                "subnetworkRef": {
                    "external": "projects/orders-project/regions/europe-west2/subnetworks/run-a"
                },
            }
        ],
    }


def _probe(probe: dict[str, Any] | None) -> tuple[Any, ...] | None:
    if probe is None:
        return None
    get = probe["httpGet"]
    return (
        get["path"],
        get["port"],
        probe["periodSeconds"],
        probe["timeoutSeconds"],
        probe["failureThreshold"],
    )


def _tf_probe(blocks: list[dict[str, Any]] | None) -> tuple[Any, ...] | None:
    if blocks is None:
        return None
    (probe,) = blocks
    get = probe["http_get"][0]
    return (
        get["path"],
        get["port"],
        probe["period_seconds"],
        probe["timeout_seconds"],
        probe["failure_threshold"],
    )


def _knative_view(doc: dict[str, Any]) -> dict[str, Any]:
    annotations = doc["spec"]["template"]["metadata"]["annotations"]
    spec = doc["spec"]["template"]["spec"]
    box = spec["containers"][0]
    egress = annotations.get("run.googleapis.com/vpc-access-egress")
    return {
        "image": box["image"],
        "port": box["ports"][0]["containerPort"],
        "limits": box["resources"]["limits"],
        "instances": (
            int(annotations["autoscaling.knative.dev/minScale"]),
            int(annotations["autoscaling.knative.dev/maxScale"]),
        ),
        "concurrency": spec["containerConcurrency"],
        "timeout": f"{spec['timeoutSeconds']}s",
        "generation": annotations["run.googleapis.com/execution-environment"],
        "account": spec["serviceAccountName"],
        "ingress": INGRESS_V2[doc["metadata"]["annotations"]["run.googleapis.com/ingress"]],
        "egress": None if egress is None else EGRESS_V2[egress],
        "env": [
            (e["name"], e.get("value"), e.get("valueFrom", {}).get("secretKeyRef", {}).get("name"))
            for e in box.get("env", [])
        ],
        "probes": (_probe(box.get("startupProbe")), _probe(box.get("livenessProbe"))),
    }


def _config_connector_view(doc: dict[str, Any]) -> dict[str, Any]:
    template = doc["spec"]["template"]
    box = template["containers"][0]
    env = []
    for e in box.get("env", []):
        ref = e.get("valueSource", {}).get("secretKeyRef", {}).get("secretRef", {})
        env.append((e["name"], e.get("value"), ref.get("external")))
    return {
        "image": box["image"],
        "port": box["ports"][0]["containerPort"],
        "limits": box["resources"]["limits"],
        "instances": (
            template["scaling"]["minInstanceCount"],
            template["scaling"]["maxInstanceCount"],
        ),
        "concurrency": template["maxInstanceRequestConcurrency"],
        "timeout": template["timeout"],
        "generation": template["executionEnvironment"]
        .removeprefix("EXECUTION_ENVIRONMENT_")
        .lower(),
        "account": template["serviceAccountRef"]["external"],
        "ingress": doc["spec"]["ingress"],
        "egress": template.get("vpcAccess", {}).get("egress"),
        "env": env,
        "probes": (_probe(box.get("startupProbe")), _probe(box.get("livenessProbe"))),
    }


_ATTRIBUTE = re.compile(r"^\$\{(google_[a-z0-9_]+)\.([a-z0-9_]+)\.([a-z_]+)\}$")
_DNS_NAME = re.compile(r'^\$\{trimsuffix\((google_dns_record_set)\.([a-z0-9_]+)\.name, "\."\)\}$')


def resolve(value: Any, found: dict[tuple[str, str], dict[str, Any]], project: str) -> Any:
    """The value a resource output's Terraform expression takes once applied, read from the
    resource it names (a name, a topic's id, a DNS record's name without its dot)."""
    if not isinstance(value, str):
        return value
    dns = _DNS_NAME.match(value)
    if dns is not None:
        return str(found[(dns.group(1), dns.group(2))]["name"]).removesuffix(".")
    attribute = _ATTRIBUTE.match(value)
    if attribute is None:
        return value
    rtype, label, attr = attribute.groups()
    body = found[(rtype, label)]
    if (rtype, attr) == ("google_pubsub_topic", "id"):
        return f"projects/{project}/topics/{body['name']}"
    assert attr == "name", value
    return body["name"]


def _terraform_view(
    body: dict[str, Any], project: str, found: dict[tuple[str, str], dict[str, Any]]
) -> dict[str, Any]:
    template = body["template"][0]
    box = template["containers"][0]
    env = []
    for e in box.get("env", []):
        ref = e["value_source"][0]["secret_key_ref"][0]["secret"] if "value_source" in e else None
        secret = None if ref is None else ref.split(".")[1].replace("_", "-")
        env.append((e["name"], resolve(e.get("value"), found, project), secret))
    account = template["service_account"].split(".")[1].replace("_", "-")
    vpc = template.get("vpc_access")
    return {
        "image": box["image"],
        "port": box["ports"][0]["container_port"],
        "limits": box["resources"][0]["limits"],
        "instances": (
            template["scaling"][0]["min_instance_count"],
            template["scaling"][0]["max_instance_count"],
        ),
        "concurrency": template["max_instance_request_concurrency"],
        "timeout": template["timeout"],
        "generation": template["execution_environment"]
        .removeprefix("EXECUTION_ENVIRONMENT_")
        .lower(),
        "account": f"run-{account}@{project}.iam.gserviceaccount.com",
        "ingress": body["ingress"],
        "egress": None if vpc is None else vpc[0]["egress"],
        "env": env,
        "probes": (_tf_probe(box.get("startup_probe")), _tf_probe(box.get("liveness_probe"))),
    }


@pytest.mark.parametrize("source", SOURCES)
def test_three_renderings_describe_the_same_service(source: str) -> None:
    """Terraform is the source of truth; the Knative YAML and the RunService must not drift."""
    files = _files(source)
    project = PROJECTS[source]
    found = resources(files)
    terraform = of_type(found, "google_cloud_run_v2_service")
    knative = {
        doc["metadata"]["name"]: _knative_view(doc)
        for doc in yaml_documents(files, "cloudrun").values()
    }
    config_connector = {
        doc["metadata"]["name"]: _config_connector_view(doc)
        for doc in yaml_documents(files, "config-connector").values()
    }
    assert {body["name"] for body in terraform.values()} == set(knative)
    for body in terraform.values():
        name = body["name"]
        assert knative[name] == config_connector[name], name
        assert knative[name] == _terraform_view(body, project, found), name
