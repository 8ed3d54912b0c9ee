"""A render runs with the cycle collector paused and leaves it as it found it."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from blueprint import pipeline
from blueprint.loader import Loaded
from tests.conftest import ROOT


def test_a_render_writes_with_the_collector_paused_and_restores_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    real_apply = pipeline._write

    def spying(loaded: Loaded, request: pipeline.Request) -> pipeline.Outcome:
        seen.append(gc.isenabled())
        return real_apply(loaded, request)

    monkeypatch.setattr(pipeline, "_write", spying)
    monkeypatch.chdir(ROOT)
    request = pipeline.Request(
        Path("examples/kubernetes-helm/blueprint.yaml"), out_dir=tmp_path / "out"
    )
    outcome = pipeline.pipeline(request)
    assert (outcome.code, seen, gc.isenabled()) == (0, [False], True)
    assert (tmp_path / "out" / "kubernetes").is_dir()
