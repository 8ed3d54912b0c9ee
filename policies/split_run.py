"""Running a large system's rules on two cores: a forked child takes rules from the same queue.

At 5,000 services the rules and the placing of their 7,500 findings on lines are 0.55 s of a
check, all on one core of a machine that has two. After the graph is built, a child is forked
from this process (it shares the model, the graph and the text without copying them). Both
take rules from one queue, a pipe holding every rule's index, so that whoever is free runs
the next one and neither waits long for the other however the costs fall (one rule may find
6,000 things, the next none). Each places its own rules' hits on their lines; the child sends
its hits and their positions back, pickled, through a second pipe. The hits are returned in
the rules' order, whoever ran them: the report is the same bytes either way.

Nothing depends on the child: if it fails or dies, this process runs the rules it took, so an
error in a rule is raised here, as without the split. The split is only taken when the
caller has a second core for this blueprint (`blueprint check` of one blueprint, without
`--jobs 1`; not for each of several blueprints, which already share the cores), where forking
is dependable (Linux, no other thread running), and on a system large enough to gain from it.
`blueprint check` starts its child earlier when it can (`early_split`, which builds no graph
here); this split serves the checks whose blueprint is known only after its validation, as
with `--env`.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from policies import forked
from policies.forked import Taken
from policies.positions import Locate, Mark
from policies.rules.base import Hit, Rule, YamlPath

if TYPE_CHECKING:
    from blueprint.model import Blueprint
    from policies.context import Context

# Below this many workloads the rules take a few tens of milliseconds: forking, and each
# process building the tables its rules share, would cost about what it saves.
MIN_WORKLOADS = 1_000
# The queue's indexes are all written before either process reads, so they must fit in the
# pipe: Linux gives one 64 KiB, or a single 4 KiB page to a user over their pipe quota; 2,000
# two-byte indexes fit either way. (There are 35 rules.)
MAX_RULES = 2_000


def worthwhile(bp: Blueprint, cores: int) -> bool:
    """Whether to split this system's rules across two processes, given `cores` for it."""
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
    taken = Taken()
    if len(rules) > MAX_RULES:  # more than the queue holds before anyone reads it
        return taken.in_order(ctx, rules, locate)
    queue = _queue(len(rules))
    ctx.graph  # noqa: B018 - built here, once, for both processes to share

    def child_work() -> Taken:
        mine = Taken()
        _take_rules(ctx, rules, locate, queue, mine)
        return mine

    child = forked.fork(child_work)
    try:
        _take_rules(ctx, rules, locate, queue, taken)
        returned = child.receive()
    finally:
        os.close(queue)
        child.reap()
    if returned is not None:
        taken.hits.update(returned.hits)
        taken.marks.update(returned.marks)
    return taken.in_order(ctx, rules, locate)


def _queue(count: int) -> int:
    """The read end of a pipe holding each index once (two bytes each): a read takes one."""
    read_end, write_end = os.pipe()
    # All written before the fork, and the write end closed: a read of two bytes returns a
    # whole index, and b"" once the queue is empty. Last rule first: the registry ends with
    # the rules that can report one finding per workload (BP6001, a note for each concept a
    # target does not render: 6,000 at 5,000 services), and the big rule taken last keeps one
    # process busy while the other has nothing left (0.1 to 0.2 s idle at 5,000 services in
    # the registry's order; none last first).
    os.write(write_end, b"".join(index.to_bytes(2, "big") for index in reversed(range(count))))
    os.close(write_end)
    return read_end


def _take_rules(
    ctx: Context, rules: Sequence[Rule], locate: Locate, queue: int, taken: Taken
) -> None:
    """Run rules from the queue until it is empty."""
    while token := os.read(queue, 2):
        taken.run(ctx, rules, int.from_bytes(token, "big"), locate)
