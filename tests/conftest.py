from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/blueprint.yaml"))
TEST_DATA = Path(__file__).resolve().parent / "data"

# Hypothesis profiles, chosen by BLUEPRINT_HYPOTHESIS (default `ci`): `ci` runs each slow
# property (a render per example, see `slow_examples`) on a quarter of its examples, so
# `make test` stays within minutes on two cores; `thorough` (`make test-thorough`) runs every
# property on all of its examples and the unannotated ones on five times hypothesis's default.
settings.register_profile("ci", deadline=None, print_blob=True)
settings.register_profile("thorough", deadline=None, print_blob=True, max_examples=500)
PROFILE = os.environ.get("BLUEPRINT_HYPOTHESIS", "ci")
settings.load_profile(PROFILE)

# The no-op's render stamps (blueprint.render_stamps) go to a folder of this run, inherited by
# every blueprint the tests start, never to the user's ~/.cache.
os.environ["BLUEPRINT_CACHE_DIR"] = tempfile.mkdtemp(prefix="blueprint-test-cache-")


def slow_examples(thorough: int) -> int:
    """max_examples of a slow property: `thorough` in the thorough profile, a quarter of it
    (at least 10) otherwise."""
    return thorough if PROFILE == "thorough" else max(10, thorough // 4)


@pytest.fixture
def example_path() -> object:
    def path(name: str) -> Path:
        return ROOT / "examples" / name / "blueprint.yaml"

    return path
