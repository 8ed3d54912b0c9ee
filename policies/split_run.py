"""Running a large system's rules on two cores: every other rule in a forked child process.

At 5,000 services the rules and the placing of their 7,500 findings on lines are 0.55 s of a
check, all on one core of a machine that has two. After the graph is built, a child forked
from this process (it shares the model, the graph and the text without copying them) runs
every other rule and places its hits; this process runs the rest and places its own; the
child sends its hits and their positions back, pickled, through a pipe. The order of the
hits is the rules' order, whoever ran them: the report is the same bytes either way.

Nothing depends on the child: if it fails or dies, this process runs its rules itself, so an
error in a rule is raised here, as without the split. The split is only taken when the
caller has a second core for this blueprint (`blueprint check` of one blueprint, without
`--jobs 1`; not for each of several blueprints, which already share the cores), where forking
is dependable (Linux, no other thread running), and on a system large enough to gain from it.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from policies.rules.base import Hit, Rule, YamlPath, subject_path

if TYPE_CHECKING:
    from policies.context import Context

Mark = tuple[int, int]
Locate = Callable[[list[YamlPath]], list[Mark]]

# Below this many workloads the rules take a few tens of milliseconds: forking, and each
# process building the tables its rules share, would cost about what it saves.
MIN_WORKLOADS = 1_000


def worthwhile(ctx: Context, cores: int) -> bool:
    """Whether to split this system's rules across two processes, given `cores` for it."""
    bp = ctx.bp
    return (
        cores > 1
        and len(bp.services) + len(bp.jobs) >= MIN_WORKLOADS
        and sys.platform == "linux"  # fork without exec is only dependable here
        and threading.active_count() == 1  # a lock held by another thread stays held in a fork
    )


def run_rules(
    ctx: Context, rules: Sequence[Rule], locate: Locate
) -> tuple[list[list[Hit]], dict[YamlPath, Mark]]:
    """Each rule's hits, in the order of `rules`, and the position of every hit's path."""
    mine, theirs = list(rules[0::2]), list(rules[1::2])
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(ctx, theirs, locate, write_end)
    os.close(write_end)
    try:
        my_hits, marks = _run(ctx, mine, locate)
        payload = _read_all(read_end)
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)
    returned = _decode(payload, len(theirs))
    if returned is None:  # the child failed: its rules are run here, and raise here if they do
        their_hits, their_marks = _run(ctx, theirs, locate)
    else:
        their_hits, their_marks = returned
    marks.update(their_marks)
    hits: list[list[Hit]] = []
    for index in range(len(rules)):
        hits.append(my_hits[index // 2] if index % 2 == 0 else their_hits[index // 2])
    return hits, marks


def _run(
    ctx: Context, rules: Sequence[Rule], locate: Locate
) -> tuple[list[list[Hit]], dict[YamlPath, Mark]]:
    hits = [list(rule.check(ctx)) for rule in rules]
    paths = list(
        dict.fromkeys(hit.location or subject_path(hit.subject) for some in hits for hit in some)
    )
    return hits, dict(zip(paths, locate(paths), strict=True))


def _child(ctx: Context, rules: Sequence[Rule], locate: Locate, write_end: int) -> None:
    import pickle

    # Always `os._exit`: no exit handlers, no second flush of the parent's buffered output.
    try:
        payload = pickle.dumps(_run(ctx, rules, locate), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
    except BaseException:
        os._exit(1)  # the parent runs these rules again, and reports what they raise
    os._exit(0)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(payload: bytes, rules: int) -> tuple[list[list[Hit]], dict[YamlPath, Mark]] | None:
    import pickle

    if not payload:
        return None
    try:
        hits, marks = pickle.loads(payload)  # noqa: S301 - our own child, through our own pipe
    except Exception:  # a cut-off payload: the rules are run here instead
        return None
    return (hits, marks) if len(hits) == rules else None
