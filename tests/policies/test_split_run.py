"""A large system's rules on two cores (`policies.split_run`): the same hits in the same
order and the same positions as one process, whatever the child does."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks.check_scaling import synthetic
from blueprint.loader import Loaded, load, load_source, source_from_bytes
from policies import engine, split_run
from policies.context import Context
from policies.graph import build_graph
from policies.positions import locator
from policies.registry import CHECKS
from policies.rules.base import Hit, Rule
from tests.conftest import EXAMPLES, ROOT
from tests.policies.support import TODAY, only_in_a_child, ran

LARGE = synthetic(split_run.MIN_WORKLOADS)


@pytest.fixture(scope="module")
def large() -> Loaded:
    return load_source(source_from_bytes(LARGE.encode(), "large.yaml"))


def context(loaded: Loaded) -> Context:
    return Context(loaded.blueprint, build_graph(loaded.blueprint))


def one_process(loaded: Loaded, rules: Iterable[Rule]) -> list[list[Hit]]:
    ctx = context(loaded)
    return [list(rule.check(ctx)) for rule in rules]


def split(loaded: Loaded, rules: list[Rule]) -> tuple[list[list[Hit]], dict[object, object]]:
    hits, marks = split_run.run_rules(context(loaded), rules, locator(loaded.source))
    return hits, dict(marks)


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_rules_hits_and_their_positions_are_those_of_one_process(example: str) -> None:
    loaded = load(ROOT / "examples" / example / "blueprint.yaml")
    hits, marks = split(loaded, list(CHECKS))
    assert hits == one_process(loaded, CHECKS)
    paths = {hit.path for some in hits for hit in some}
    assert marks == {path: loaded.source.locate(path, at_key=True) for path in paths}


def test_a_large_systems_findings_are_those_of_one_process(
    large: Loaded, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With a waiver and a severity override, which apply to the hits of both processes.
    first = engine.run_checks(large, today=TODAY)
    waived = next(f for f in first if f.rule_id == "BP3003")
    text = LARGE + (
        "policy:\n  severity: {BP6001: warning}\n  waivers:\n"
        f"    - {{rule: BP3003, subject: {waived.subject}, owner: oo, reason: reviewed in "
        "review, expires: 2026-12-31}\n"
    )
    loaded = load_source(source_from_bytes(text.encode(), "large.yaml"))
    calls: list[int] = []
    real = split_run.run_rules

    def counted(*args: object) -> object:
        calls.append(1)
        return real(*args)  # type: ignore[arg-type]  # the engine's own arguments, passed on

    monkeypatch.setattr(split_run, "run_rules", counted)
    # pytest's own threads would keep the split from being taken here.
    monkeypatch.setattr(split_run.threading, "active_count", lambda: 1)
    two = engine.run_checks(loaded, today=TODAY, cores=2)
    assert calls == [1]
    one = engine.run_checks(loaded, today=TODAY, cores=1)
    assert calls == [1]
    assert two == one
    assert [f.waived_by is not None for f in two].count(True) == 1
    assert {f.severity for f in two if f.rule_id == "BP6001"} == {"warning"}


@pytest.mark.parametrize("failure", ["raise", "die"])
def test_the_rules_of_a_failed_child_are_run_here(large: Loaded, failure: str) -> None:
    # Every rule fails in the child, whichever it takes first.
    rules = [only_in_a_child(rule, os.getpid(), failure) for rule in CHECKS[:6]]
    hits, _ = split(large, rules)
    assert hits == [[ran(rule)] for rule in rules]


def test_a_rule_that_raises_raises_here(large: Loaded) -> None:
    def broken(ctx: Context) -> Iterable[Hit]:
        raise RuntimeError("a bug in a rule")

    for index in range(4):  # whichever process takes it
        rules = list(CHECKS[:4])
        rules[index] = replace(rules[index], check=broken)
        with pytest.raises(RuntimeError, match=r"^a bug in a rule$"):
            split(large, rules)


def test_the_split_is_taken_only_where_it_pays_and_forking_is_safe(
    large: Loaded, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = large.blueprint
    small = load(ROOT / "examples" / EXAMPLES[0] / "blueprint.yaml").blueprint
    monkeypatch.setattr(split_run.threading, "active_count", lambda: 1)
    assert split_run.worthwhile(ctx, 2)
    assert not split_run.worthwhile(ctx, 1)  # no second core for this blueprint
    assert not split_run.worthwhile(small, 2)  # a few tens of milliseconds of rules
    monkeypatch.setattr(split_run.sys, "platform", "darwin")
    assert not split_run.worthwhile(ctx, 2)
    monkeypatch.undo()
    waiting = threading.Event()
    thread = threading.Thread(target=waiting.wait)
    thread.start()
    try:
        assert not split_run.worthwhile(ctx, 2)  # another thread may hold a lock the fork keeps
    finally:
        waiting.set()
        thread.join()


# A fresh interpreter (no other thread), saying on stderr how the rules are split: "early" when
# a child forked during the validation ran the rules that read the graph (early_split), "split"
# when two processes took the rules from a queue after the graph was built (split_run).
PROBE = (
    "import sys\n"
    "from policies import early_split, split_run\n"
    "def spy(real, word):\n"
    "    def spied(*args):\n"
    "        print(word, file=sys.stderr)\n"
    "        return real(*args)\n"
    "    return spied\n"
    "split_run.run_rules = spy(split_run.run_rules, 'split')\n"
    "early_split.Started.collect = spy(early_split.Started.collect, 'early')\n"
    "from blueprint.cli import entry_point\n"
    "entry_point()\n"
)


def check(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROBE, "check", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_splits_one_large_blueprint_unless_told_one_process(tmp_path: Path) -> None:
    path = tmp_path / "large.yaml"
    path.write_text(LARGE, encoding="utf-8")
    two = check(str(path), "--format", "json")
    one = check(str(path), "--format", "json", "--jobs", "1")
    assert (two.returncode, two.stderr, one.stderr) == (0, "early\n", "")
    assert two.stdout == one.stdout
    assert len(two.stdout) > 100_000


def test_with_an_environment_the_rules_are_split_after_the_graph(tmp_path: Path) -> None:
    # The blueprint checked is not the one the schema passed: no child is started early.
    path = tmp_path / "large.yaml"
    path.write_text(LARGE + "environments:\n  prod: {}\n", encoding="utf-8")
    two = check(str(path), "--format", "json", "--env", "prod")
    one = check(str(path), "--format", "json", "--env", "prod", "--jobs", "1")
    assert (two.returncode, two.stderr, one.stderr) == (0, "split\n", "")
    assert two.stdout == one.stdout


def test_several_blueprints_share_the_cores_without_splitting(tmp_path: Path) -> None:
    paths = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        paths.append(tmp_path / name / "blueprint.yaml")
        paths[-1].write_text(LARGE, encoding="utf-8")
    done = check(*map(str, paths), "--format", "json", "--jobs", "2")
    assert (done.returncode, done.stderr) == (0, "")
