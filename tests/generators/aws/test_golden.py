"""Golden files: the exact render of each example with an AWS platform."""

from __future__ import annotations

import pytest

from tests.generators.aws.support import AWS_EXAMPLES, render_example
from tests.golden_support import GOLDEN_ROOT, assert_golden


@pytest.mark.parametrize("example", AWS_EXAMPLES)
def test_golden_aws(example: str) -> None:
    assert_golden(render_example(example), GOLDEN_ROOT / "aws" / example)
