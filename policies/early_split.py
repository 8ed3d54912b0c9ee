"""Starting a large system's graph rules before its own validation is done: `blueprint check`
of one large blueprint, on a second core.

At 5,000 services, after the schema, the cross-reference and support checks take 0.15 s, the
graph 0.15 s, and the rules with the placing of their findings 0.55 s of CPU. The rules are
of two kinds: 16 of the 35 read the graph, the others only the blueprint (`Rule.reads_graph`),
among them BP6001, whose 6,000 notes take 0.2 s to place. So as soon as the schema has
passed, the loader hands the model to `Starter.start`, which forks a child: the child builds
the graph and runs the rules that read it, while this process finishes the validation and
then runs the rules that do not, never building a graph at all. The validation overlaps the
graph, and no table the rules share is built in both processes (as `split_run`, which forks
after the graph, does).

The child's hits are used only for the blueprint it was forked for: `Starter.take` hands the
child to the engine when the blueprint checked is that one, its policy aside (the repository
configuration may add severities; no rule reads them), and stops it otherwise, as when the
validation fails. Whatever the child does not send back is run here (`forked`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING

from policies import forked, split_run
from policies.context import Context
from policies.forked import Child, Taken
from policies.positions import Locate, Mark, locator
from policies.registry import CHECKS
from policies.rules.base import Hit, Rule, YamlPath

if TYPE_CHECKING:
    from blueprint.loader import Source
    from blueprint.model import Blueprint


@dataclass(frozen=True)
class Started:
    """A child running, for `blueprint`, the rules of `rules` at `indexes`."""

    blueprint: Blueprint
    rules: Sequence[Rule]
    indexes: tuple[int, ...]
    child: Child

    def collect(
        self, ctx: Context, rules: Sequence[Rule], locate: Locate
    ) -> tuple[list[list[Hit]], dict[YamlPath, Mark]]:
        """Each of `rules`' hits, in their order, and the position of every hit's path: the
        rules the child does not run are run here first, then the child's are taken."""
        theirs = {id(self.rules[index]): index for index in self.indexes}
        taken = Taken()
        for index, rule in enumerate(rules):
            if id(rule) not in theirs:
                taken.run(ctx, rules, index, locate)
        returned = self.child.receive() or Taken()
        taken.marks.update(returned.marks)
        for index, rule in enumerate(rules):
            child_index = theirs.get(id(rule))
            if child_index in returned.hits:
                taken.hits[index] = returned.hits[child_index]
        return taken.in_order(ctx, rules, locate)  # and whatever the child did not send


class Starter:
    """Starts the child for the next blueprint loaded, given `cores` for it; a context manager
    that reaps the child on leaving, stopped first if its results were not collected (the
    validation failed, a rule raised)."""

    def __init__(self, cores: int, rules: Sequence[Rule] = CHECKS) -> None:
        self.cores = cores
        self.rules = rules
        self.started: Started | None = None

    def start(self, bp: Blueprint, source: Source) -> None:
        """The loader's hook, once the schema has passed: forks the child when it pays."""
        if self.started is not None or not split_run.worthwhile(bp, self.cores):
            return
        severity = bp.policy.severity
        indexes = tuple(
            index
            for index, rule in enumerate(self.rules)
            if rule.reads_graph and severity.get(rule.id, rule.severity) != "off"
        )
        locate = locator(source)

        def child_work() -> Taken:
            ctx = Context(bp)  # the graph is built by the first rule that reads it
            taken = Taken()
            for index in indexes:
                taken.run(ctx, self.rules, index, locate)
            return taken

        self.started = Started(bp, self.rules, indexes, forked.fork(child_work))

    def take(self, bp: Blueprint) -> Started | None:
        """The child started for `bp`, policy aside; None (and the child stopped) if not."""
        started = self.started
        if started is None:
            return None
        forked_for = started.blueprint
        if bp is forked_for or all(
            getattr(bp, name) is getattr(forked_for, name)
            for name in type(bp).model_fields
            if name != "policy"
        ):
            return started
        started.child.reap()
        return None

    def __enter__(self) -> Starter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.started is not None:
            self.started.child.reap()
