"""What each view of the system graph draws: nodes once, grouped in boxes, one edge per pair.

A `Drawing` is the picture before any syntax: Mermaid, DOT and the HTML report all draw the
same `Drawing`, so the three cannot disagree about what a view shows.

| view     | nodes                                                  | edges                        |
| -------- | ------------------------------------------------------ | ---------------------------- |
| calls    | ingress, workloads, resources, the internet where it   | forwards, calls (latency),   |
|          | reaches them (no gateways, subnets)                    | data access, pulls, auth     |
| network  | internet, networks, subnets, gateways, what runs in    | routes, egress, forwards,    |
|          | them, what the internet reaches                        | peering                      |
| identity | principals, scopes, runtime identities, what they are  | member-of, grants (a derived |
|          | granted, the workloads that run as them                | identity's are its uses),    |
|          |                                                        | assume, pass, runs-as        |
| all      | every node                                             | every edge but structure     |

Grouping is one rule per view: the network and all views nest subnets in their network and
draw what runs in one subnet inside it (in several subnets of one network: inside the network,
its label naming the subnets); the calls view draws a broker's topics inside the broker.
Several graph edges between one ordered pair are drawn as one edge whose label joins theirs,
leaving out a `uses` access that another edge of the pair already says (a worker's `uses
subscribe` and `subscribes` draw as one `subscribes`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from policies.graph import INTERNET
from policies.kinds import EdgeKind

if TYPE_CHECKING:
    from policies.system_graph import SystemGraph

VIEWS = ("calls", "network", "identity", "all")
Change = Literal["", "added", "removed", "changed"]

_WORKLOADS = frozenset({"service", "job"})
_DATA_EDGES = frozenset(
    {"uses", "writes", "subscribes", "triggered-by", "buffers-to", "reads-secret", "pulls"}
)
_CALLS_EDGES = _DATA_EDGES | {"calls", "forwards-to", "authenticates-with"}
_NETWORK_EDGES = frozenset({"routes-to", "egress", "forwards-to", "peers-with", "runs-in"})
_IDENTITY_EDGES = frozenset({"member-of", "granted", "can-assume", "can-pass", "runs-as"})
_NETWORK_KINDS = frozenset({"internet", "network", "subnet", "gateway"})
_IDENTITY_KINDS = frozenset({"principal", "scope", "identity", "any"})
# Drawn as nesting, never as arrows.
_STRUCTURAL = frozenset({"part-of"})
# Relationships rather than traffic: drawn dashed.
_DASHED = frozenset({"egress", "granted", "member-of", "can-assume", "can-pass", "runs-as"})
_ANYWHERE = frozenset({"0.0.0.0/0", "::/0"})
# A `uses` access that an edge of this kind already implies (its label would repeat it).
_IMPLIED_ACCESS = {
    "subscribes": "subscribe",
    "writes": "write",
    "reads-secret": "read",
    "pulls": "pull",
}


@dataclass(frozen=True)
class DrawnNode:
    id: str  # the graph node id (a stable subject path)
    kind: str
    label: str
    box: str | None = None  # the box it is drawn in
    change: Change = ""


@dataclass(frozen=True)
class DrawnEdge:
    source: str
    target: str
    label: str
    kinds: tuple[str, ...]  # the graph edge kinds merged into this edge
    dashed: bool = False
    change: Change = ""


@dataclass(frozen=True)
class Box:
    id: str  # the graph node id of what the box stands for (a network, subnet, broker)
    label: str
    parent: str | None = None
    change: Change = ""


@dataclass(frozen=True)
class Drawing:
    name: str
    view: str
    nodes: tuple[DrawnNode, ...]
    boxes: tuple[Box, ...]
    edges: tuple[DrawnEdge, ...]

    def ids(self) -> frozenset[str]:
        """Every drawn id: nodes and boxes (an edge may end on a box)."""
        return frozenset(n.id for n in self.nodes) | {b.id for b in self.boxes}


def draw(graph: SystemGraph, view: str) -> Drawing:
    """The drawing of `view` (one of VIEWS) of the system graph."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; expected one of {', '.join(VIEWS)}")
    raw = _raw_edges(graph, view)
    shown = _shown_nodes(graph, view, raw)
    boxes, placed = _grouping(graph, view, shown)
    box_ids = {b.id for b in boxes}
    parent_of = {b.id: b.parent for b in boxes}
    nodes = tuple(
        DrawnNode(n, str(graph.nodes[n].get("kind", "")), _label(graph, n, view), placed.get(n))
        for n in sorted(shown - box_ids)
    )
    kept = [
        (u, v, d)
        for u, v, d in raw
        if u in shown
        and v in shown
        and d.get("kind") not in _STRUCTURAL
        and not (d.get("kind") == "runs-in" and _placement_shows(placed, parent_of, u, v))
    ]
    return Drawing(graph.name, view, nodes, boxes, _merge(kept))


