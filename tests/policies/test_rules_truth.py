"""The misses and false positives of issue 17 and the rules added for them: a good and a bad
case each, asserting whole findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.policies.support import finding, findings
from tests.support import run_cli

CASES = [
    pytest.param(
        "BP4001",
        """\
name: t
platforms:
  kubernetes: {namespace: t}
services:
  front:
    platform: kubernetes
    env:
      PRODUCT_CATALOG_SERVICE_ADDR: productcatalogservice:3550
      DB_ENDPOINT: orders.c9akciq32.eu-west-2.rds.amazonaws.com
      KAFKA_BOOTSTRAP: b-1.msk.c2.kafka.eu-west-2.amazonaws.com:9092,b-2.msk.c2.kafka.aws:9092
      OTEL_EXPORTER_OTLP_ENDPOINT: otel-collector.observability.svc.cluster.local:4317
      COLLECTOR_URL: http://otel-collector.observability.svc.cluster.local:4318/v1/traces
      AUTH_TOKEN_HEADER: Authorization
      API_KEY_HEADER: X-Api-Key
      SECRET_STORE: vault
""",
        [],
        id="BP4001-good-addresses-and-header-names",
    ),
    pytest.param(
        "BP4001",
        """\
name: t
platforms:
  kubernetes: {namespace: t}
services:
  api:
    platform: kubernetes
    env:
      DB_PASS: hunter2
      SMTP_PASS: Summer2024
      REDIS_SECRETS: changeme
""",
        [
            finding(
                "BP4001",
                "error",
                "services.api",
                "env DB_PASS looks like a secret (its value is a well-known weak password) but "
                "is a plain value; move it to secrets: {DB_PASS: {store: ..., key: ...}}",
                ("services.api", "services.api.env.DB_PASS"),
                8,
                7,
            ),
            finding(
                "BP4001",
                "error",
                "services.api",
                "env SMTP_PASS looks like a secret (its value is a well-known weak password) "
                "but is a plain value; move it to secrets: {SMTP_PASS: {store: ..., key: ...}}",
                ("services.api", "services.api.env.SMTP_PASS"),
                9,
                7,
            ),
            finding(
                "BP4001",
                "error",
                "services.api",
                "env REDIS_SECRETS looks like a secret (its value is a well-known weak "
                "password) but is a plain value; move it to secrets: {REDIS_SECRETS: {store: "
                "..., key: ...}}",
                ("services.api", "services.api.env.REDIS_SECRETS"),
                10,
                7,
            ),
        ],
        id="BP4001-bad-weak-passwords-any-length",
    ),
    pytest.param(
        "BP4001",
        """\
name: t
platforms:
  kubernetes: {namespace: t}
services:
  api:
    platform: kubernetes
    env: {DATABASE_URL: "postgres://app:s3cr3t@db.internal:5432/app"}
""",
        [
            finding(
                "BP4001",
                "error",
                "services.api",
                "env DATABASE_URL looks like a secret (its value matches a known credential "
                "format) but is a plain value; move it to secrets: {DATABASE_URL: {store: ..., "
                "key: ...}}",
                ("services.api", "services.api.env.DATABASE_URL"),
                7,
                11,
            ),
        ],
        id="BP4001-bad-credentials-in-url",
    ),
    pytest.param(
        "BP1011",
        """\
name: t
platforms:
  aws: {region: eu-west-2}
services:
  web:
    platform: aws-fargate
    image: {registry: images, repository: web, tag: "1.4.2"}
resources:
  images: {kind: registry}
identity:
  principals:
    web-role: {kind: service, workload: web, grants: [{resource: "*", access: pull}]}
""",
        [
            finding(
                "BP1011",
                "error",
                "identity.principals.web-role",
                "web-role, the runtime identity of web, is granted pull on every resource "
                '("*"): pulling the image belongs to the execution identity, so one role serves '
                "as both task and execution role",
                ("services.web", "identity.principals.web-role", "resources.images"),
                12,
                55,
            ),
        ],
        id="BP1011-bad-pull-on-star",
    ),
    pytest.param(
        "BP1006",
        """\
name: t
platforms:
  aws: {region: eu-west-2}
services:
  web: {platform: aws-fargate}
identity:
  principals:
    web-role: {kind: service, workload: web}
    deployer: {kind: automation, can_assume: [web-role]}
    leo: {kind: human, can_assume: [deployer]}
