"""The early parse (`blueprint.early_parse`): a large blueprint is parsed on a second thread
while the command imports, and the loader takes that parse only for the very text it read;
every message is the one the loader gives without it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from benchmarks.check_scaling import synthetic
from blueprint import early_parse
from blueprint.errors import BlueprintError
from blueprint.loader import load
from blueprint.yaml_parse import parse_yaml


@pytest.fixture(autouse=True)
def nothing_left_started() -> None:
    early_parse._started.clear()


def big(tmp_path: Path, text: str | None = None) -> Path:
    path = tmp_path / "blueprint.yaml"
    path.write_text(text if text is not None else synthetic(150), encoding="utf-8")
    assert path.stat().st_size >= early_parse.EARLY_BYTES
    return path


def test_the_loader_takes_the_early_parse_of_the_same_text(tmp_path: Path) -> None:
    path = big(tmp_path)
    early_parse.start(path)
    early = early_parse._started[path]
    data = early_parse.parsed(path.read_text(encoding="utf-8"))
    assert data is early.data  # the thread's own object, not a second parse
    assert data == parse_yaml(path.read_text(encoding="utf-8"))
    assert early_parse._started == {}
    assert early.thread is not None and not early.thread.is_alive()


def test_a_text_the_thread_did_not_read_is_parsed_now(tmp_path: Path) -> None:
    path = big(tmp_path)
    early_parse.start(path)
    early = early_parse._started[path]
    other = synthetic(151)
    data = early_parse.parsed(other)
    assert data is not early.data
    assert data == parse_yaml(other)
    assert early_parse._started == {}  # the unmatched parse is dropped, not kept


def test_small_files_are_parsed_by_the_loader_alone(tmp_path: Path) -> None:
    path = tmp_path / "small.yaml"
    path.write_text("name: x\n", encoding="utf-8")
    threads = threading.active_count()
    early_parse.start(path)
    early_parse.start(tmp_path / "missing.yaml")
    assert (early_parse._started, threading.active_count()) == ({}, threads)
    assert early_parse.parsed("name: x\n") == {"name": "x"}


def test_starting_twice_parses_once(tmp_path: Path) -> None:
    path = big(tmp_path)
    early_parse.start(path)
    first = early_parse._started[path]
    early_parse.start(path)
    assert early_parse._started == {path: first}
    early_parse.parsed("name: x\n")


def test_a_byte_order_mark_is_read_as_the_loader_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "blueprint.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + synthetic(150).encode())
    early_parse.start(path)
    early = early_parse._started[path]
    loaded = load(path)
    assert early.text == loaded.source.text
    assert len(loaded.blueprint.services) == 150


def test_what_the_parse_raises_is_the_loaders_message(tmp_path: Path) -> None:
    # A syntax error at the end of a large file, a mapping key that is a mapping, and a
    # duplicate key: each message is the loader's own, early parse or not.
    base = synthetic(150)
    lines = base.count("\n")
    cases = {
        "syntax": base + "  broken: [\n",
        "complex key": base + "? {a: [1]}\n: 2\n",
        "duplicate": base + "name: again\n",
    }
    for what, text in cases.items():
        path = big(tmp_path, text)
        with pytest.raises(BlueprintError) as alone:
            load(path)
        early_parse.start(path)
        with pytest.raises(BlueprintError) as early:
            load(path)
        assert early_parse._started == {}
        assert [str(d) for d in early.value.diagnostics] == [
            str(d) for d in alone.value.diagnostics
        ], what
        assert alone.value.diagnostics[0].line > lines, what


def test_a_file_changed_after_the_start_is_loaded_as_it_is_now(tmp_path: Path) -> None:
    path = big(tmp_path)
    early_parse.start(path)
    early_parse._started[path].thread.join()  # type: ignore[union-attr]  # started above
    path.write_text(synthetic(170), encoding="utf-8")
    assert len(load(path).blueprint.services) == 170
