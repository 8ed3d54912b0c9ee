"""The render stamp: the no-op trusts an output folder only when this installation's code
recorded it as current with exactly its manifest."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from blueprint import render_stamps

MANIFEST_BYTES = b'{"tool": "blueprint"}\n'


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv(render_stamps.CACHE_ENV, str(folder))
    render_stamps._key_at_start.cache_clear()  # each test stands in its own code key
    yield folder
    render_stamps._key_at_start.cache_clear()


def _checkout(root: Path) -> Path:
    for package in render_stamps.PACKAGES:
        (root / package / "sub").mkdir(parents=True)
        (root / package / "__init__.py").write_text("")
        (root / package / "sub" / "module.py").write_text("x = 1\n")
    return root


def test_a_recorded_folder_is_verified_with_the_same_manifest_only(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert not render_stamps.verified(out, None, MANIFEST_BYTES)
    render_stamps.record(out, None, MANIFEST_BYTES)
    assert render_stamps.verified(out, None, MANIFEST_BYTES)
    assert not render_stamps.verified(out, None, MANIFEST_BYTES + b" ")
    assert not render_stamps.verified(out, "prod", MANIFEST_BYTES)
    assert not render_stamps.verified(tmp_path / "other", None, MANIFEST_BYTES)


def test_the_same_folder_spelled_differently_is_one_stamp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    render_stamps.record(tmp_path / "out", None, MANIFEST_BYTES)
    monkeypatch.chdir(tmp_path)
    assert render_stamps.verified(Path("out"), None, MANIFEST_BYTES)


def test_a_code_change_invalidates_the_stamp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _checkout(tmp_path / "checkout")
    key_of = render_stamps.code_key
    monkeypatch.setattr(render_stamps, "code_key", lambda: key_of(root))
    out = tmp_path / "out"
    render_stamps.record(out, None, MANIFEST_BYTES)
    assert render_stamps.verified(out, None, MANIFEST_BYTES)
    module = root / "generators" / "sub" / "module.py"
    module.write_text("x = 2\n")  # the same size: the modification time tells
    os.utime(module, ns=(1, 1))
    render_stamps._key_at_start.cache_clear()  # the next run is a new process
    assert not render_stamps.verified(out, None, MANIFEST_BYTES)


def test_one_process_walks_the_code_once_for_every_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    walks: list[int] = []
    monkeypatch.setattr(render_stamps, "code_key", lambda: str(walks.append(1)) * 8)
    for name in ("a", "b", "c"):
        render_stamps.verified(tmp_path / name, None, MANIFEST_BYTES)
    assert len(walks) == 1


@pytest.mark.parametrize(
    "edit",
    [
        lambda root: (root / "policies" / "sub" / "module.py").write_text("x = 10\n"),
        lambda root: (root / "blueprint" / "sub" / "new.j2").write_text(""),
        lambda root: (root / "generators" / "sub" / "module.py").unlink(),
        lambda root: (root / "generators/sub/module.py").rename(root / "generators/m.py"),
    ],
    ids=["edited", "added", "removed", "moved"],
)
def test_the_code_key_of_a_source_checkout_sees_every_file(
    tmp_path: Path, edit: Callable[[Path], object]
) -> None:
    root = _checkout(tmp_path)
    before = render_stamps.code_key(root)
    assert render_stamps.code_key(root) == before
    edit(root)
    assert render_stamps.code_key(root) != before


def test_compiled_files_do_not_change_the_code_key(tmp_path: Path) -> None:
    root = _checkout(tmp_path)
    before = render_stamps.code_key(root)
    (root / "blueprint" / "sub" / "__pycache__").mkdir()
    (root / "blueprint" / "sub" / "__pycache__" / "module.cpython-311.pyc").write_bytes(b"\0")
    assert render_stamps.code_key(root) == before


def test_an_installed_copy_is_keyed_by_its_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In site-packages pip replaces files (new names in the folders); an edit in place of an
    installed file is not looked for, which keeps the no-op to one stat per folder."""
    root = _checkout(tmp_path / "site-packages")
    monkeypatch.setattr(render_stamps, "_site_packages", lambda: [str(root)])
    before = render_stamps.code_key(root)
    (root / "generators" / "sub" / "module.py").write_text("x = 22\n")
    assert render_stamps.code_key(root) == before
    (root / "generators" / "sub" / "module.py").unlink()
    (root / "generators" / "sub" / "module2.py").write_text("x = 22\n")
    assert render_stamps.code_key(root) != before


def test_an_unwritable_cache_costs_only_the_stamp(tmp_path: Path, cache: Path) -> None:
    cache.write_text("a file where the folder should be")
    render_stamps.record(tmp_path / "out", None, MANIFEST_BYTES)
    assert not render_stamps.verified(tmp_path / "out", None, MANIFEST_BYTES)


def test_the_cache_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(render_stamps.CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert render_stamps.cache_dir() == tmp_path / "blueprint"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert render_stamps.cache_dir() == tmp_path / ".cache" / "blueprint"


def test_two_installations_keep_their_own_stamps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A checkout's venv and pre-commit's hook environment render the same folder with
    different code; neither makes the other take the full path again."""
    out = tmp_path / "out"
    for key in ("checkout", "hook"):
        monkeypatch.setattr(render_stamps, "code_key", lambda key=key: key * 8)
        render_stamps.record(out, None, MANIFEST_BYTES)
    for key in ("checkout", "hook"):
        monkeypatch.setattr(render_stamps, "code_key", lambda key=key: key * 8)
        render_stamps._key_at_start.cache_clear()  # each installation is its own process
        assert render_stamps.verified(out, None, MANIFEST_BYTES)


def test_a_folder_keeps_its_most_recent_stamps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: Path
) -> None:
    out = tmp_path / "out"
    for edit in range(render_stamps.KEPT_PER_FOLDER + 3):
        monkeypatch.setattr(render_stamps, "code_key", lambda edit=edit: f"{edit:032d}")
        render_stamps.record(out, None, MANIFEST_BYTES)
    (folder,) = (cache / "verified").iterdir()
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == [f"{edit:032d}" for edit in range(3, render_stamps.KEPT_PER_FOLDER + 3)]