def view_subgraph(graph: SystemGraph, view: str) -> tuple[list[str], list[tuple[str, str]]]:
    """(the graph nodes a view shows, its edge kinds' raw edges as (source, target) pairs),
    for the JSON export of a view."""
    drawing = draw(graph, view)
    ids = drawing.ids()
    return sorted(ids), [(u, v) for u, v, _d in _raw_edges(graph, view) if u in ids and v in ids]


# -- which nodes and edges -----------------------------------------------------------------------


def _raw_edges(graph: SystemGraph, view: str) -> list[tuple[str, str, dict[str, Any]]]:
    edges = [(u, v, d) for u, v, d in graph.edges(data=True)]
    if view == "all":
        return edges
    if view == "calls":
        return [
            (u, v, d)
            for u, v, d in edges
            if d.get("kind") in _CALLS_EDGES
            or (d.get("kind") == "routes-to" and u == INTERNET and _not_plumbing(graph, v))
            or (d.get("kind") == "part-of" and graph.nodes[u].get("kind") == "resource")
        ]
    if view == "network":
        return [(u, v, d) for u, v, d in edges if d.get("kind") in _NETWORK_EDGES | _STRUCTURAL]
    out = [(u, v, d) for u, v, d in edges if d.get("kind") in _IDENTITY_EDGES]
    # A derived identity's grants are its workload's `uses` (see policies.graph): drawn from
    # the identity, as what it is granted.
    for u, v, d in edges:
        if d.get("kind") == "uses":
            ident = f"{u}.identity"
            if ident in graph and graph.nodes[ident].get("kind") == "identity":
                out.append((ident, v, {"kind": "granted", "access": d.get("access")}))
    return out


def _not_plumbing(graph: SystemGraph, node: str) -> bool:
    return graph.nodes[node].get("kind") not in _NETWORK_KINDS


def _shown_nodes(
    graph: SystemGraph, view: str, raw: list[tuple[str, str, dict[str, Any]]]
) -> set[str]:
    kinds = {n: str(k) for n, k in graph.nodes(data="kind")}
    if view == "all":
        return set(kinds)
    ends = {n for u, v, _d in raw for n in (u, v)}
    if view == "calls":
        core = {n for n, k in kinds.items() if k in _WORKLOADS or k in ("ingress", "resource")}
        touched = {
            n
            for u, v, d in raw
            if d.get("kind") not in _STRUCTURAL
            for n in (u, v)
            if kinds[n] != "internet" or u == INTERNET
        }
        shown = core | touched
        # A topic's broker is drawn as the box around it.
        shown |= {v for u, v, d in raw if d.get("kind") in _STRUCTURAL and u in shown}
        return shown
    if view == "network":
        placed = {u for u, _v, d in raw if d.get("kind") == "runs-in"}
        flow = {
            n for u, v, d in raw if d.get("kind") in ("routes-to", "forwards-to") for n in (u, v)
        }
        # What runs outside any network is drawn too (outside every box): "what runs where".
        unplaced = {n for n, k in kinds.items() if k in _WORKLOADS or k == "ingress"}
        return {n for n, k in kinds.items() if k in _NETWORK_KINDS} | placed | flow | unplaced
    return {n for n, k in kinds.items() if k in _IDENTITY_KINDS} | ends


# -- grouping ----------------------------------------------------------------------------------


