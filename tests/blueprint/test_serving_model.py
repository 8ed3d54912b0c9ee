"""What a service serves and keeps: probe kinds, ports, storage and limits are validated with
one positioned line per problem, and refused on platforms that cannot render them."""

from __future__ import annotations

import textwrap

import pytest

from blueprint.errors import BlueprintError
from blueprint.model import HealthCheck
from tests.support import load_text

HEAD = """\
name: demo
platforms:
  kubernetes: {namespace: demo}
  gcp: {project: demo-project, region: europe-west1}
services:
"""


def problems(services: str) -> list[str]:
    with pytest.raises(BlueprintError) as info:
        load_text(HEAD + textwrap.indent(textwrap.dedent(services), "  "))
    return [str(d) for d in info.value.diagnostics]


def loads(services: str) -> None:
    load_text(HEAD + textwrap.indent(textwrap.dedent(services), "  "))


def test_todays_health_check_still_means_http() -> None:
    health = HealthCheck.model_validate({"path": "/healthz", "port": 8081})
    assert (health.kind, health.path, health.port) == ("http", "/healthz", 8081)


def test_default_timings_give_a_slow_start_five_minutes() -> None:
    health = HealthCheck.model_validate({"interval_seconds": 10, "timeout_seconds": 20})
    startup, readiness = health.timing("startup"), health.timing("readiness")
    assert (startup.period_seconds, startup.failure_threshold, startup.timeout_seconds) == (
        5,
        60,
        5,
    )
    assert (readiness.period_seconds, readiness.failure_threshold) == (10, 3)
    # A probe never outlasts its period.
    assert readiness.timeout_seconds == 10


def test_a_key_of_another_probe_kind_is_refused() -> None:
    assert problems(
        """
        web:
          platform: kubernetes
          health: {kind: grpc, path: /healthz}
        """
    ) == [
        "blueprint.yaml:9:5: found path on a health check of kind grpc, "
        "expected it only with kind http"
    ]


def test_an_exec_probe_needs_its_command() -> None:
    assert problems(
        """
        web:
          platform: kubernetes
          health: {kind: exec}
        """
    ) == [
        "blueprint.yaml:9:5: found a health check of kind exec without "
        "command, expected command: [program, arguments...]"
    ]


def test_a_service_without_a_port_probes_by_command() -> None:
    loads(
        """
        loadgen:
          platform: kubernetes
          image: {registry: ghcr.io, repository: demo/loadgen, tag: "1.0.0"}
          port: null
          health: {kind: exec, command: [/app/check]}
        """
    )
    assert problems(
        """
        loadgen:
          platform: kubernetes
          image: {registry: ghcr.io, repository: demo/loadgen, tag: "1.0.0"}
          port: null
          health: {kind: tcp}
        """
    ) == [
        "blueprint.yaml:7:3: found a health check of kind tcp on a service "
        "without a port, expected kind exec (a command) or health.port"
    ]


def test_nothing_calls_or_routes_to_a_service_without_a_port() -> None:
    assert problems(
        """
        web:
          platform: kubernetes
          image: {registry: ghcr.io, repository: demo/web, tag: "1.0.0"}
          calls: [{service: loadgen}, {service: api, port: admin}]
        loadgen:
          platform: kubernetes
          image: {registry: ghcr.io, repository: demo/loadgen, tag: "1.0.0"}
          port: null
        api:
          platform: kubernetes
          image: {registry: ghcr.io, repository: demo/api, tag: "1.0.0"}
          ports: [{name: gossip, port: 7946, protocol: udp}]
        """
    ) == [
        "blueprint.yaml:10:23: found a call to 'loadgen', which "
        "serves no port; expected a service with a port",
        "blueprint.yaml:10:54: found port 'admin', which service "
        "'api' does not declare; expected one of its ports (gossip)",
    ]


def test_port_names_and_numbers_are_unique_and_not_the_generated_ones() -> None:
    assert problems(
        """
        api:
          platform: kubernetes
          ports: [{name: metrics, port: 9090}]
        db:
          platform: kubernetes
          ports: [{name: peer, port: 8080}]
        """
    ) == [
        "blueprint.yaml:9:13: found port name 'metrics', expected a "
        "name other than grpc, h2c, http, https, metrics, tcp (those name the service port "
        "and the metrics port)",
        "blueprint.yaml:10:3: found port 8080 twice among port and ports, expected each port once",
    ]


