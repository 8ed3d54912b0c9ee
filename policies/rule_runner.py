"""Running the rules and positioning their hits, on two cores for a large system.

On a system of thousands of workloads the rules and the positions of their hits are most of
`blueprint check`. With a second core free, the process forks once the graph is built: both
processes take the next rule from a shared queue (a pipe holding each rule's index; reads of a
few bytes from a pipe are atomic, so each rule is taken exactly once), run it, and position its
hits; the child sends its rules' hits and positions back. Nothing else changes: the hits come
back in the rules' order, so the findings are the same bytes as from one process (a test
compares both). Where the fork or the child fails, the rules it took run here instead, so an
exception in a rule surfaces exactly as it does in one process.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable, Sequence

from policies.context import Context
from policies.rules.base import Hit, Rule, YamlPath, subject_path

Position = tuple[int, int]
Locate = Callable[[YamlPath], Position]
# Below this many workloads the fork costs more than it saves.
SPLIT_FROM_WORKLOADS = 1000
_INDEX_BYTES = 2  # a rule's index in the queue; atomic to read from a pipe


def hit_path(hit: Hit) -> YamlPath:
    return hit.location or subject_path(hit.subject)


def run_rules(
    ctx: Context, rules: Sequence[Rule], locate: Locate | None, processes: int
) -> tuple[list[list[Hit]], dict[YamlPath, Position]]:
    """Each rule's hits, in the rules' order, and (with `locate`) the position of every hit's
    path. `processes` > 1 lets a large system use a second process."""
    if processes > 1 and locate is not None and _worth_splitting(ctx, rules):
        split = _run_split(ctx, rules, locate)
        if split is not None:
            return split
    return _run_here(ctx, rules, range(len(rules)), locate)


def _worth_splitting(ctx: Context, rules: Sequence[Rule]) -> bool:
    bp = ctx.bp
    return (
        len(rules) > 1
        and len(bp.services) + len(bp.jobs) >= SPLIT_FROM_WORKLOADS
        and hasattr(os, "fork")
        and threading.active_count() == 1  # forking with other threads running is unsafe
    )


def _run_here(
    ctx: Context, rules: Sequence[Rule], indexes: Sequence[int], locate: Locate | None
) -> tuple[list[list[Hit]], dict[YamlPath, Position]]:
    hits: list[list[Hit]] = [[] for _ in rules]
    positions: dict[YamlPath, Position] = {}
    for i in indexes:
        hits[i] = _run_one(ctx, rules[i], locate, positions)
    return hits, positions


def _run_one(
    ctx: Context, rule: Rule, locate: Locate | None, positions: dict[YamlPath, Position]
) -> list[Hit]:
    hits = list(rule.check(ctx))
    if locate is not None:
        for hit in hits:
            path = hit_path(hit)
            if path not in positions:
                positions[path] = locate(path)
    return hits


def _run_split(
    ctx: Context, rules: Sequence[Rule], locate: Locate
) -> tuple[list[list[Hit]], dict[YamlPath, Position]] | None:
    queue_read, queue_write = os.pipe()
    os.write(queue_write, b"".join(i.to_bytes(_INDEX_BYTES, "big") for i in range(len(rules))))
    os.close(queue_write)
    result_read, result_write = os.pipe()
    try:
        child = os.fork()
    except OSError:
        os.close(result_read)
        os.close(result_write)
        os.close(queue_read)
        return None
    if child == 0:  # the child leaves by os._exit
        os.close(result_read)
        _child(ctx, rules, locate, queue_read, result_write)
    os.close(result_write)
    hits: list[list[Hit]] = [[] for _ in rules]
    positions: dict[YamlPath, Position] = {}

    def run(i: int) -> None:
        hits[i] = _run_one(ctx, rules[i], locate, positions)

    mine = _take_all(queue_read, run)
    os.close(queue_read)
    theirs = _receive(result_read, child)
    done = mine | (set(theirs[0]) if theirs is not None else set())
    missing = [i for i in range(len(rules)) if i not in done]
    if theirs is not None:
        for i, rule_hits in theirs[0].items():
            hits[i] = rule_hits
        positions.update(theirs[1])
    for i in missing:  # the child failed: what it took runs here, errors and all
        hits[i] = _run_one(ctx, rules[i], locate, positions)
    return hits, positions


def _take_all(queue: int, run: Callable[[int], None]) -> set[int]:
    taken: set[int] = set()
    while True:
        data = os.read(queue, _INDEX_BYTES)
        if not data:
            return taken
        index = int.from_bytes(data, "big")
        taken.add(index)
        run(index)


def _child(ctx: Context, rules: Sequence[Rule], locate: Locate, queue: int, result: int) -> None:
    code = 1
    try:
        hits: dict[int, list[Hit]] = {}
        positions: dict[YamlPath, Position] = {}

        def run(i: int) -> None:
            hits[i] = _run_one(ctx, rules[i], locate, positions)

        _take_all(queue, run)
        payload = pickle.dumps((hits, positions), protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(payload)
        while view:
            view = view[os.write(result, view) :]
        code = 0
    finally:
        # Whatever happened, leave without the parent's exit handlers or buffered output; on
        # a failure (code 1) the parent runs this process's rules again itself.
        os._exit(code)


def _receive(
    result: int, child: int
) -> tuple[dict[int, list[Hit]], dict[YamlPath, Position]] | None:
    chunks = []
    while True:
        data = os.read(result, 1 << 20)
        if not data:
            break
        chunks.append(data)
    os.close(result)
    _, status = os.waitpid(child, 0)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None
    # Our own forked child's bytes, over a private pipe.
    received: tuple[dict[int, list[Hit]], dict[YamlPath, Position]] = pickle.loads(  # noqa: S301
        b"".join(chunks)
    )
    return received
