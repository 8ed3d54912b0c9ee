from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/blueprint.yaml"))
TEST_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def example_path() -> object:
    def path(name: str) -> Path:
        return ROOT / "examples" / name / "blueprint.yaml"

    return path
