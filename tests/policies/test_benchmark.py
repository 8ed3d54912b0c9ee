"""The benchmark's synthetic blueprints are valid and checked cleanly (no timing asserted)."""

from __future__ import annotations

from benchmarks.check_scaling import synthetic
from policies.engine import run_checks
from tests.support import load_text


def test_synthetic_blueprint_loads_and_has_no_error() -> None:
    loaded = load_text(synthetic(40))
    assert len(loaded.blueprint.services) == 40
    found = run_checks(loaded)
    assert [f for f in found if f.severity == "error"] == []
    # BP6001: the AWS services' grants on the cluster's databases are not rendered as IAM.
    assert {f.rule_id for f in found} == {"BP3001", "BP3003", "BP6001"}
