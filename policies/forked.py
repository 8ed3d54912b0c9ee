"""A forked child that runs some of a blueprint's rules and sends back their hits and where
those hits are: what `split_run` and `early_split` share.

The child shares the parent's model, text (and graph, when there is one) without copying them,
and always leaves by `os._exit`: no exit handlers, no second flush of the parent's buffered
output. Nothing depends on it: whatever it fails to send, the parent runs itself, so an error in
a rule is raised in the parent, as without a child."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NoReturn

from policies.positions import Locate, Mark
from policies.rules.base import Hit, Rule, YamlPath

if TYPE_CHECKING:
    from policies.context import Context


@dataclass
class Taken:
    """The rules one process ran: their hits by rule index, and where those hits are."""

    hits: dict[int, list[Hit]] = field(default_factory=dict)
    marks: dict[YamlPath, Mark] = field(default_factory=dict)

    def run(self, ctx: Context, rules: Sequence[Rule], index: int, locate: Locate) -> None:
        found = self.hits[index] = list(rules[index].check(ctx))
        paths = dict.fromkeys(hit.path for hit in found)
        new = [path for path in paths if path not in self.marks]
        self.marks.update(zip(new, locate(new), strict=True))

    def in_order(
        self, ctx: Context, rules: Sequence[Rule], locate: Locate
    ) -> tuple[list[list[Hit]], dict[YamlPath, Mark]]:
        """Every rule's hits, in the order of `rules`, and their positions: a rule no process
        returned (a child failed or died) is run here, and raises here if it does."""
        for index in range(len(rules)):
            if index not in self.hits:
                self.run(ctx, rules, index, locate)
        return [self.hits[index] for index in range(len(rules))], self.marks


@dataclass
class Child:
    pid: int
    results: int | None  # the read end of the pipe the child sends its `Taken` through, open
    received: bool = False
    reaped: bool = False

    def receive(self) -> Taken | None:
        """What the child sent, read to its end; None when it failed or died. It is reaped
        later (`reap`): its exit, unmapping its copies of a large model's pages, takes 20 ms
        the command need not wait for."""
        assert self.results is not None, "received once"
        try:
            payload = _read_all(self.results)
        finally:
            self._close()
        self.received = True
        return _decode(payload)

    def reap(self) -> None:
        """Waits for the child to exit, stopped first if what it sends was not read; nothing
        once it is reaped."""
        if self.reaped:
            return
        self.reaped = True
        if not self.received:
            os.kill(self.pid, signal.SIGKILL)
        self._close()
        os.waitpid(self.pid, 0)

    def _close(self) -> None:
        if self.results is not None:
            os.close(self.results)
            self.results = None


def fork(work: Callable[[], Taken]) -> Child:
    """A child running `work` and sending back what it returns."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(work, write_end)
    os.close(write_end)
    return Child(pid, read_end)


def _child(work: Callable[[], Taken], write_end: int) -> NoReturn:
    import pickle

    try:
        payload = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
    except BaseException:
        os._exit(1)  # the parent runs the rules this one took, and reports what they raise
    os._exit(0)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(payload: bytes) -> Taken | None:
    import pickle

    if not payload:
        return None
    try:
        taken = pickle.loads(payload)  # noqa: S301 - our own child, through our own pipe
    except Exception:  # a cut-off payload: the rules are run by the parent instead
        return None
    return taken if isinstance(taken, Taken) else None
