"""The graph rules of a large system started in a child while the blueprint is validated
(`policies.early_split`): the same findings as one process, the graph never built here, the
child's rules run here when it fails, and no child left behind whatever happens."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks.check_scaling import synthetic
from blueprint.config import configured
from blueprint.errors import BlueprintError
from blueprint.loader import Loaded, load_source, source_from_bytes
from policies import context, engine, split_run
from policies.context import Context
from policies.early_split import Started, Starter
from policies.findings import Finding
from policies.graph import build_graph
from policies.registry import CHECKS
from policies.rules.base import Hit, Rule
from tests.policies.support import TODAY, only_in_a_child

LARGE = synthetic(split_run.MIN_WORKLOADS)
# A waiver and a severity override, which apply to the hits of both processes.
POLICY = (
    "policy:\n  severity: {BP6001: warning, BP2004: 'off'}\n  waivers:\n"
    "    - {rule: BP3003, subject: resources.files0, owner: oo, reason: reviewed in review, "
    "expires: 2026-12-31}\n"
)


@pytest.fixture(autouse=True)
def one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    # pytest's own threads would keep any fork from being taken here.
    monkeypatch.setattr(split_run.threading, "active_count", lambda: 1)


def loaded_with(starter: Starter | None, text: str = LARGE) -> Loaded:
    source = source_from_bytes(text.encode(), "large.yaml")
    return load_source(source, on_model=None if starter is None else starter.start)


def early_findings(text: str, rules: Sequence[Rule] = CHECKS) -> list[Finding]:
    with Starter(2, rules) as starter:
        loaded = loaded_with(starter, text)
        started = starter.take(loaded.blueprint)
        assert started is not None
        return engine.run_checks(loaded, today=TODAY, rules=rules, started=started)


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The process of each graph built (a child's own list is not seen here)."""
    built: list[int] = []

    def counted(bp: object) -> object:
        built.append(os.getpid())
        return build_graph(bp)  # type: ignore[arg-type]  # the blueprint, passed on

    monkeypatch.setattr(context, "build_graph", counted)
    yield built


def test_the_findings_are_those_of_one_process_and_no_graph_is_built_here(
    builds: list[int],
) -> None:
    text = LARGE + POLICY
    two = early_findings(text)
    assert builds == []  # the child built it, for the rules that read it
    one = engine.run_checks(loaded_with(None, text), today=TODAY, cores=1)
    assert builds == [os.getpid()]
    assert two == one
    assert [f.waived_by is not None for f in two].count(True) == 1
    assert {f.severity for f in two if f.rule_id == "BP6001"} == {"warning"}
    assert not any(f.rule_id == "BP2004" for f in two)
    # Both kinds of rules found something: each process's hits are in the report.
    found = {f.rule_id for f in two}
    assert {"BP3001", "BP3003"} <= found  # from the child
    assert {"BP6001"} <= found  # from here


def test_the_child_runs_the_rules_that_read_the_graph_and_are_not_off() -> None:
    with Starter(2) as starter:
        loaded = loaded_with(starter, LARGE + POLICY)
        started = starter.take(loaded.blueprint)
        assert started is not None
        ran = [started.rules[index].id for index in started.indexes]
        assert ran == [r.id for r in CHECKS if r.reads_graph and r.id != "BP2004"]
        started.child.reap()


@pytest.mark.parametrize("failure", ["raise", "die"])
def test_the_rules_of_a_failed_child_are_run_here(failure: str) -> None:
    rules = [only_in_a_child(rule, os.getpid(), failure) for rule in CHECKS]
    found = early_findings(LARGE, rules)
    assert sorted(f.rule_id for f in found) == sorted(r.id for r in CHECKS)


def test_a_rule_that_raises_in_the_child_raises_here() -> None:
    def broken(ctx: Context) -> Iterable[Hit]:
        raise RuntimeError("a bug in a rule")

    index = next(i for i, rule in enumerate(CHECKS) if rule.reads_graph)
    rules = list(CHECKS)
    rules[index] = replace(rules[index], check=broken)
    with pytest.raises(RuntimeError, match=r"^a bug in a rule$"):
        early_findings(LARGE, rules)


def test_a_child_for_another_blueprint_is_stopped_and_one_policy_apart_is_taken() -> None:
    with Starter(2) as starter:
        loaded = loaded_with(starter)
        assert starter.started is not None
        # The repository configuration's severities make another blueprint, policy aside the
        # same: what the child runs is what would be run for it.
        policy = loaded.blueprint.policy.model_copy(update={"severity": {"BP3001": "error"}})
        same = loaded.blueprint.model_copy(update={"policy": policy})
        assert starter.take(same) is starter.started
        other = loaded.blueprint.model_copy(update={"name": "other"})
        assert starter.take(other) is None
        child = starter.started.child
    assert child.reaped
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)


def test_a_failed_validation_leaves_no_child() -> None:
    # The schema passes, the cross-reference check does not: the child was started, and is
    # stopped as the error leaves the Starter.
    text = LARGE.replace("{service: s1, latency: 0.01}", "{service: nowhere}", 1)
    assert text != LARGE
    starter = Starter(2)
    with pytest.raises(BlueprintError, match="nowhere"), starter:
        loaded_with(starter, text)
    assert starter.started is not None
    assert starter.started.child.reaped


def test_no_child_where_it_does_not_pay() -> None:
    for cores, text in ((1, LARGE), (2, synthetic(split_run.MIN_WORKLOADS // 2))):
        with Starter(cores) as starter:
            loaded_with(starter, text)
            assert starter.started is None
            assert starter.take(loaded_with(None, text).blueprint) is None


def test_the_repository_configuration_keeps_the_child(tmp_path: Path) -> None:
    # `blueprint check` applies .blueprint.toml's severities after loading (config.configured).
    root = tmp_path
    (root / ".git").mkdir()
    (root / ".blueprint.toml").write_text(
        '[[rules]]\nrule = "BP3001"\nseverity = "error"\nreason = "budgets are promises"\n',
        encoding="utf-8",
    )
    path = root / "blueprint.yaml"
    path.write_text(LARGE, encoding="utf-8")
    with Starter(2) as starter:
        loaded = loaded_with(starter)
        changed, applied = configured(loaded, path, None)
        assert applied
        assert changed.blueprint is not loaded.blueprint
        started = starter.take(changed.blueprint)
        assert isinstance(started, Started)
        two = engine.run_checks(changed, today=TODAY, started=started)
    assert two == engine.run_checks(changed, today=TODAY)
    assert {f.severity for f in two if f.rule_id == "BP3001"} == {"error"}
