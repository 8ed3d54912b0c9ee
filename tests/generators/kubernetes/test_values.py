"""What the values (and so the chart and the manifests) say, derived from the blueprint."""

from __future__ import annotations

from typing import Any

import pytest

from blueprint.errors import BlueprintError
from blueprint.view import SystemView
from generators.kubernetes import GENERATOR, manifest_objects
from generators.kubernetes.network import DNS_EGRESS, PROMETHEUS_PEER
from generators.kubernetes.values import release_values
from tests.generators.kubernetes.support import kitchen_sink
from tests.support import load_example, load_text


def _pods(name: str) -> dict[str, Any]:
    return {"podSelector": {"matchLabels": {"app.kubernetes.io/name": name}}}


def _tcp(port: int) -> list[dict[str, Any]]:
    return [{"port": port, "protocol": "TCP"}]


def test_the_seed_deployment_of_three_pods_on_node_port_30080() -> None:
    objects = {
        obj["kind"]: obj
        for obj in manifest_objects(SystemView.of(load_example("kubernetes-helm").blueprint))[
            "hello.yaml"
        ]
    }
    assert objects["Deployment"]["spec"]["replicas"] == 3
    assert objects["Service"]["spec"]["type"] == "NodePort"
    assert objects["Service"]["spec"]["ports"] == [
        {"name": "http", "port": 8080, "targetPort": "http", "protocol": "TCP", "nodePort": 30080}
    ]
    assert objects["PodDisruptionBudget"]["spec"]["maxUnavailable"] == 1
    # Reached on the nodes from the private network its allow_from names, scraped by Prometheus.
    assert objects["NetworkPolicy"]["spec"]["ingress"] == [
        {"from": [{"ipBlock": {"cidr": "10.0.0.0/8"}}], "ports": _tcp(8080)},
        {"from": [PROMETHEUS_PEER], "ports": _tcp(8080)},
    ]
    assert sorted(objects) == [
        "Deployment",
        "NetworkPolicy",
        "PodDisruptionBudget",
        "Service",
        "ServiceAccount",
        "ServiceMonitor",
    ]