""",
        [
            finding(
                "BP1006",
                "error",
                "identity.principals.leo",
                "human leo can assume service identity web-role (the identity of web) through "
                "deployer; people should not act as a workload",
                (
                    "identity.principals.leo",
                    "identity.principals.deployer",
                    "identity.principals.web-role",
                ),
                10,
                5,
            ),
        ],
        id="BP1006-bad-through-automation-role",
    ),
    pytest.param(
        "BP1004",
        """\
name: t
platforms:
  aws: {region: eu-west-2}
resources:
  db: {kind: database}
  logs: {kind: bucket}
identity:
  principals:
    a: {kind: human, can_assume: [b]}
    b: {kind: automation, can_assume: [c], grants: [{resource: logs, access: read}]}
    c: {kind: automation, grants: [{resource: db, access: admin}]}
""",
        [
            finding(
                "BP1004",
                "error",
                "identity.principals.a",
                "a can assume automation c (a -> b -> c), reaching admin on database db, read "
                "on bucket logs",
                (
                    "identity.principals.a",
                    "identity.principals.b",
                    "identity.principals.c",
                    "resources.db (admin)",
                    "resources.logs (read)",
                ),
                9,
                5,
            ),
        ],
        id="BP1004-bad-one-finding-per-chain",
    ),
    pytest.param(
        "BP3005",
        """\
name: t
platforms:
  aws: {region: eu-west-2}
services:
  api: {platform: aws-fargate}
ingress:
  gw: {kind: api-gateway, routes: {ANY /orders: api}}
""",
        [
            finding(
                "BP3005",
                "warning",
                "services.api",
                "service api runs 1 replica(s) (replicas) behind API gateway gw; run at least 2 "
                "so one failure or deploy does not take it down",
                ("ingress.gw", "services.api"),
                5,
                8,
            ),
        ],
        id="BP3005-bad-api-gateway",
    ),
    pytest.param(
        "BP3005",
        """\
name: t
platforms:
  azure: {location: westeurope}
services:
  web: {platform: azure-container-apps, scaling: {min: 1, max: 5}}
ingress:
  site: {kind: http, routes: {/: web}}
""",
        [
            finding(
                "BP3005",
                "warning",
                "services.web",
                "service web runs 1 replica(s) (scaling.min) behind HTTP ingress site; run at "
                "least 2 so one failure or deploy does not take it down",
                ("ingress.site", "services.web"),
                5,
                41,
            ),
        ],
        id="BP3005-bad-container-apps-ingress",
    ),
    pytest.param(
        "BP2005",
        """\
name: t
platforms:
  aws: {region: eu-west-2}
networks:
  main:
    cidr: 10.0.0.0/16
    nat: public-a
    subnets:
      public-a: {cidr: 10.0.64.0/19, public: true, zone: a}
      private-a: {cidr: 10.0.0.0/19, zone: a}
      private-b: {cidr: 10.0.32.0/19, zone: b}
services:
  db-proxy:
    platform: aws-fargate
    port: 5432
    subnets: [private-a]
    allow_from:
      - {cidr: 0.0.0.0/1, ports: [5432]}
      - {cidr: 128.0.0.0/1, ports: [5432]}
""",
        [
            finding(
                "BP2005",
                "error",
                "services.db-proxy",
                "admits 0.0.0.0/1 + 128.0.0.0/1, together all of 0.0.0.0/0, on tcp port(s) 5432 "
                "(PostgreSQL); db-proxy is not a public entry point",
                ("services.db-proxy", "0.0.0.0/1", "128.0.0.0/1", "5432"),
                18,
                9,
            ),
        ],
        id="BP2005-bad-halves-cover-the-world",
    ),
    pytest.param(
        "BP2005",
        """\
name: t
platforms:
  aws: {region: eu-west-2}
networks:
  main:
    cidr: 10.0.0.0/16
    nat: public-a
    subnets:
      public-a: {cidr: 10.0.64.0/19, public: true, zone: a}
      private-a: {cidr: 10.0.0.0/19, zone: a}
      private-b: {cidr: 10.0.32.0/19, zone: b}
services:
  db-proxy:
    platform: aws-fargate
    port: 5432
    subnets: [private-a]
    allow_from:
      - {cidr: 10.0.0.0/9, ports: [5432]}
      - {cidr: 10.128.0.0/9, ports: [5432]}
""",
        [],
        id="BP2005-good-halves-of-a-private-range",
    ),
    pytest.param(
        "BP2005",
        """\
name: t
platforms:
  kubernetes: {namespace: t}
services:
  bastion: {platform: kubernetes, port: 22, expose: {type: load-balancer}}
