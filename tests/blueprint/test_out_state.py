"""An output folder's state, read from bytes: the leftovers of a killed render beside it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from blueprint.out_state import BACKUP_PREFIX, STAGING_PREFIX, has_leftovers


def test_leftovers_are_told_per_folder_with_one_look_at_their_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a", "b", "c", "ab"):
        (tmp_path / name).mkdir()
    (tmp_path / f".a{STAGING_PREFIX}0f1e").mkdir()
    (tmp_path / f".c{BACKUP_PREFIX}77").mkdir()
    (tmp_path / f".b{STAGING_PREFIX}not-hex").mkdir()  # not a name the writer makes
    looks: list[Path] = []
    real_scandir = os.scandir

    def scandir(path: Path) -> object:
        looks.append(path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    hidden: dict[Path, list[str] | None] = {}
    found = {name: has_leftovers(tmp_path / name, hidden) for name in ("a", "b", "c", "ab")}
    assert found == {"a": True, "b": False, "c": True, "ab": False}
    assert len(looks) == 1


def test_an_unreadable_parent_counts_as_leftovers(tmp_path: Path) -> None:
    assert has_leftovers(tmp_path / "missing" / "out", {}) is True
