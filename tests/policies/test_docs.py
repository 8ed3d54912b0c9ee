"""docs/rules.md is generated from the registry and kept current."""

from __future__ import annotations

from policies.docs import generate
from policies.registry import CHECKS, RULES
from tests.conftest import ROOT


def test_rules_doc_is_current() -> None:
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == generate(), "run `make rules-doc` (python -m policies.docs > docs/rules.md)"


def test_registry_ids_are_unique_sorted_and_complete() -> None:
    ids = [r.id for r in RULES]
    assert ids == sorted(set(ids))
    rules_dir = ROOT / "policies" / "rules"
    modules = sorted(p.stem for p in rules_dir.glob("bp[1-8]*.py"))
    assert [m.split("_")[0].upper() for m in modules] == [r.id for r in CHECKS]
    for rule in RULES:
        assert rule.severity in ("error", "warning", "note")
        assert rule.title and rule.rationale and rule.fix and rule.name
