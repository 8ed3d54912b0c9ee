"""`Rule.reads_graph` says the truth about each rule: one that says it reads only the blueprint
never has the graph built, on any example system, any rule's examples or the synthetic system,
and one that says it reads the graph has it built on its own bad example. (A wrong False would
only cost time: the graph is built by the first rule that reads it.)"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

import pytest

from benchmarks.check_scaling import synthetic
from blueprint.loader import load, load_source, source_from_bytes
from blueprint.model import Blueprint
from policies import context
from policies.context import Context
from policies.graph import build_graph
from policies.registry import CHECKS
from policies.rules.base import Rule
from tests.conftest import EXAMPLES, ROOT


def _from_text(text: str) -> Blueprint:
    source = source_from_bytes(textwrap.dedent(text).encode(), "blueprint.yaml")
    return load_source(source, support=False).blueprint


@pytest.fixture(scope="module")
def systems() -> list[Blueprint]:
    found = [load(ROOT / "examples" / name / "blueprint.yaml").blueprint for name in EXAMPLES]
    found += [_from_text(t) for rule in CHECKS for t in (rule.example.bad, rule.example.good)]
    return [*found, _from_text(synthetic(60))]


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The name of each blueprint whose graph a Context builds."""
    built: list[str] = []

    def counted(bp: Blueprint) -> object:
        built.append(bp.name)
        return build_graph(bp)

    monkeypatch.setattr(context, "build_graph", counted)
    yield built


@pytest.mark.parametrize("rule", [r for r in CHECKS if not r.reads_graph], ids=lambda r: r.id)
def test_a_rule_that_reads_only_the_blueprint_never_builds_the_graph(
    rule: Rule, systems: list[Blueprint], builds: list[str]
) -> None:
    for bp in systems:
        list(rule.check(Context(bp)))
    assert builds == []


@pytest.mark.parametrize("rule", [r for r in CHECKS if r.reads_graph], ids=lambda r: r.id)
def test_a_rule_that_reads_the_graph_builds_it_on_its_bad_example(
    rule: Rule, builds: list[str]
) -> None:
    bp = _from_text(rule.example.bad)
    assert list(rule.check(Context(bp)))
    assert builds == [bp.name]


def test_both_kinds_are_there_and_the_graph_is_built_once(builds: list[str]) -> None:
    # The early split (policies/early_split.py) has something to run on either side.
    assert {rule.reads_graph for rule in CHECKS} == {True, False}
    ctx = Context(_from_text(CHECKS[0].example.bad))
    assert ctx.graph is ctx.graph
    assert len(builds) == 1
    given = build_graph(ctx.bp)
    assert Context(ctx.bp, given).graph is given
    assert len(builds) == 1
