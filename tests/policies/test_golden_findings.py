"""Each example's findings, as `blueprint check --format json` prints them, are golden."""

from __future__ import annotations

from policies.engine import run_checks
from policies.report import as_json
from tests.conftest import EXAMPLES
from tests.golden_support import GOLDEN_ROOT, assert_golden
from tests.support import load_example


def test_golden_findings() -> None:
    files = {f"{name}.json": as_json(run_checks(load_example(name))) for name in EXAMPLES}
    assert_golden(files, GOLDEN_ROOT / "findings")


def test_every_example_renders_no_error_finding() -> None:
    for name in EXAMPLES:
        errors = [f for f in run_checks(load_example(name)) if f.severity == "error"]
        assert errors == [], name


def test_examples_show_what_they_exist_to_show() -> None:
    shown = {
        name: sorted({f.rule_id for f in run_checks(load_example(name))})
        for name in ("latency-chain", "kafka-workers", "company-iam")
    }
    assert shown == {
        "latency-chain": ["BP3001"],
        "kafka-workers": ["BP3003", "BP3004"],
        "company-iam": ["BP1010", "BP1012"],
    }
    kafka = run_checks(load_example("kafka-workers"))
    assert [(f.subject, f.message) for f in kafka if f.rule_id == "BP3004"] == [
        (
            "jobs.worker2",
            "job worker2 writes database warehouse (table table2) with no retry and no buffer: "
            "while the database is down its writes are lost",
        )
    ]
    assert [f.message for f in kafka if f.subject == "resources.warehouse"] == [
        "if database warehouse fails, 2 workload(s) stop: worker1, worker2"
    ]
