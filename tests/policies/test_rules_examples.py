"""Every rule's example, the one `blueprint explain` shows: the bad blueprint raises the rule,
the fixed one loads and does not. Running them here keeps the documentation from drifting."""

from __future__ import annotations

import pytest

from policies.registry import RULES
from policies.rules.base import FRAMEWORKS, Rule
from tests.policies.support import findings


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_bad_example_raises_the_rule(rule: Rule) -> None:
    found = findings(rule.example.bad, rule.id)
    assert found, f"{rule.id}'s bad example raised nothing"
    assert {f.rule_id for f in found} == {rule.id}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_fixed_example_does_not(rule: Rule) -> None:
    assert findings(rule.example.good, rule.id) == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_controls_name_known_frameworks(rule: Rule) -> None:
    for control in rule.controls:
        framework, _, ident = control.partition(":")
        assert framework in FRAMEWORKS and ident, control
