"""The realistic corpus: small systems written from public reference architectures, each
citing its source and listing the findings it must produce (`# expect: RULE subject`, one per
error or warning). A system without expectations is well designed and must produce no error
and no warning: a false positive there is a bug in a rule, not in the system."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from blueprint.loader import load
from policies.engine import run_checks
from tests.policies.support import TODAY

CORPUS = Path(__file__).parent / "realistic"
SYSTEMS = sorted(CORPUS.glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (BP\d{4}) (\S+)$", re.MULTILINE)
SOURCE = re.compile(r"^# Source: https://\S+$", re.MULTILINE)


def expected(path: Path) -> list[str]:
    return sorted(f"{rule} {subject}" for rule, subject in EXPECT.findall(path.read_text()))


def reported(path: Path) -> list[str]:
    found = run_checks(load(path, name=path.name, support=False), today=TODAY)
    return sorted(f"{f.rule_id} {f.subject}" for f in found if f.severity in ("error", "warning"))


@pytest.mark.parametrize("path", SYSTEMS, ids=lambda p: p.stem)
def test_system_produces_exactly_its_expected_findings(path: Path) -> None:
    assert reported(path) == expected(path)


@pytest.mark.parametrize("path", SYSTEMS, ids=lambda p: p.stem)
def test_system_cites_its_source(path: Path) -> None:
    assert SOURCE.search(path.read_text()), f"{path.name}: no '# Source: https://...' line"


def test_corpus_size_and_well_designed_share() -> None:
    well_designed = [p for p in SYSTEMS if not expected(p)]
    assert len(SYSTEMS) >= 30
    assert len(well_designed) >= 10


def family_counts() -> Counter[str]:
    """Expected findings per rule family (BP1 identity, BP2 network, ...), for the report."""
    return Counter(line[:3] + "xxx" for p in SYSTEMS for line in expected(p))