def _grouping(
    graph: SystemGraph, view: str, shown: set[str]
) -> tuple[tuple[Box, ...], dict[str, str]]:
    """(the boxes, node -> the box it is drawn in)."""
    placed: dict[str, str] = {}
    parents: dict[str, str | None] = {}
    if view == "calls":
        for u, v, kind in graph.edges(data="kind"):
            if (
                kind in _STRUCTURAL
                and u in shown
                and v in shown
                and graph.nodes[u].get("kind") == "resource"
            ):
                placed[u] = v
                parents[v] = None
    elif view in ("network", "all"):
        for node, data in graph.nodes(data=True):
            if data.get("kind") == "subnet" and node in shown:
                net = f"networks.{data['network']}"
                placed[node] = net
                parents[node] = net
                parents.setdefault(net, None)
            elif data.get("kind") == "gateway" and data.get("gateway") == "igw":
                placed[node] = node.rsplit(".", 1)[0]
        subnets_of: dict[str, list[str]] = {}
        for u, v, kind in graph.edges(data="kind"):
            if kind == "runs-in" and u in shown:
                subnets_of.setdefault(u, []).append(v)
        for node, subnets in subnets_of.items():
            networks = {graph.nodes[s]["network"] for s in subnets}
            if len(subnets) == 1:
                placed[node] = subnets[0]
            elif len(networks) == 1:
                placed[node] = f"networks.{networks.pop()}"
        for net in {v for v in placed.values() if graph.nodes[v].get("kind") == "network"}:
            parents.setdefault(net, None)
        for sub in {v for v in placed.values() if graph.nodes[v].get("kind") == "subnet"}:
            parents[sub] = f"networks.{graph.nodes[sub]['network']}"
            parents.setdefault(parents[sub] or "", None)
    boxes = tuple(Box(b, _label(graph, b, view), parents[b]) for b in sorted(parents) if b in shown)
    return boxes, {n: b for n, b in placed.items() if n in shown and n not in parents}


def _placement_shows(
    placed: dict[str, str], parent_of: dict[str, str | None], node: str, subnet: str
) -> bool:
    """Whether the drawing already says `node` runs in `subnet`: it is drawn inside the
    subnet, or inside the subnet's network with the subnets in its label."""
    if placed.get(node) is not None and placed.get(node) == parent_of.get(subnet):
        return True
    at: str | None = placed.get(node)
    box = subnet
    while at is not None:
        if at == box:
            return True
        at = parent_of.get(at)
    return False


# -- labels and merging --------------------------------------------------------------------------


def _label(graph: SystemGraph, node: str, view: str) -> str:
    d = graph.nodes[node]
    label = str(d.get("label", node))
    kind = d.get("kind")
    if kind == "subnet":
        return f"{label} {d.get('cidr')}" + (" public" if d.get("public") else " private")
    if kind == "network":
        return f"{label} {d.get('cidr')}"
    if kind == "resource":
        return f"{label} ({d.get('resource_kind')})"
    if kind == "ingress":
        return f"{label} ({d.get('ingress_kind')}{'' if d.get('public') else ', internal'})"
    if kind == "principal":
        return f"{label} ({d.get('principal_kind')})"
    if kind == "scope":
        return f"scope {label}"
    if kind in _WORKLOADS and view in ("network", "all"):
        notes = []
        subnets = sorted(
            str(graph.nodes[v].get("label", v)) for v, _d in graph.out_edges(node, EdgeKind.RUNS_IN)
        )
        if len(subnets) > 1:
            notes.append(f"in {', '.join(subnets)}")
        notes.extend(_admitted(d.get("spec")))
        if notes:
            return f"{label} ({', '.join(notes)})"
    return label


def _admitted(spec: Any) -> list[str]:
    """How a workload is reached from outside the system besides its ingress: a node port or
    load-balancer service, and the sources its firewall rules admit."""
    notes = []
    expose = getattr(spec, "expose", None)
    if expose is not None and expose.type != "cluster-ip":
        notes.append(expose.type + (f" {expose.node_port}" if expose.node_port else ""))
    rules = getattr(spec, "allow_from", ()) or ()
    if rules:
        notes.append("from " + ", ".join(str(r.cidr) for r in rules))
    return notes


