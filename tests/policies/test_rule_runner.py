"""A large system's rules on two processes: the same findings as one process, whatever the
child does."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest

from benchmarks.check_scaling import synthetic
from blueprint.loader import Loaded, load, load_source, source_from_bytes
from policies import rule_runner
from policies.context import Context
from policies.engine import run_checks
from policies.registry import CHECKS
from policies.rules.base import Hit, Rule
from tests.conftest import EXAMPLES, ROOT
from tests.policies.support import TODAY


@pytest.fixture(scope="module")
def large() -> Loaded:
    return load_source(source_from_bytes(synthetic(300).encode(), "synthetic.yaml"))


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Split from the first workload, and count the forks."""
    monkeypatch.setattr(rule_runner, "SPLIT_FROM_WORKLOADS", 0)
    forked: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    yield forked


def test_a_large_system_forks_once_and_finds_the_same(large: Loaded, forks: list[int]) -> None:
    one = run_checks(large, today=TODAY)
    assert forks == []
    two = run_checks(large, today=TODAY, processes=2)
    assert forks != []
    assert len(forks) == 1
    assert two == one
    assert len(one) > 100


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_example_finds_the_same_on_two_processes(example: str, forks: list[int]) -> None:
    loaded = load(ROOT / "examples" / example / "blueprint.yaml")
    assert run_checks(loaded, today=TODAY, processes=2) == run_checks(loaded, today=TODAY)
    assert len(forks) == 1


def test_below_the_threshold_or_with_threads_nothing_forks(
    large: Loaded, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked"))
    run_checks(large, today=TODAY, processes=2)  # 300 workloads: below the threshold
    monkeypatch.setattr(rule_runner, "SPLIT_FROM_WORKLOADS", 0)
    run_checks(large, today=TODAY, processes=1)
    release = threading.Event()
    waiter = threading.Thread(target=release.wait)
    waiter.start()
    try:
        run_checks(large, today=TODAY, processes=2)
    finally:
        release.set()
        waiter.join()


class _Failing:
    """A rule that fails in the child process only, or everywhere."""

    id = "BP0000"
    severity = "warning"

    def __init__(self, parent: int | None) -> None:
        self.parent = parent

    def check(self, ctx: Context) -> Iterator[Hit]:
        if self.parent is None or os.getpid() != self.parent:
            raise RuntimeError("the rule failed")
        yield Hit("services.s1", "found in the parent")


def _rules(failing: _Failing) -> list[Rule]:
    return [*CHECKS[:3], failing, *CHECKS[3:]]  # type: ignore[list-item]


def test_a_child_that_fails_leaves_its_rules_to_the_parent(large: Loaded, forks: list[int]) -> None:
    rules = _rules(_Failing(os.getpid()))
    two = run_checks(large, today=TODAY, rules=rules, processes=2)
    assert len(forks) == 1
    assert "found in the parent" in {f.message for f in two}
    assert two == run_checks(large, today=TODAY, rules=rules)


def test_a_rule_that_fails_fails_the_check_as_in_one_process(
    large: Loaded, forks: list[int]
) -> None:
    with pytest.raises(RuntimeError, match="the rule failed"):
        run_checks(large, today=TODAY, rules=_rules(_Failing(None)))
    with pytest.raises(RuntimeError, match="the rule failed"):
        run_checks(large, today=TODAY, rules=_rules(_Failing(None)), processes=2)
    assert len(forks) == 1


@pytest.mark.parametrize(("files", "expected"), [(1, [3]), (2, [1, 1])])
def test_the_check_command_gives_one_blueprint_the_cores(
    monkeypatch: pytest.MonkeyPatch, files: int, expected: list[int]
) -> None:
    """One blueprint may use the cores for its rules; several share them in the pool (here
    in this process: -j 1 for the pool would hide it, so the pool is stood in for)."""
    from blueprint.cli import main

    asked: list[int] = []

    def run_checks_recording(loaded: Loaded, *, processes: int = 1) -> list[object]:
        asked.append(processes)
        return []

    monkeypatch.setattr("policies.engine.run_checks", run_checks_recording)
    monkeypatch.setattr("blueprint.pipeline.parallel_map", lambda f, items, _w: map(f, items))
    example = str(ROOT / "examples/aws-fargate-api/blueprint.yaml")
    assert main(["check", *[example] * files, "-j", "3"]) == 0
    assert asked == expected
