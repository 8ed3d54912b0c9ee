"""Reliability, secrets and observability rules: good and bad cases, whole findings."""

from __future__ import annotations

import pytest

from tests.policies.support import finding, findings

HEAD = """\
name: t
platforms:
  kubernetes: {namespace: t}
"""


def svc(name: str, extra: str = "") -> str:
    return (
        f"  {name}:\n    platform: kubernetes\n    replicas: 2\n"
        "    health: {path: /healthz}\n    metrics: {path: /metrics}\n" + extra
    )


CASES = [
    pytest.param(
        "BP3001",
        HEAD
        + "services:\n"
        + svc(
            "app",
            "    latency_budget: 2.0\n    calls: [{service: a, latency: 0.5, parallel: true}, "
            "{service: b, latency: 1.5, parallel: true}]\n",
        )
        + svc("a")
        + svc("b"),
        [],
        id="BP3001-good-parallel-within-budget",
    ),
    pytest.param(
        "BP3001",
        HEAD
        + "services:\n"
        + svc(
            "app",
            "    latency_budget: 1.0\n    calls: [{service: a, latency: 0.25}, "
            "{service: b, latency: 1.0}]\n",
        )
        + svc("a", "    calls: [{service: b, latency: 0.5}]\n")
        + svc("b"),
        [
            finding(
                "BP3001",
                "warning",
                "services.app",
                "critical path app -> (a -> b), b takes 0.25 + 0.5 + 1 = 1.75 s, over the 1 s "
                "latency budget of app",
                ("services.app", "services.a", "services.b"),
                10,
                5,
            )
        ],
        id="BP3001-bad-sequential-over-budget",
    ),
    pytest.param(
        "BP3002",
        HEAD + "services:\n" + svc("a", "    calls: [{service: b}]\n") + svc("b"),
        [],
        id="BP3002-good-acyclic",
    ),
    pytest.param(
        "BP3002",
        HEAD
        + "services:\n"
        + svc("a", "    calls: [{service: b}]\n")
        + svc("b", "    calls: [{service: c}]\n")
        + svc("c", "    calls: [{service: a}]\n"),
        [
            finding(
                "BP3002",
                "error",
                "services.a",
                "call cycle a -> b -> c -> a",
                ("services.a", "services.b", "services.c", "services.a"),
                10,
                5,
            )
        ],
        id="BP3002-bad-three-cycle",
    ),
    pytest.param(
        "BP3003",
        HEAD
        + "services:\n"
        + svc("front", "    calls: [{service: back}]\n")
        + svc("back", "    uses: [{resource: db, access: read}]\n")
        + "resources:\n  db: {kind: database}\n  images: {kind: registry}\n",
        [
            finding(
                "BP3003",
                "note",
                "resources.db",
                "if database db fails, 2 workload(s) stop: back, front",
                ("resources.db", "services.back", "services.front"),
                18,
                3,
            )
        ],
        id="BP3003-note-transitive-callers",
    ),
    pytest.param(
        "BP3004",
        HEAD
        + """\
jobs:
  w:
    platform: kubernetes
    trigger: {schedule: "0 * * * *"}
    uses: [{resource: db, access: write}]
    writes: [{resource: db}]
    buffer: spool
resources:
  db: {kind: database}
  spool: {kind: queue}
""",
        [],
        id="BP3004-good-buffered",
    ),
    pytest.param(
        "BP3004",
        HEAD
        + """\
jobs:
  w:
    platform: kubernetes
    trigger: {schedule: "0 * * * *"}
    uses: [{resource: db, access: write}]
    writes: [{resource: db, table: t1}]
resources:
  db: {kind: database, tables: [t1]}
""",
        [
            finding(
                "BP3004",
                "warning",
                "jobs.w",
                "job w writes database db (table t1) with no retry and no buffer: while the "
                "database is down its writes are lost",
                ("jobs.w", "resources.db"),
                9,
                14,
            )
        ],
        id="BP3004-bad-no-retry-no-buffer",
    ),
    pytest.param(
        "BP3005",
        HEAD
        + """\
networks:
  n:
    cloud: kubernetes
    cidr: 10.0.0.0/16
    subnets: {p: {cidr: 10.0.0.0/24}}
ingress:
  lb: {kind: load-balancer, subnets: [p], forwards: {80: web}}
services:
  web:
    platform: kubernetes
    replicas: 1
    subnets: [p]
    health: {path: /}
    metrics: {path: /metrics}
""",
        [
            finding(
                "BP3005",
                "warning",
                "services.web",
                "service web runs 1 replica(s) (replicas) behind load balancer lb; run at least "
                "2 so one failure or deploy does not take it down",
                ("ingress.lb", "services.web"),
                14,
                5,
            )
        ],
        id="BP3005-bad-single-replica",
    ),
    pytest.param(
        "BP4001",
        HEAD
        + "services:\n"
        + svc(
            "app",
            "    env: {LOG_LEVEL: info, TOKEN_TTL: '3600', KEY_ID: abc, API_TOKEN: x}\n",
        ),
        [
            finding(
                "BP4001",
                "error",
                "services.app",
                "env API_TOKEN looks like a secret (its name contains 'token') but is a plain "
                "value; move it to secrets: {API_TOKEN: {store: ..., key: ...}}",
                ("services.app", "services.app.env.API_TOKEN"),
                10,
                60,
            )
        ],
        id="BP4001-bad-name-token-harmless-ttl-and-id",
    ),
    pytest.param(
        "BP4001",
        HEAD + "services:\n" + svc("app", "    env: {UPSTREAM: AKIAIOSFODNN7EXAMPLE}\n"),
        [
            finding(
                "BP4001",
                "error",
                "services.app",
                "env UPSTREAM looks like a secret (its value matches a known credential "
                "format) but is a plain value; move it to secrets: {UPSTREAM: {store: ..., "
                "key: ...}}",
                ("services.app", "services.app.env.UPSTREAM"),
                10,
                11,
            )
        ],
        id="BP4001-bad-aws-key-value",
    ),
    pytest.param(
        "BP4002",
        HEAD + "services:\n  web: {platform: kubernetes, replicas: 2, health: {path: /}}\n",
        [
            finding(
                "BP4002",
                "warning",
                "services.web",
                "service web has no metrics endpoint; declare health: {path: ...} (or kind "
                "grpc, tcp or exec) and metrics: {path: /metrics}",
                ("services.web",),
                5,
                3,
            )
        ],
        id="BP4002-bad-no-metrics",
    ),
    pytest.param(
        "BP4002",
        HEAD
        + "services:\n  cart:\n    platform: kubernetes\n    replicas: 2\n"
        + "    health: {kind: grpc}\n    metrics: {path: /metrics, port: 9464}\n"
        + "  redis:\n    platform: kubernetes\n    replicas: 2\n"
        + "    health: {kind: tcp}\n    metrics: {path: /metrics, port: 9121}\n",
        [],
        id="BP4002-good-grpc-and-tcp-probes",
    ),
    pytest.param(
        "BP4002",
        HEAD + "services:\n  loadgen: {platform: kubernetes, port: null}\n",
        [
            finding(
                "BP4002",
                "warning",
                "services.loadgen",
                "service loadgen has no health check; declare health: {path: ...} (or kind "
                "grpc, tcp or exec) and metrics: {path: /metrics}",
                ("services.loadgen",),
                5,
                3,
            )
        ],
        id="BP4002-port-less-asked-for-a-health-check-only",
    ),
]


@pytest.mark.parametrize(("rule", "text", "expected"), CASES)
def test_reliability_rule(rule: str, text: str, expected: list[object]) -> None:
    assert findings(text, rule) == expected


def test_latency_chain_example_is_flagged_with_the_seed_numbers() -> None:
    from policies.engine import run_checks
    from tests.support import load_example

    [f] = [f for f in run_checks(load_example("latency-chain")) if f.rule_id == "BP3001"]
    assert f.message == (
        "critical path app -> api -> location, sensor, predict takes 0.5 + 2 + 4 = 6.5 s, over "
        "the 2 s latency budget of app"
    )
    assert f.evidence == (
        "services.app",
        "services.api",
        "services.location",
        "services.sensor",
        "services.predict",
    )
