from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/blueprint.yaml"))
TEST_DATA = Path(__file__).resolve().parent / "data"

# Hypothesis profiles, chosen by BLUEPRINT_HYPOTHESIS (default `ci`): `ci` runs each property
# that asks for many examples (a render per example, or 200 and more fast-path comparisons; see
# `slow_examples`) on a quarter of them, so `make test` stays within minutes on two cores;
# `thorough` (`make test-thorough`) runs every property on all of its examples and the
# unannotated ones on five times hypothesis's default.
settings.register_profile("ci", deadline=None, print_blob=True)
settings.register_profile("thorough", deadline=None, print_blob=True, max_examples=500)
PROFILE = os.environ.get("BLUEPRINT_HYPOTHESIS", "ci")
settings.load_profile(PROFILE)
THOROUGH = PROFILE == "thorough"

# The no-op's render stamps (blueprint.render_stamps) go to a folder of this run, inherited by
# every blueprint the tests start, never to the user's ~/.cache.
os.environ["BLUEPRINT_CACHE_DIR"] = tempfile.mkdtemp(prefix="blueprint-test-cache-")


def slow_examples(thorough: int) -> int:
    """max_examples of a slow property: `thorough` in the thorough profile, a quarter of it
    (at least 10) otherwise."""
    return thorough if THOROUGH else max(10, thorough // 4)


def representative(every: list[str], chosen: list[str]) -> list[str]:
    """The cases of an expensive real-tool test: `every` one in the thorough profile
    (`make test-thorough`), else the `chosen` ones, which a cheap test of the same module
    proves cover every form the others exercise on that path."""
    missing = sorted(set(chosen) - set(every))
    assert not missing, f"representative cases that are not cases: {missing}"
    return every if THOROUGH else [case for case in every if case in chosen]


@pytest.fixture
def example_path() -> object:
    def path(name: str) -> Path:
        return ROOT / "examples" / name / "blueprint.yaml"

    return path


def _costly_first(item: pytest.Item) -> bool:
    """False (sorted first) for the tests that start real tools."""
    return item.get_closest_marker("slow") is None and item.get_closest_marker("checkov") is None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under xdist, the tests that start real tools go first (stable order otherwise): the
    fast ones then fill the other worker, and none of the long ones is left to run alone at
    the end while a core idles. Every worker sorts the same collection the same way."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        items.sort(key=_costly_first)
