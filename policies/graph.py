"""The system graph (placeholder until the policy-engine issue lands)."""

from __future__ import annotations

from typing import Any

from blueprint.model import Blueprint


def build_graph(bp: Blueprint) -> Any:
    import networkx as nx

    graph = nx.MultiDiGraph(name=bp.name)
    for name in bp.services:
        graph.add_node(f"services.{name}", kind="service")
    return graph
