"""A left-to-right layered layout of a `Drawing`, boxes laid out as units (compound layout).

Each box is laid out on its own first (its nodes and inner boxes in layers, edges between them
ranking them), then placed as one block in its parent's layers; so a box is always one
rectangle around exactly its members, and no box overlaps another. Deterministic: ties break
on ids, and no floating-point result depends on dict or set order.
"""

from __future__ import annotations

from dataclasses import dataclass

from policies.views import Box, Drawing, DrawnNode

CHAR_W = 7.0  # average glyph advance of the report's 12 px sans-serif font
NODE_H = 40.0
MIN_W, MAX_W = 96.0, 260.0
GAP_X, GAP_Y = 80.0, 22.0
LABEL_CHAR_W, LABEL_MARGIN = 6.4, 18.0  # edge labels: 11 px text, room either side
PAD, HEADER = 14.0, 24.0
MAX_LABEL = int((MAX_W - 20) / CHAR_W)


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    rects: dict[str, Rect]  # node and box id -> its rectangle


def shown_label(label: str) -> str:
    """The label as it fits a node (the full text is its tooltip)."""
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def node_width(label: str) -> float:
    return max(MIN_W, min(MAX_W, len(shown_label(label)) * CHAR_W + 20))


def layout(drawing: Drawing) -> Layout:
    children: dict[str | None, list[str]] = {}
    items: dict[str, Box | DrawnNode] = {}
    for b in drawing.boxes:
        children.setdefault(b.parent, []).append(b.id)
        items[b.id] = b
    for n in drawing.nodes:
        children.setdefault(n.box, []).append(n.id)
        items[n.id] = n
    parent = {i: (x.parent if isinstance(x, Box) else x.box) for i, x in items.items()}
    # Return flows (egress back to the internet) would pull the internet to the right of
    # what it reaches: they do not rank.
    edges = [(e.source, e.target) for e in drawing.edges if set(e.kinds) != {"egress"}]
    label_width = {
        (e.source, e.target): len(e.label) * LABEL_CHAR_W + 2 * LABEL_MARGIN for e in drawing.edges
    }
    rects: dict[str, Rect] = {}

    def chain(node: str) -> list[str | None]:
        """The node, the boxes around it from the innermost, and None (the top level)."""
        out: list[str | None] = [node]
        while out[-1] is not None:
            out.append(parent.get(str(out[-1])))
        return out

    # Each edge ranks the two children of the innermost container holding both ends (the
    # boxes around its ends, or the ends themselves), found once per edge.
    lifted_by_container: dict[str | None, dict[tuple[str, str], float]] = {}
    for u, v in edges:
        up, vp = chain(u), chain(v)
        inside_v = set(vp[1:])
        i = next(i for i in range(1, len(up)) if up[i] in inside_v)
        container = up[i]
        first, second = up[i - 1], vp[vp.index(container) - 1]
        if first is not None and second is not None and first != second:
            widths = lifted_by_container.setdefault(container, {})
            pair = (first, second)
            widths[pair] = max(widths.get(pair, 0.0), label_width[(u, v)])

    def place(container: str | None) -> tuple[float, float, dict[str, tuple[float, float]]]:
        """(width, height, child -> offset) of the container's content, its boxes placed."""
        kids = sorted(children.get(container, []))
        size: dict[str, tuple[float, float]] = {}
        for k in kids:
            if isinstance(items[k], Box):
                w, h, _offsets = place(k)
                title_w = len(shown_label(items[k].label)) * CHAR_W + 2 * PAD
                size[k] = (max(w + 2 * PAD, title_w), h + 2 * PAD + HEADER)
            else:
                size[k] = (node_width(items[k].label), NODE_H)
        lifted_width = lifted_by_container.get(container, {})
        lifted = sorted(lifted_width)
        columns = _columns(kids, lifted)
        column_of = {k: i for i, col in enumerate(columns) for k in col}
        # The gap after a column fits the widest label of an edge leaving it.
        gaps = [GAP_X] * len(columns)
        for (a, b), width in lifted_width.items():
            if column_of[b] > column_of[a]:
                gaps[column_of[a]] = max(gaps[column_of[a]], width)
        widths = [max(size[k][0] for k in col) for col in columns]
        heights = [sum(size[k][1] for k in col) + GAP_Y * (len(col) - 1) for col in columns]
        total_h = max(heights, default=0.0)
        offsets: dict[str, tuple[float, float]] = {}
        x = 0.0
        for col, width, height, gap in zip(columns, widths, heights, gaps, strict=True):
            y = (total_h - height) / 2
            for k in col:
                w, h = size[k]
                offsets[k] = (x + (width - w) / 2, y)
                y += h + GAP_Y
            x += width + gap
        total_w = max(0.0, x - (gaps[-1] if gaps else 0.0))
        for k in kids:
            ox, oy = offsets[k]
            rects[k] = Rect(ox, oy, *size[k])  # relative for now; made absolute below
        return total_w, total_h, offsets

    width, height, _ = place(None)

    def absolute(container: str | None, dx: float, dy: float) -> None:
        for k in children.get(container, []):
            r = rects[k]
            rects[k] = Rect(r.x + dx, r.y + dy, r.w, r.h)
            if isinstance(items[k], Box):
                absolute(k, r.x + dx + PAD, r.y + dy + PAD + HEADER)

    margin = 20.0
    absolute(None, margin, margin)
    return Layout(width + 2 * margin, height + 2 * margin, rects)