""",
        [
            finding(
                "BP2005",
                "error",
                "services.bastion",
                "service bastion is exposed as a Kubernetes load-balancer service with no "
                "allow_from, so it admits 0.0.0.0/0 on tcp port(s) 22 (SSH); declare the "
                "sources in allow_from, or review it as an entry point (expose.entry_point)",
                ("services.bastion", "0.0.0.0/0", "22"),
                5,
                45,
            ),
        ],
        id="BP2005-bad-load-balancer-service-ssh",
    ),
    pytest.param(
        "BP2005",
        """\
name: t
platforms:
  aws: {region: eu-west-2}
networks:
  main:
    cidr: 10.0.0.0/16
    nat: public-a
    subnets:
      public-a: {cidr: 10.0.64.0/19, public: true, zone: a}
      private-a: {cidr: 10.0.0.0/19, zone: a}
      private-b: {cidr: 10.0.32.0/19, zone: b}
services:
  postgres: {platform: aws-fargate, port: 5432, replicas: 2, subnets: [private-a]}
ingress:
  lb:
    kind: load-balancer
    type: network
    internal: false
    subnets: [public-a]
    forwards: {5432: postgres}
    allow_from: [{cidr: 0.0.0.0/0, ports: [5432]}]
""",
        [
            finding(
                "BP2005",
                "error",
                "ingress.lb",
                "admits 0.0.0.0/0 on tcp port(s) 5432 (PostgreSQL); a public entry point may "
                "admit the world on 80 and 443 only",
                ("ingress.lb", "0.0.0.0/0", "5432", "services.postgres"),
                21,
                18,
            ),
        ],
        id="BP2005-bad-public-lb-names-the-service-behind",
    ),
    pytest.param(
        "BP2004",
        """\
name: t
platforms:
  kubernetes: {namespace: t}
services:
  web: {platform: kubernetes, port: 8080, expose: {type: load-balancer}}
""",
        [
            finding(
                "BP2004",
                "error",
                "services.web",
                "service web is reachable from the internet around every public entry point: "
                "internet -> web (a Kubernetes load-balancer service on tcp port(s) 8080)",
                ("internet", "services.web"),
                5,
                3,
            ),
        ],
        id="BP2004-bad-node-port-names-ports",
    ),
    pytest.param(
        "BP2004",
        """\
name: t
platforms:
  kubernetes: {namespace: t}
