"""BP2008: a declared call the rendered platforms cannot carry is an error in `check`."""

from __future__ import annotations

from tests.policies.support import finding, findings

NETWORK = """\
networks:
  vpc:
    cidr: 10.8.0.0/16
    nat: edge
    subnets:
      edge: {cidr: 10.8.0.0/24}
      run: {cidr: 10.8.1.0/24}
"""
GCP = """\
name: t
platforms:
  gcp: {project: my-project, region: europe-west1}
services:
  back:
    platform: cloud-run
    image: {registry: docker.io, repository: x/back, tag: "1"}
  front:
    platform: cloud-run
    image: {registry: docker.io, repository: x/front, tag: "1"}
    calls: [{service: back}]
"""


def test_a_cloud_run_caller_without_a_network_cannot_reach_an_internal_service() -> None:
    assert findings(GCP, "BP2008") == [
        finding(
            "BP2008",
            "error",
            "services.front",
            "calls back, but the rendered platforms cannot carry the call: back runs on Cloud "
            "Run with ingress internal, which admits only requests from a VPC network, and "
            "front sends them from outside any VPC (the blueprint has no network on gcp to give "
            "it Direct VPC egress on)",
            ("services.front", "services.back"),
            11,
            13,
        )
    ]


def test_a_network_gives_the_caller_direct_vpc_egress_that_carries_the_call() -> None:
    assert findings(GCP + NETWORK, "BP2008") == []


def test_declared_all_traffic_vpc_egress_carries_the_call() -> None:
    text = GCP.replace(
        "    calls: [{service: back}]\n", "    calls: [{service: back}]\n    subnets: [run]\n"
    )
    assert findings(text + NETWORK, "BP2008") == []


def test_a_public_callee_is_reached_from_anywhere() -> None:
    text = GCP + ("ingress:\n  web: {kind: http, routes: {/: back}}\n")
    assert findings(text, "BP2008") == []


def test_a_callee_behind_a_custom_domain_is_internal_to_other_cloud_run_services() -> None:
    text = GCP + ("ingress:\n  web: {kind: http, host: back.example.com, routes: {/: back}}\n")
    [found] = findings(text, "BP2008")
    assert "back runs on Cloud Run with ingress internal-and-cloud-load-balancing" in found.message
    assert findings(text + NETWORK, "BP2008") == []


K8S = """\
name: t
platforms:
  kubernetes: {}
  aws: {region: eu-west-2}
services:
  api:
    platform: kubernetes
    image: {registry: docker.io, repository: x/api, tag: "1"}
  web:
    platform: aws-fargate
    image: {registry: docker.io, repository: x/web, tag: "1"}
    calls: [{service: api}]
"""


def test_a_caller_off_the_cluster_cannot_reach_an_unexposed_pod() -> None:
    [found] = findings(K8S, "BP2008")
    assert found.message == (
        "calls api, but the rendered platforms cannot carry the call: api runs on "
        "Kubernetes, where its NetworkPolicy admits only the pods of its callers, and web "
        "runs on aws-fargate with no way into the cluster"
    )


def test_an_exposed_pod_is_reachable_from_another_platform() -> None:
    text = K8S.replace(
        '    image: {registry: docker.io, repository: x/api, tag: "1"}\n',
        '    image: {registry: docker.io, repository: x/api, tag: "1"}\n'
        "    expose: {type: load-balancer}\n"
        "    allow_from: [{cidr: 10.0.0.0/8, ports: [8080]}]\n",
    )
    assert findings(text, "BP2008") == []
