"""Golden files: the exact render of each example (and test system) with an AWS platform."""

from __future__ import annotations

import pytest

from tests.generators.aws.support import AWS_EXAMPLES, AWS_SYSTEMS, render_example
from tests.golden_support import GOLDEN_ROOT, assert_golden


@pytest.mark.parametrize("example", AWS_EXAMPLES + AWS_SYSTEMS)
def test_golden_aws(example: str) -> None:
    assert_golden(render_example(example), GOLDEN_ROOT / "aws" / example)
