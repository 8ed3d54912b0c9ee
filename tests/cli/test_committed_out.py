"""`make test` fails when the committed out/ is stale: every example re-renders to exactly it.

The no-op fast path is turned off: it trusts the manifest's tool version, so after a change to
a generator it would call a stale out/ current."""

from __future__ import annotations

import pytest

from tests.conftest import EXAMPLES, ROOT
from tests.support import run_cli


@pytest.mark.parametrize("name", EXAMPLES)
def test_committed_out_is_current(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr("blueprint.pipeline.unchanged", lambda request: False)
    code, diff, err = run_cli(
        "render", f"examples/{name}/blueprint.yaml", "--out", f"out/{name}", "--check"
    )
    assert (code, diff, err) == (0, "", ""), f"out/{name} is stale; run `make render`\n{diff}"
