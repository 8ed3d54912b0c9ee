"""Atomicity: a render SIGKILLed at any moment leaves the complete old or the complete new set.

A driver subprocess (writer_driver.py) renders 61 files with every write slowed down and is
killed at a random moment, many times, alternating between two generations of the file set.
After every kill the output folder must equal one of the two reference trees byte for byte,
foreign files included; the next render must recover and leave no staging folder behind.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from blueprint import writer
from tests.blueprint import writer_driver
from tests.blueprint.test_writer import leftovers, tree
from tests.conftest import ROOT

DRIVER = Path(writer_driver.__file__)
DELAY = 0.002  # seconds per file write; renames and the exchange wait 50 times longer
KILLS = {"exchange": 20, "rename-fallback": 12}  # the fallback runs slower


def reference(tmp_path: Path, generation: str) -> dict[str, bytes]:
    out = tmp_path / f"reference-{generation}"
    out.mkdir()
    (out / "mine.txt").write_text("a file blueprint did not write\n")
    files = writer_driver.file_set(generation)
    writer.apply(out, files, writer_driver.manifest(files))
    return tree(out)


def start(out: Path, generation: str, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "BLUEPRINT_TEST_WRITE_DELAY": str(DELAY)}
    return subprocess.Popen(
        [sys.executable, str(DRIVER), str(out), generation, *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def full_run_seconds(out: Path, generation: str, *extra: str) -> float:
    began = time.monotonic()
    process = start(out, generation, *extra)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err.decode()
    return time.monotonic() - began


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["exchange", "rename-fallback"])
def test_a_killed_render_leaves_the_old_or_the_new_set(tmp_path: Path, mode: str) -> None:
    extra = ("--no-exchange",) if mode == "rename-fallback" else ()
    expected = {g: reference(tmp_path, g) for g in ("old", "new")}
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("a file blueprint did not write\n")
    full_run_seconds(out, "old", *extra)
    duration = full_run_seconds(out, "new", *extra)
    full_run_seconds(out, "old", *extra)
    current = "old"
    rng = random.Random()
    outcomes = {"old": 0, "new": 0}  # which set each kill left
    for _ in range(KILLS[mode]):
        target = "new" if current == "old" else "old"
        process = start(out, target, *extra)
        time.sleep(rng.uniform(0.0, duration * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        if mode == "rename-fallback":
            # Between its two renames the fallback has no output folder: recover() puts the
            # old one back, as every render does first.
            writer.recover(out)
        state = tree(out)
        assert state in (expected[current], expected[target]), (
            f"after a kill the output is neither the complete {current!r} set nor the "
            f"complete {target!r} set: {sorted(set(state) ^ set(expected[current]))[:5]}"
        )
        landed_new = state == expected[target]
        outcomes["new" if landed_new else "old"] += 1
        current = target if landed_new else current
    # The next render recovers: no staging or backup folder is left, and it completes.
    final = "new" if current == "old" else "old"
    full_run_seconds(out, final, *extra)
    assert tree(out) == expected[final]
    assert leftovers(out) == []
    print(f"{mode}: {KILLS[mode]} kills over {duration:.2f} s runs, outcomes {outcomes}")
