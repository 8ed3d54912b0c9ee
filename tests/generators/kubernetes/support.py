"""Rendering the kubernetes target for tests, and rendering its chart with Helm's own engine
(helm-python-sdk binds the Helm v4 Go SDK: the same template engine, values coalescing and
schema validation as the helm binary)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import helm_python
import yaml

from blueprint.model import Blueprint
from blueprint.pipeline import render_files
from generators import RenderContext
from generators.kubernetes import GENERATOR
from tests.support import load_example, load_text

K8S_EXAMPLES = [
    "fastapi-observability",
    "kafka-workers",
    "kubernetes-grpc-shop",
    "kubernetes-helm",
    "latency-chain",
]

# Every branch of the chart at once: an http ingress with host and TLS, autoscaling, secrets,
# a metrics port of its own, an image by digest from a registry resource, a cron job, a topic
# worker calling a service, firewall sources, a workload that calls the Kubernetes API, extra
# labels and annotations, kustomize patches of both kinds (overrides).
KITCHEN_SINK = textwrap.dedent(
    """\
    name: kitchen-sink
    description: Every feature of the Kubernetes generator
    platforms:
      kubernetes: {namespace: shop}
      gcp: {project: shop-project-1, region: europe-west2}
    ingress:
      web:
        kind: http
        host: shop.example.com
        tls_secret: shop-tls
        routes: {"/": storefront, "/api": api, "/api/v2": api}
    services:
      storefront:
        platform: kubernetes
        description: "The shop's front: yes, no, on, ~ and 'quotes'"
        image:
          registry: images
          repository: shop/storefront
          tag: "2.1.0"
          digest: "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
        port: 8080
        replicas: 2
        scaling: {min: 2, max: 6, cpu_target_percent: 60}
        health: {path: /healthz, port: 8081, interval_seconds: 10, timeout_seconds: 2}
        metrics: {path: /prometheus, port: 9090}
        env: {MODE: "on", RATIO: "1e3"}
        secrets:
          DB_PASSWORD: {store: vault, key: db-password}
        calls: [{service: api, latency: 0.1}]
      api:
        platform: kubernetes
        image: {registry: docker.io, repository: shop/api, tag: "3.0.0"}
        port: 9000
        replicas: 1
        allow_from: [{cidr: 10.20.0.0/16, ports: [9000]}]
        expose: {type: load-balancer}
        uses: [{resource: orders, access: write}]
      deployer:
        platform: kubernetes
        image: {registry: ghcr.io, repository: shop/deployer, tag: "1.0.0"}
        uses: [{resource: cluster, access: deploy}]
    jobs:
      nightly:
        platform: kubernetes
        image: {registry: ghcr.io, repository: shop/nightly, tag: "1.0.0"}
        trigger: {schedule: "0 3 * * *"}
        retry: {attempts: 3, backoff_seconds: 60}
        calls: [{service: api}]
        cpu: 1.5
        memory: 2048
      indexer:
        platform: kubernetes
        image: {registry: ghcr.io, repository: shop/indexer, tag: "1.0.0"}
        trigger: {topic: orders-topic}
        calls: [{service: api}]
    resources:
      images: {kind: registry, cloud: gcp}
      vault: {kind: secret-store, cloud: kubernetes}
      orders: {kind: database, cloud: kubernetes}
      orders-topic: {kind: topic, cloud: kubernetes}
      cluster: {kind: cluster, cloud: kubernetes}
    monitoring: {scrape_interval_seconds: 20}
    overrides:
      kubernetes:
        workloads:
          storefront:
            labels: {team: shop-front, example.com/cost-centre: "4711"}
            annotations: {example.com/runbook: "https://runbooks.example.com/storefront: yes"}
            patches:
              - target: {kind: Deployment}
                strategic_merge:
                  spec:
                    minReadySeconds: 10
                    template:
                      spec:
                        containers:
                          - name: storefront
                            env: [{name: MODE, value: "off"}, {name: TZ, value: Etc/UTC}]
              - target: {kind: Ingress, name: web-storefront}
                json6902:
                  - {op: add, path: /metadata/annotations, value: {example.com/waf: "on"}}
              - target: {kind: Service}
                json6902: [{op: add, path: /spec/sessionAffinity, value: ClientIP}]
          nightly:
            labels: {team: data}
            patches:
              - target: {kind: CronJob}
                strategic_merge:
                  spec: {startingDeadlineSeconds: 300, successfulJobsHistoryLimit: null}
    """
)


# What a service serves and keeps, behind a Gateway API Gateway: a StatefulSet with a storage
# class autoscaled on a pods metric, a UDP named port called by name, a gRPC probe naming its
# service, an HTTP probe with headers and timings, a command probe on a port-less service,
# writable paths, limits without a CPU limit, a Kafka worker scaled by KEDA on its lag.
SERVING_SINK = textwrap.dedent(
    """\
    name: serving-sink
    platforms:
      kubernetes: {namespace: serving, gateway: public-gateway}
    ingress:
      web:
        kind: http
        host: serving.example.com
        routes: {"/": front, "/static": front}
    services:
      front:
        platform: kubernetes
        image: {registry: ghcr.io, repository: serving/front, tag: "1.0.0"}
        port: 8080
        service_port: 80
        health:
          path: /ready
          headers: {X-Probe: "yes", Cookie: "a=b; c=d"}
          readiness: {period_seconds: 5, failure_threshold: 2, initial_delay_seconds: 3}
          liveness: {timeout_seconds: 3}
        limits: {memory: 1024}
        calls: [{service: ledger}, {service: ledger, port: gossip}]
      ledger:
        platform: kubernetes
        image: {registry: ghcr.io, repository: serving/ledger, tag: "1.0.0"}
        port: 9000
        app_protocol: grpc
        ports:
          - {name: gossip, port: 7946, protocol: udp}
          - {name: admin, port: 9001, service_port: 91, app_protocol: http}
        replicas: 3
        scaling:
          min: 3
          max: 9
          memory_target_percent: 75
          metric: {name: ledger_queue_depth, average_value: "30"}
        storage: {path: /var/lib/ledger, size: 20Gi, class: fast-ssd}
        writable: [{path: /var/cache/ledger, size: 128Mi}]
        health: {kind: grpc, service: serving.Ledger, startup: {failure_threshold: 120}}
        metrics: {path: /metrics, port: 9001}
      prober:
        platform: kubernetes
        image: {registry: ghcr.io, repository: serving/prober, tag: "1.0.0"}
        port: null
        health: {kind: exec, command: [/bin/prober, --check]}
        calls: [{service: front}]
    jobs:
      settler:
        platform: kubernetes
        image: {registry: ghcr.io, repository: serving/settler, tag: "1.0.0"}
        trigger: {topic: settlements}
        scaling: {min: 0, max: 12, backlog_target: 50}
        uses: [{resource: settlements, access: subscribe}]
    resources:
      events: {kind: broker, endpoint: {host: kafka.data.internal, port: 9092, cidr: 10.50.0.0/24}}
      settlements: {kind: topic, broker: events}
    """
)


def kitchen_sink() -> Blueprint:
    return load_text(KITCHEN_SINK).blueprint


def serving_sink() -> Blueprint:
    return load_text(SERVING_SINK).blueprint


_SINKS = {"kitchen-sink": KITCHEN_SINK, "serving-sink": SERVING_SINK}
SINKS = tuple(_SINKS)


def blueprint_of(example: str) -> Blueprint:
    if example in _SINKS:
        return load_text(_SINKS[example]).blueprint
    return load_example(example).blueprint


def render(bp: Blueprint) -> dict[str, str]:
    return GENERATOR.render(RenderContext(blueprint=bp))


def render_stamped(example: str) -> dict[str, str]:
    """The files exactly as `blueprint render` writes them (with provenance headers)."""
    loaded = (
        load_text(_SINKS[example], name=f"{example}.yaml")
        if example in _SINKS
        else load_example(example)
    )
    return render_files(loaded, ["kubernetes"])


def write(files: Mapping[str, str], root: Path) -> Path:
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
    return root / "kubernetes"


def documents(text: str) -> list[dict[str, Any]]:
    """The objects of a YAML stream; comment-only documents (a template that rendered nothing
    but Helm's `# Source:` line or our header) are not objects."""
    return [doc for doc in yaml.safe_load_all(text) if doc is not None]


def helm_render(
    chart: helm_python.Chart, values: dict[str, Any], namespace: str, name: str
) -> dict[str, str]:
    chart.validate_schema(values)
    return chart.render(values, name=name, namespace=namespace, is_install=True)


def helm_objects(rendered: Mapping[str, str]) -> list[dict[str, Any]]:
    return [obj for _, text in sorted(rendered.items()) for obj in documents(text)]


def by_identity(objects: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for obj in objects:
        key = (obj["kind"], obj["metadata"]["name"])
        assert key not in out, f"two objects are {key}"
        out[key] = obj
    return out


def manifest_objects(kube_dir: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted((kube_dir / "manifests").glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for obj in documents(path.read_text(encoding="utf-8")):
            yield path.name, obj
