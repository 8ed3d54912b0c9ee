"""The system graph: typed nodes and edges with stable ids, built without O(n) model views."""

from __future__ import annotations

import pytest

from blueprint.model import Blueprint
from policies.graph import build_graph
from policies.kinds import EdgeKind, NodeKind
from tests.conftest import EXAMPLES
from tests.support import load_example


def edges(name: str) -> set[tuple[str, str, str]]:
    g = build_graph(load_example(name).blueprint)
    return {(u, str(d["kind"]), v) for u, v, d in g.edges(data=True)}


def test_aws_example_graph() -> None:
    g = build_graph(load_example("aws-fargate-api").blueprint)
    assert {n: d["kind"] for n, d in g.nodes(data=True)} == {
        "internet": "internet",
        "networks.main": "network",
        "networks.main.internet_gateway": "gateway",
        "networks.main.nat": "gateway",
        "networks.main.subnets.public-a": "subnet",
        "networks.main.subnets.private-a": "subnet",
        "ingress.api": "ingress",
        "ingress.lb": "ingress",
        "services.web": "service",
        "services.web.identity": "identity",
        "resources.images": "resource",
        "resources.uploads": "resource",
        "resources.users": "resource",
    }
    assert edges("aws-fargate-api") >= {
        ("internet", "routes-to", "ingress.api"),
        ("internet", "routes-to", "networks.main.internet_gateway"),
        ("networks.main.internet_gateway", "routes-to", "networks.main.subnets.public-a"),
        ("networks.main.subnets.private-a", "egress", "networks.main.nat"),
        ("networks.main.nat", "egress", "networks.main.internet_gateway"),
        ("networks.main.nat", "runs-in", "networks.main.subnets.public-a"),
        ("ingress.api", "forwards-to", "ingress.lb"),
        ("ingress.lb", "forwards-to", "services.web"),
        ("ingress.lb", "runs-in", "networks.main.subnets.private-a"),
        ("services.web", "runs-in", "networks.main.subnets.private-a"),
        ("services.web", "uses", "resources.uploads"),
        ("services.web", "pulls", "resources.images"),
        ("services.web", "runs-as", "services.web.identity"),
    }


def test_identity_and_call_edges() -> None:
    assert edges("company-iam") >= {
        ("identity.principals.leo", "member-of", "identity.scopes.developer"),
        ("identity.scopes.developer", "granted", "resources.ecr"),
    }
    g = build_graph(load_example("latency-chain").blueprint)
    calls = [
        (u, v, d["latency"], d["parallel"])
        for u, v, d in g.edges(data=True)
        if d["kind"] == "calls"
    ]
    assert ("services.api", "services.predict", 4.0, False) in calls


@pytest.mark.parametrize("name", EXAMPLES)
def test_build_uses_no_whole_blueprint_view_per_item(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    bp = load_example(name).blueprint

    def forbidden(*args: object) -> None:
        raise AssertionError("an O(n) model view was called while building the graph")

    for view in ("callers_of", "ingress_to", "is_public", "workloads", "service_principal"):
        monkeypatch.setattr(Blueprint, view, forbidden)
    build_graph(bp)


def test_the_graph_is_typed_and_keeps_its_indexes_on_the_wrapper() -> None:
    g = build_graph(load_example("latency-chain").blueprint)
    assert set(g.nx.graph) == {"name"}  # no index stashed in networkx's attribute dict
    assert g.kind("services.api") is NodeKind.SERVICE
    assert g.nodes_of_kind(NodeKind.SERVICE, NodeKind.JOB) == sorted(
        n for n, k in g.nodes(data="kind") if k in ("service", "job")
    )
    [data] = [d for v, d in g.out_edges("services.app", EdgeKind.CALLS) if v == "services.api"]
    assert (data["kind"], data["ports"], data["protocol"]) == (EdgeKind.CALLS, (8080,), "tcp")
    assert data["kind"] == "calls"  # a StrEnum still equals its string