def test_mount_paths_are_absolute_and_distinct() -> None:
    assert problems(
        """
        redis:
          platform: kubernetes
          storage: {path: /data/../etc}
          writable: [{path: /tmp}]
        """
    ) == [
        "blueprint.yaml:9:21: found '/data/../etc', expected an "
        "absolute path below / without empty, '.' or '..' segments such as /data",
    ]


def test_limits_are_at_or_above_requests() -> None:
    assert problems(
        """
        api:
          platform: kubernetes
          memory: 512
          limits: {memory: 256}
        """
    ) == [
        "blueprint.yaml:7:3: found limits.memory 256 below memory 512, expected a "
        "limit at or above the request"
    ]


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        (
            "health: {kind: exec, command: [/check]}",
            "services.web: a command health check is not rendered for cloud-run: Cloud "
            "Run probes are HTTP, gRPC or TCP; declare one of those kinds",
        ),
        (
            "service_port: 80",
            "services.web: a service_port apart from port is not rendered for "
            "cloud-run: Cloud Run serves HTTPS on 443 and routes to the container port",
        ),
        (
            "storage: {path: /data}",
            "services.web: persistent storage is not rendered for cloud-run: Cloud Run "
            "instances have no persistent volumes; use a bucket or a database",
        ),
        (
            "health: {kind: grpc}",
            "services.web: a gRPC health check is not rendered for cloud-run yet",
        ),
    ],
)
def test_other_platforms_refuse_what_they_cannot_render(declared: str, message: str) -> None:
    found = problems(
        f"""
        web:
          platform: cloud-run
          image: {{registry: ghcr.io, repository: demo/web, tag: "1.0.0"}}
          {declared}
        """
    )
    assert len(found) == 1 and message in found[0], found


_INGRESS = """\
name: demo
platforms:
  kubernetes: {namespace: demo%s}
ingress:
  edge: {kind: http, host: shop.example.com, tls: %s, routes: {"/": web}}
services:
  web: {platform: kubernetes, image: {registry: ghcr.io, repository: demo/web, tag: "1"}}
"""


@pytest.mark.parametrize(
    ("settings", "tls", "message"),
    [
        (
            "",
            "{zone: example.com}",
            "blueprint.yaml:5:46: ingress.edge: a managed certificate without issuer is not "
            "rendered for kubernetes: cert-manager issues it through a ClusterIssuer; declare "
            "tls.issuer, or certificate: <an existing Secret's name> (see docs/support.md)",
        ),
        (
            "",
            "{certificate: Shop_TLS}",
            "blueprint.yaml:5:46: ingress.edge: certificate 'Shop_TLS' is not rendered for "
            "kubernetes: on Kubernetes the certificate is the name of a Secret (see "
            "docs/support.md)",
        ),
        (
            ", gateway: edge",
            "{issuer: letsencrypt}",
            "blueprint.yaml:5:46: ingress.edge: tls on an http ingress behind a Gateway is not "
            "rendered for kubernetes: HTTPRoutes attach to the Gateway 'edge', whose listener "
            "holds the certificate; remove tls here (see docs/support.md)",
        ),
    ],
)
def test_kubernetes_tls_that_cannot_be_rendered_is_refused(
    settings: str, tls: str, message: str
) -> None:
    with pytest.raises(BlueprintError) as info:
        load_text(_INGRESS % (settings, tls))
    assert [str(d) for d in info.value.diagnostics] == [message]


def test_keda_scales_only_a_worker_on_a_kafka_topic_with_a_known_broker() -> None:
    with pytest.raises(BlueprintError) as info:
        load_text(
            """\
            name: demo
            platforms: {kubernetes: {namespace: demo}}
            resources:
              work: {kind: queue}
            jobs:
              worker:
                platform: kubernetes
                image: {registry: ghcr.io, repository: demo/worker, tag: "1"}
                trigger: {topic: work}
                scaling: {min: 0, max: 5}
            """
        )
    assert [str(d) for d in info.value.diagnostics] == [
        "blueprint.yaml:10:5: jobs.worker: scaling of this worker is not rendered for "
        "kubernetes: KEDA reads the backlog of a topic on a broker with an endpoint (Kafka); "
        "trigger it on such a topic (see docs/support.md)"
    ]
