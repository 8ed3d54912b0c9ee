"""Exporting the graph (placeholder until the policy-engine issue lands)."""

from __future__ import annotations

import json
from typing import Any


def export(graph: Any, fmt: str) -> str:
    nodes = sorted(graph.nodes)
    if fmt == "json":
        return json.dumps({"nodes": nodes}, indent=2) + "\n"
    if fmt == "dot":
        return "digraph {\n" + "".join(f'  "{n}";\n' for n in nodes) + "}\n"
    return "flowchart LR\n" + "".join(f"  {n.replace('.', '_')}[{n}]\n" for n in nodes)