def test_hardened_pod() -> None:
    values = release_values(
        SystemView.of(load_example("fastapi-observability").blueprint), "fastapi"
    )
    deployment = manifest_objects(SystemView.of(load_example("fastapi-observability").blueprint))[
        "fastapi.yaml"
    ][1]
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert pod["securityContext"] == {
        "runAsNonRoot": True,
        "runAsUser": 10001,
        "runAsGroup": 10001,
        "fsGroup": 10001,
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    assert container["securityContext"]["capabilities"] == {"drop": ["ALL"]}
    assert (
        container["securityContext"]["allowPrivilegeEscalation"],
        container["securityContext"]["readOnlyRootFilesystem"],
    ) == (False, True)
    assert pod["automountServiceAccountToken"] is False
    assert container["volumeMounts"] == [{"name": "tmp", "mountPath": "/tmp"}]
    assert container["resources"] == {
        "requests": {"cpu": "250m", "memory": "256Mi"},
        "limits": {"cpu": "250m", "memory": "256Mi"},
    }
    assert container["livenessProbe"] == {
        "httpGet": {"path": "/health", "port": 8000},
        "periodSeconds": 30,
        "timeoutSeconds": 5,
        "failureThreshold": 3,
    }
    # A startup probe gives a slow start 5 minutes before liveness takes over.
    assert container["startupProbe"] == {
        "httpGet": {"path": "/health", "port": 8000},
        "periodSeconds": 5,
        "timeoutSeconds": 5,
        "failureThreshold": 60,
    }
    assert container["image"] == (
        "ghcr.io/example/fastapi:0.3.0"
        "@sha256:af0a21138d47384324baf4f333a13a74463cbc7a07d12d61068bae94716aacda"
    )
    assert values["serviceMonitor"] == {
        "enabled": True,
        "port": "http",
        "path": "/metrics",
        "interval": "15s",
    }


def test_network_policies_follow_the_call_edges() -> None:
    bp = load_example("latency-chain").blueprint
    api = release_values(SystemView.of(bp), "api")["networkPolicy"]
    assert api["ingress"] == [
        {"from": [_pods("app")], "ports": _tcp(8080)},
        {"from": [PROMETHEUS_PEER], "ports": _tcp(8080)},
    ]
    assert api["egress"] == [
        DNS_EGRESS,
        {"to": [_pods("location")], "ports": _tcp(8080)},
        {"to": [_pods("predict")], "ports": _tcp(8080)},
        {"to": [_pods("sensor")], "ports": _tcp(8080)},
    ]
    sensor = release_values(SystemView.of(bp), "sensor")["networkPolicy"]
    assert sensor["ingress"][0] == {"from": [_pods("api")], "ports": _tcp(8080)}
    assert sensor["egress"] == [DNS_EGRESS]
    # Nobody calls app: only Prometheus reaches it.
    assert release_values(SystemView.of(bp), "app")["networkPolicy"]["ingress"] == [
        {"from": [PROMETHEUS_PEER], "ports": _tcp(8080)}
    ]


def test_kafka_workers_are_deployments_without_a_service() -> None:
    files = manifest_objects(SystemView.of(load_example("kafka-workers").blueprint))
    assert sorted(files) == ["collectors.yaml", "namespace.yaml", "worker1.yaml", "worker2.yaml"]
    assert [o["kind"] for o in files["worker1.yaml"]] == [
        "ServiceAccount",
        "Deployment",
        "NetworkPolicy",
    ]
    worker = release_values(SystemView.of(load_example("kafka-workers").blueprint), "worker1")
    assert (worker["workload"], worker["replicas"], worker["ports"]) == ("worker", 1, [])
    # A broker and a database have no address in the blueprint: egress stays open for them.
    assert worker["networkPolicy"] == {"ingress": [], "egress": [DNS_EGRESS, {}]}


def test_namespace_enforces_the_restricted_pod_security_standard() -> None:
    (namespace,) = manifest_objects(SystemView.of(load_example("kafka-workers").blueprint))[
        "namespace.yaml"
    ]
    assert namespace["metadata"] == {
        "name": "pipeline",
        "labels": {
            "kubernetes.io/metadata.name": "pipeline",
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/enforce-version": "latest",
        },
    }


def test_kitchen_sink_values() -> None:
    bp = kitchen_sink()
    front = release_values(SystemView.of(bp), "storefront")
    assert front["image"] == {
        "repository": "europe-west2-docker.pkg.dev/shop-project-1/images/shop/storefront",
        "tag": "2.1.0",
        "digest": "sha256:" + "0123456789abcdef" * 4,
        "pullPolicy": "IfNotPresent",
    }
    assert front["secretEnv"] == [{"name": "DB_PASSWORD", "secret": "vault", "key": "db-password"}]
    assert front["env"] == [{"name": "MODE", "value": "on"}, {"name": "RATIO", "value": "1e3"}]
    assert front["ports"] == [
        {"name": "http", "port": 8080, "servicePort": 8080, "protocol": "TCP", "appProtocol": ""},
        {
            "name": "metrics",
            "port": 9090,
            "servicePort": 9090,
            "protocol": "TCP",
            "appProtocol": "",
        },
    ]
    assert front["autoscaling"] == {
        "enabled": True,
        "minReplicas": 2,
        "maxReplicas": 6,
        "cpuTargetPercent": 60,
        "memoryTargetPercent": 0,
        "podsMetric": {"name": "", "averageValue": ""},
    }
    assert front["ingresses"] == [
        {
            "name": "web-storefront",
            "className": "",
            "host": "shop.example.com",
            "tlsSecret": "shop-tls",
            "tlsIssuer": "",
            "port": "http",
            "paths": ["/"],
        }
    ]
    assert front["checkovSkips"][0]["id"] == "CKV_K8S_35"
    api = release_values(SystemView.of(bp), "api")
    assert api["ingresses"][0]["paths"] == ["/api", "/api/v2"]
    assert api["service"] == {"enabled": True, "type": "LoadBalancer", "nodePort": 0}
    assert api["networkPolicy"]["ingress"] == [
        {"from": [_pods("indexer"), _pods("nightly"), _pods("storefront")], "ports": _tcp(9000)},
        # The ingress controller: any pod outside the system's namespace (not its own pods).
        {
            "from": [
                {
                    "namespaceSelector": {
                        "matchExpressions": [
                            {
                                "key": "kubernetes.io/metadata.name",
                                "operator": "NotIn",
                                "values": ["shop"],
                            }
                        ]
                    }
                }
            ],
            "ports": _tcp(9000),
        },
        {"from": [{"ipBlock": {"cidr": "10.20.0.0/16"}}], "ports": _tcp(9000)},
    ]
    nightly = release_values(SystemView.of(bp), "nightly")
    assert (nightly["workload"], nightly["cron"]) == (
        "cron",
        {"schedule": "0 3 * * *", "timeZone": "Etc/UTC", "backoffLimit": 2},
    )
    assert nightly["resources"] == {
        "requests": {"cpu": "1500m", "memory": "2048Mi"},
        "limits": {"cpu": "1500m", "memory": "2048Mi"},
    }
    deployer = release_values(SystemView.of(bp), "deployer")
    assert deployer["serviceAccount"] == {"automountToken": True}
    assert deployer["probes"]["handler"]["type"] == "tcp"
    assert [deployer["probes"][p]["enabled"] for p in ("startup", "readiness", "liveness")] == [
        False,
        True,
        True,
    ]
    assert [s["id"] for s in deployer["checkovSkips"]] == ["CKV_K8S_43", "CKV_K8S_38"]


def test_secrets_are_references_never_values() -> None:
    files = manifest_objects(SystemView.of(kitchen_sink()))
    (container,) = files["storefront.yaml"][1]["spec"]["template"]["spec"]["containers"]
    assert container["env"][-1] == {
        "name": "DB_PASSWORD",
        "valueFrom": {"secretKeyRef": {"name": "vault", "key": "db-password"}},
    }
    assert not any(o["kind"] == "Secret" for objs in files.values() for o in objs)


def test_only_kubernetes_workloads_are_rendered() -> None:
    bp = load_example("aws-fargate-api").blueprint
    assert GENERATOR.applies_to(bp) is False
    assert GENERATOR.applies_to(load_example("kubernetes-helm").blueprint) is True


def test_an_ecr_registry_resource_cannot_be_resolved() -> None:
    # Refused at validation (docs/support.md); the generator's own check stays as a backstop.
    with pytest.raises(BlueprintError, match="found registry 'images' on aws, whose host"):
        load_text(
            """\
        name: ecr
        platforms: {aws: {region: eu-west-2}, kubernetes: {namespace: apps}}
        services:
          web:
            platform: kubernetes
            image: {registry: images, repository: web, tag: "1"}
        resources:
          images: {kind: registry}
        """
        )


def test_default_namespace_is_not_declared() -> None:
    bp = load_text(
        """\
        name: plain
        platforms: {kubernetes: {}}
        services:
          web:
            platform: kubernetes
            image: {registry: docker.io, repository: library/web, tag: "1"}
        """
    ).blueprint
    assert sorted(manifest_objects(SystemView.of(bp))) == ["web.yaml"]


def _shop(name: str) -> dict[str, Any]:
    return release_values(SystemView.of(load_example("kubernetes-grpc-shop").blueprint), name)


def _objects(name: str) -> dict[tuple[str, str], dict[str, Any]]:
    bp = load_example("kubernetes-grpc-shop").blueprint
    return {
        (o["kind"], o["metadata"]["name"]): o
        for o in manifest_objects(SystemView.of(bp))[f"{name}.yaml"]
    }


def test_an_external_database_gets_egress_to_exactly_its_range_and_port() -> None:
    egress = _shop("checkout")["networkPolicy"]["egress"]
    assert {} not in egress  # no allow-all
    assert egress[-1] == {"to": [{"ipBlock": {"cidr": "10.40.0.0/24"}}], "ports": _tcp(5432)}


def test_without_a_cidr_the_endpoint_port_is_open_to_any_address() -> None:
    bp = load_text(
        """\
        name: demo
        platforms: {kubernetes: {namespace: demo}}
        resources:
          cache: {kind: database, engine: redis, endpoint: {host: cache.internal, port: 6379}}
        services:
          web:
            platform: kubernetes
            image: {registry: ghcr.io, repository: demo/web, tag: "1"}
            uses: [{resource: cache, access: read}]
        """
    ).blueprint
    egress = release_values(SystemView.of(bp), "web")["networkPolicy"]["egress"]
    assert egress == [DNS_EGRESS, {"ports": _tcp(6379)}]


def test_connection_outputs_are_values_or_secret_references_never_secrets() -> None:
    checkout = _shop("checkout")
    env = {e["name"]: e["value"] for e in checkout["env"]}
    assert (env["ORDERS_DB_HOST"], env["ORDERS_DB_PORT"], env["ORDERS_DB_NAME"]) == (
        "orders-db.data.internal",
        "5432",
        "orders-db",
    )
    assert [e for e in checkout["secretEnv"] if e["name"].startswith("ORDERS_DB")] == [
        {"name": "ORDERS_DB_PASSWORD", "secret": "checkout-orders-db", "key": "password"},
        {"name": "ORDERS_DB_USER", "secret": "checkout-orders-db", "key": "user"},
    ]
    assert checkout["externalSecrets"] == [
        {
            "name": "checkout-orders-db",
            "store": "vault",
            "remoteKey": "orders-db",
            "properties": ["password", "user"],
        }
    ]
    assert "CKV_K8S_35" in [s["id"] for s in checkout["checkovSkips"]]


def test_the_frontend_serves_80_onto_8080_behind_cert_manager_tls() -> None:
    objects = _objects("storefront")
    (port,) = [p for p in objects[("Service", "storefront")]["spec"]["ports"] if p["port"] == 80]
    assert port == {
        "name": "http",
        "port": 80,
        "targetPort": "http",
        "protocol": "TCP",
        "appProtocol": "http",
    }
    ingress = objects[("Ingress", "web-storefront")]
    assert ingress["metadata"]["annotations"] == {
        "cert-manager.io/cluster-issuer": "letsencrypt-prod"
    }
    assert ingress["spec"]["ingressClassName"] == "nginx"
    assert ingress["spec"]["tls"] == [
        {"secretName": "web-storefront-tls", "hosts": ["shop.example.com"]}
    ]
    # The policy admits the container port: NetworkPolicies apply after the Service's DNAT.
    rules = objects[("NetworkPolicy", "storefront")]["spec"]["ingress"]
    assert rules[0] == {"from": [_pods("shopper")], "ports": _tcp(8080)}


def test_a_port_less_load_generator_has_no_service_and_a_command_probe() -> None:
    objects = _objects("shopper")
    assert sorted(kind for kind, _ in objects) == [
        "Deployment",
        "NetworkPolicy",
        "ServiceAccount",
    ]
    (container,) = objects[("Deployment", "shopper")]["spec"]["template"]["spec"]["containers"]
    assert "ports" not in container
    assert container["livenessProbe"]["exec"] == {
        "command": ["/app/shopper", "check", "--heartbeat", "/var/run/shopper/heartbeat"]
    }
    assert objects[("NetworkPolicy", "shopper")]["spec"].get("ingress") is None


def test_grpc_services_get_grpc_probes() -> None:
    objects = _objects("basket")
    (container,) = objects[("Deployment", "basket")]["spec"]["template"]["spec"]["containers"]
    assert container["readinessProbe"] == {
        "grpc": {"port": 7070, "service": "tinkershop.Basket"},
        "periodSeconds": 30,
        "timeoutSeconds": 5,
        "failureThreshold": 3,
    }


def test_redis_keeps_its_data_on_a_volume_per_replica() -> None:
    objects = _objects("basket-store")
    stateful = objects[("StatefulSet", "basket-store")]
    assert stateful["spec"]["serviceName"] == "basket-store-headless"
    assert stateful["spec"]["volumeClaimTemplates"][0]["spec"] == {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": "2Gi"}},
    }
    (container,) = stateful["spec"]["template"]["spec"]["containers"]
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert {"name": "data", "mountPath": "/data"} in container["volumeMounts"]
    assert objects[("Service", "basket-store-headless")]["spec"]["clusterIP"] == "None"