def _columns(kids: list[str], edges: list[tuple[str, str]]) -> list[list[str]]:
    """Kids in layers: longest path from the sources, after dropping the edges that close a
    cycle (found by a depth-first walk in id order), sources moved next to their successors;
    within a layer, ordered by the mean position of their predecessors (one barycentre
    sweep), then by id."""
    succ: dict[str, list[str]] = {k: [] for k in kids}
    for a, b in edges:
        succ[a].append(b)
    state: dict[str, int] = {}  # 1 on the walk's stack, 2 done
    forward: list[tuple[str, str]] = []

    def walk(start: str) -> None:
        stack: list[tuple[str, int]] = [(start, 0)]
        state[start] = 1
        while stack:
            node, i = stack.pop()
            if i < len(succ[node]):
                stack.append((node, i + 1))
                nxt = succ[node][i]
                if state.get(nxt) == 1:
                    continue  # a back edge: it would close a cycle
                forward.append((node, nxt))
                if nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, 0))
            else:
                state[node] = 2

    # Walk from the sources first (and the internet, where traffic starts), so that the
    # edges dropped to break a cycle are the ones pointing back towards them.
    has_pred = {b for _a, b in edges}
    for k in sorted(kids, key=lambda k: (k in has_pred, k != "internet", k)):
        if k not in state:
            walk(k)
    preds: dict[str, list[str]] = {k: [] for k in kids}
    for a, b in forward:
        preds[b].append(a)
    layer: dict[str, int] = {}

    def depth(k: str) -> int:
        # Iterative longest path (the forward edges form a DAG).
        order: list[str] = []
        todo = [(k, False)]
        while todo:
            node, ready = todo.pop()
            if node in layer:
                continue
            if ready:
                layer[node] = max((layer[p] + 1 for p in preds[node]), default=0)
                order.append(node)
                continue
            todo.append((node, True))
            todo.extend((p, False) for p in preds[node] if p not in layer)
        return layer[k]

    for k in kids:
        depth(k)
    count = max(layer.values(), default=-1) + 1
    # Shorten the edges of what only sends: it moves up to just before its nearest successor,
    # so that fewer edges cross a column and pass behind its nodes. (What only receives is
    # already next to its furthest predecessor.)
    succs: dict[str, list[str]] = {k: [] for k in kids}
    for a, b in forward:
        succs[a].append(b)
    for k in kids:
        if succs[k] and not preds[k]:
            layer[k] = min(layer[s] for s in succs[k]) - 1
    columns: list[list[str]] = [[] for _ in range(count)]
    position: dict[str, float] = {}
    for index in range(count):
        members = [k for k in kids if layer[k] == index]

        def barycentre(k: str) -> tuple[float, str]:
            placed = [position[p] for p in preds[k] if p in position]
            return (sum(placed) / len(placed) if placed else -1.0, k)

        members.sort(key=barycentre)
        for i, k in enumerate(members):
            position[k] = float(i)
        columns[index] = members
    return columns