def edge_label(d: dict[str, Any]) -> str:
    kind = str(d.get("kind", ""))
    if kind == "calls":
        lat = float(d.get("latency") or 0.0)
        label = f"calls {lat:g} s" if lat else "calls"
        return label + (" (parallel)" if d.get("parallel") else "")
    if kind in ("uses", "granted"):
        return f"{kind} {d.get('access')}"
    if kind == "forwards-to" and d.get("via") is not None:
        return f"{d.get('via')}"
    if kind == "writes" and d.get("table"):
        return f"writes {d.get('table')}"
    if kind == "reads-secret" and d.get("key"):
        return f"secret {d.get('key')}"
    if kind == "routes-to" and d.get("port") is not None:
        label = f"routes-to {d.get('protocol') or 'tcp'}/{d.get('port')}"
        sources = [str(x) for x in d.get("sources") or ()]
        if set(sources) - _ANYWHERE:
            label += f" from {', '.join(sources)}"
        return label
    return kind


def _merge(edges: list[tuple[str, str, dict[str, Any]]]) -> tuple[DrawnEdge, ...]:
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for u, v, d in edges:
        pairs.setdefault((u, v), []).append(d)
    out = []
    for (u, v), datas in sorted(pairs.items()):
        kinds = [str(d.get("kind", "")) for d in datas]
        implied = {_IMPLIED_ACCESS[k] for k in kinds if k in _IMPLIED_ACCESS}
        labels: list[str] = []
        for d in sorted(datas, key=lambda d: (str(d.get("kind")), edge_label(d))):
            if d.get("kind") == "uses" and d.get("access") in implied:
                continue
            label = edge_label(d)
            if label not in labels:
                labels.append(label)
        out.append(
            DrawnEdge(
                u,
                v,
                ", ".join(labels),
                tuple(sorted(set(kinds))),
                dashed=all(k in _DASHED for k in kinds),
            )
        )
    return tuple(out)


# -- comparing two drawings ----------------------------------------------------------------------


def compare(base: Drawing, head: Drawing) -> Drawing:
    """`head` with what changed since `base` marked: added nodes, boxes and edges, changed edge
    labels, and base's removed ones drawn too (marked removed) so the picture shows both."""
    base_nodes = {n.id: n for n in base.nodes}
    base_boxes = {b.id: b for b in base.boxes}
    base_edges = {(e.source, e.target): e for e in base.edges}
    head_ids = head.ids()
    base_ids = base.ids()
    nodes = [
        n
        if n.id in base_nodes and base_nodes[n.id].label == n.label
        else replace(n, change="changed" if n.id in base_ids else "added")
        for n in head.nodes
    ]
    boxes = [b if b.id in base_ids else replace(b, change="added") for b in head.boxes]
    head_box_ids = {b.id for b in head.boxes}
    boxes += [
        replace(b, change="removed", parent=b.parent if b.parent in head_box_ids else None)
        for i, b in sorted(base_boxes.items())
        if i not in head_ids
    ]
    all_boxes = {b.id for b in boxes}
    nodes += [
        replace(n, change="removed", box=n.box if n.box in all_boxes else None)
        for i, n in sorted(base_nodes.items())
        if i not in head_ids
    ]
    edges = []
    for e in head.edges:
        old = base_edges.get((e.source, e.target))
        if old is None:
            edges.append(replace(e, change="added"))
        elif old.label != e.label:
            edges.append(replace(e, change="changed"))
        else:
            edges.append(e)
    head_pairs = {(e.source, e.target) for e in head.edges}
    edges += [
        replace(e, change="removed") for k, e in sorted(base_edges.items()) if k not in head_pairs
    ]
    return Drawing(
        head.name,
        head.view,
        tuple(sorted(nodes, key=lambda n: n.id)),
        tuple(sorted(boxes, key=lambda b: b.id)),
        tuple(sorted(edges, key=lambda e: (e.source, e.target))),
    )


def changed(drawing: Drawing) -> bool:
    return (
        any(n.change for n in drawing.nodes)
        or any(b.change for b in drawing.boxes)
        or any(e.change for e in drawing.edges)
    )