services:
  web:
    platform: kubernetes
    port: 443
    expose:
      type: load-balancer
      entry_point: {ports: [443], reason: the storefront's only way in}
""",
        [],
        id="BP2004-good-reviewed-entry-point",
    ),
    pytest.param(
        "BP2007",
        """\
name: t
platforms:
  aws: {region: eu-west-2}
networks:
  main:
    cidr: 10.0.0.0/16
    nat: public-a
    subnets:
      public-a: {cidr: 10.0.64.0/19, public: true, zone: a}
      private-a: {cidr: 10.0.0.0/19, zone: a}
      private-b: {cidr: 10.0.32.0/19, zone: b}
services:
  postgres: {platform: aws-fargate, port: 5432, replicas: 2, subnets: [private-a]}
ingress:
  lb:
    kind: load-balancer
    type: network
    internal: false
    subnets: [public-a]
    forwards: {443: postgres, 5432: postgres}
""",
        [
            finding(
                "BP2007",
                "error",
                "ingress.lb",
                "public load balancer lb serves port 5432 (PostgreSQL) to the internet and "
                "forwards it to service postgres; an entry point serves HTTP(S) on 80 and 443 "
                "unless entry_point.ports declares the port as reviewed",
                ("ingress.lb", "5432", "services.postgres"),
                20,
                31,
            ),
        ],
        id="BP2007-bad-public-lb-forwards-postgres",
    ),
    pytest.param(
        "BP2007",
        """\
name: t
platforms:
  kubernetes: {namespace: t}
services:
  mqtt:
    platform: kubernetes
    port: 8883
    expose:
      type: node-port
      node_port: 31883
      entry_point: {ports: [8883], reason: devices connect over MQTT with TLS}
""",
        [
            finding(
                "BP2007",
                "error",
                "services.mqtt",
                "service mqtt is a reviewed entry point for port(s) 8883 but its Kubernetes "
                "node-port service also serves tcp port(s) 31883 to the internet; declare them "
                "in entry_point.ports or stop exposing them",
                ("services.mqtt", "31883"),
                11,
                21,
            ),
        ],
        id="BP2007-bad-entry-point-serves-undeclared-port",
    ),
    pytest.param(
        "BP3006",
        """\
name: t
platforms:
  kubernetes: {namespace: t}
services:
  web: {platform: kubernetes, replicas: 0}
ingress:
  site: {kind: http, host: shop.example.com, routes: {/: web}}
""",
        [
            finding(
                "BP3006",
                "warning",
                "services.web",
                "service web runs 0 replicas but public ingress site routes to it: every "
                "request fails; set replicas to 2 or more, or scaling: {min: 0, max: N} to "
                "scale from zero on demand",
                ("ingress.site", "services.web"),
                5,
                31,
            ),
        ],
        id="BP3006-bad-public-zero-replicas",
    ),
    pytest.param(
        "BP3006",
        """\
name: t
platforms:
  kubernetes: {namespace: t}
services:
  web: {platform: kubernetes, replicas: 0, scaling: {min: 0, max: 4}}
ingress:
  site: {kind: http, host: shop.example.com, routes: {/: web}}
""",
        [],
        id="BP3006-good-scale-from-zero",
    ),
    pytest.param(
        "BP3007",
        """\
name: t
platforms:
  aws: {region: eu-west-2}
networks:
  main:
    cidr: 10.0.0.0/16
    nat: public-a
    subnets:
      public-a: {cidr: 10.0.64.0/19, public: true, zone: a}
      private-a: {cidr: 10.0.0.0/19, zone: a}
      private-b: {cidr: 10.0.32.0/19, zone: b}
services:
  web: {platform: aws-fargate, replicas: 2, subnets: [private-a]}
resources:
  db: {kind: database, subnets: [private-a]}
environments:
  prod: {}
""",
        [
            finding(
                "BP3007",
                "warning",
                "networks.main",
                "network main places every workload and datastore in zone a (subnets "
                "private-a), and environment prod runs on it: one zone outage stops the system; "
                "add subnets in a second zone and place workloads in both",
                ("networks.main", "networks.main.subnets.private-a"),
                5,
                3,
            ),
        ],
        id="BP3007-bad-prod-one-zone",
    ),
    pytest.param(
        "BP3007",
        """\
name: t
platforms:
  aws: {region: eu-west-2}
networks:
  main:
    cidr: 10.0.0.0/16
    nat: public-a
    subnets:
      public-a: {cidr: 10.0.64.0/19, public: true, zone: a}
      private-a: {cidr: 10.0.0.0/19, zone: a}
      private-b: {cidr: 10.0.32.0/19, zone: b}
services:
  web: {platform: aws-fargate, replicas: 2, subnets: [private-a]}
environments:
  dev: {}
""",
        [],
        id="BP3007-good-no-production",
    ),
    pytest.param(
        "BP4003",
        """\
name: t
platforms:
  aws: {region: eu-west-2}
services:
  api: {platform: aws-fargate, replicas: 2}
ingress:
  gw: {kind: api-gateway, routes: {ANY /orders: api}, access_logs: false}
""",
        [
            finding(
                "BP4003",
                "warning",
                "ingress.gw",
                "public API gateway gw has access_logs: false; requests from the internet leave "
                "no record of who called what",
                ("ingress.gw",),
                7,
                55,
            ),
        ],
        id="BP4003-bad-access-logs-off",
    ),
    pytest.param(
        "BP4003",
        """\
name: t
platforms:
  aws: {region: eu-west-2}
services:
  api: {platform: aws-fargate, replicas: 2}
ingress:
  gw: {kind: api-gateway, public: false, routes: {ANY /orders: api}, access_logs: false}
""",
        [],
        id="BP4003-good-private-gateway",
    ),
    pytest.param(
        "BP4004",
        """\
name: t
platforms:
  aws: {region: eu-west-2, log_retention_days: 7}
""",
        [
            finding(
                "BP4004",
                "warning",
                "platforms.aws",
                "log_retention_days is 7, below the minimum of 30 days (no production "
                "environment is declared); logs are gone before an incident review needs them",
                ("platforms.aws",),
                3,
                28,
            ),
        ],
        id="BP4004-bad-dev-below-a-month",
    ),
    pytest.param(
        "BP4004",
        """\
name: t
platforms:
  aws: {region: eu-west-2, log_retention_days: 365}
environments:
  prod: {}
""",
        [],
        id="BP4004-good-prod-a-year",
    ),
    pytest.param(
        "BP5001",
        """\
name: t
platforms:
  kubernetes: {namespace: t}
services:
  web:
    platform: kubernetes
    image: {registry: docker.io, repository: library/nginx, tag: latest}
""",
        [
            finding(
                "BP5001",
                "warning",
                "services.web",
                "image library/nginx:latest of web is a moving tag: each deploy may run "
                "different code; use a release tag and pin its digest",
                ("services.web",),
                7,
                61,
            ),
        ],
        id="BP5001-bad-latest",
    ),
    pytest.param(
        "BP5001",
        """\
name: t
platforms:
  kubernetes: {namespace: t}
services:
  web:
    platform: kubernetes
    image: {registry: docker.io, repository: library/nginx, tag: "1.27.2"}
environments:
  staging: {}
  prod:
    services:
      web: {tag: "1.27.3"}
""",
        [
            finding(
                "BP5001",
                "warning",
                "services.web",
                "image library/nginx:1.27.3 of web has no digest in environment prod: a "
                "re-pushed tag changes what production runs; pin digest: sha256:... (here or in "
                "environments.prod.services.web)",
                ("services.web", "environments.prod"),
                7,
                5,
            ),
        ],
        id="BP5001-bad-prod-tag-without-digest",
    ),
    pytest.param(
        "BP5001",
        """\
name: t
platforms:
  kubernetes: {namespace: t}
services:
  web:
    platform: kubernetes
    image: {registry: docker.io, repository: library/nginx, tag: "1.27.2"}
environments:
  prod:
    services:
      web: {digest: "sha256:3f1c1e6b8f6c2a4d5e9b0a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e"}
""",
        [],
        id="BP5001-good-prod-digest-override",
    ),
    pytest.param(
        "BP5002",
        """\
name: t
platforms:
  azure: {location: westeurope}
jobs:
  nightly:
    platform: azure-functions
    runtime: python|3.7
    trigger: {schedule: "0 2 * * *"}
  report:
    platform: azure-functions
    runtime: node|22
    trigger: {schedule: "0 3 * * *"}
""",
        [
            finding(
                "BP5002",
                "error",
                "jobs.nightly",
                "job nightly runs on python 3.7, which reached end of life on 2023-06-27: it "
                "gets no security fixes; move to a supported version",
                ("jobs.nightly",),
                7,
                5,
            ),
        ],
        id="BP5002-bad-python-3-7",
    ),
]


@pytest.mark.parametrize(("rule", "text", "expected"), CASES)
def test_rule(rule: str, text: str, expected: list[object]) -> None:
    assert findings(text, rule) == expected


def test_entry_point_is_refused_where_nothing_faces_the_internet(tmp_path: Path) -> None:
    path = tmp_path / "blueprint.yaml"
    path.write_text(
        """\
name: t
platforms:
  aws: {region: eu-west-2}
networks:
  main: {cidr: 10.0.0.0/16, subnets: {a: {cidr: 10.0.0.0/24}}}
services:
  s: {platform: aws-fargate, subnets: [a], image: {registry: ghcr.io, repository: s, tag: "1"}}
  k: {platform: aws-fargate, expose: {entry_point: {ports: [443], reason: the way in}}}
ingress:
  lb:
    kind: load-balancer
    subnets: [a]
    forwards: {80: s}
    entry_point: {ports: [5432], reason: partner ETL}
""",
        encoding="utf-8",
    )
    code, out, err = run_cli("validate", str(path))
    assert (code, out) == (2, "")
    assert err == (
        f"{path}:8:30: found entry_point on a cluster-ip service, expected type node-port or "
        "load-balancer (a cluster-ip service is not reachable from the internet)\n"
        f"{path}:10:3: found entry_point on an internal load balancer, expected internal: false "
        "(an internal load balancer is not an entry point from the internet)\n"
    )


def test_bp4001_reads_a_jwt_as_a_secret_though_it_is_dotted_like_a_host_name() -> None:
    text = (
        "name: t\nplatforms:\n  kubernetes: {namespace: t}\nservices:\n  api:\n"
        "    platform: kubernetes\n"
        "    env: {SERVICE_JWT: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2lnbmF0dXJl}\n"
    )
    assert findings(text, "BP4001") == [
        finding(
            "BP4001",
            "error",
            "services.api",
            "env SERVICE_JWT looks like a secret (its value matches a known credential format) "
            "but is a plain value; move it to secrets: {SERVICE_JWT: {store: ..., key: ...}}",
            ("services.api", "services.api.env.SERVICE_JWT"),
            7,
            11,
        )
    ]
