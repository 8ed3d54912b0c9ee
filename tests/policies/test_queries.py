"""The documented graph queries that rules and `blueprint diff` build on."""

from __future__ import annotations

from blueprint.model import Access
from policies import queries
from policies.graph import build_graph
from tests.support import load_example, load_text


def test_internet_exposure_one_traversal_with_entry_paths() -> None:
    g = build_graph(load_example("aws-fargate-api").blueprint)
    exposure = queries.internet_exposure(g)
    web = exposure["services.web"]
    assert web.entry_path == ("internet", "ingress.api", "ingress.lb", "services.web")
    assert web.direct_path is None
    assert "resources.uploads" not in exposure


def test_effective_grants_and_escalation_paths() -> None:
    g = build_graph(
        load_text(
            """
            name: t
            platforms:
              aws: {region: eu-west-2}
            resources:
              iam: {kind: iam}
              ecr: {kind: registry}
            identity:
              scopes:
                dev: {grants: [{resource: ecr, access: read}, {resource: iam, access: manage}]}
              principals:
                leo: {kind: human, scopes: [dev]}
            """,
            support=False,
        ).blueprint
    )
    assert [
        (e.target, e.access, e.via) for e in queries.effective_grants(g, "identity.principals.leo")
    ] == [
        (
            "resources.ecr",
            Access.READ,
            ("identity.principals.leo", "identity.scopes.dev", "resources.ecr"),
        ),
        (
            "resources.iam",
            Access.MANAGE,
            ("identity.principals.leo", "identity.scopes.dev", "resources.iam"),
        ),
    ]
    [esc] = queries.escalation_paths(g)
    assert (esc.principal, esc.reaches, esc.how, esc.path) == (
        "identity.principals.leo",
        "*",
        "policy-writing",
        ("identity.principals.leo", "identity.scopes.dev", "resources.iam", "*"),
    )


def test_critical_path_and_blast_radius() -> None:
    g = build_graph(load_example("latency-chain").blueprint)
    latencies = queries.critical_paths(g)
    assert latencies["services.app"].total == 6.5
    assert (
        queries.chain_text(latencies, "services.app") == "app -> api -> location, sensor, predict"
    )
    assert queries.chain_terms(latencies, "services.app") == (0.5, 2.0, 4.0)
    kafka = build_graph(load_example("kafka-workers").blueprint)
    assert queries.blast_radius(kafka)["resources.kafka"] == (
        "jobs.worker1",
        "jobs.worker2",
        "services.collectors",
    )


def test_strongly_connected_is_reverse_topological() -> None:
    adj = {"a": ["b"], "b": ["c"], "c": ["b"], "d": []}
    assert queries.strongly_connected(adj) == [["c", "b"], ["a"], ["d"]]
