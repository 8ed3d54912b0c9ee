"""The console entry point leaves without the interpreter's teardown (`blueprint.cli.leave`):
what a command wrote, its exit code and its exit handlers are exactly those of the ordinary
exit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.check_scaling import synthetic
from tests.conftest import ROOT
from tests.support import run_cli


def python(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *argv], cwd=ROOT, capture_output=True, text=True, check=False
    )


def blueprint(*argv: str) -> subprocess.CompletedProcess[str]:
    return python("-m", "blueprint", *argv)


@pytest.mark.parametrize("fmt", ["json", "text", "sarif"])
def test_every_byte_and_the_exit_code_reach_the_caller(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(synthetic(300), encoding="utf-8")  # ~450 findings: stdout past any buffer
    code, out, err = run_cli("check", str(path), "--format", fmt)
    done = blueprint("check", str(path), "--format", fmt)
    assert (done.returncode, done.stdout, done.stderr) == (code, out, err)
    assert len(done.stdout) > 65536


def test_a_failing_check_exits_1_and_a_bad_blueprint_2(tmp_path: Path) -> None:
    done = blueprint("check", "examples/latency-chain/blueprint.yaml", "--fail-on", "warning")
    assert done.returncode == 1
    assert "BP3001" in done.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nservices: {a: {platform: nowhere}}\n", encoding="utf-8")
    done = blueprint("check", str(bad))
    assert done.returncode == 2
    assert done.stdout == ""
    assert f"{bad}:2:" in done.stderr


def test_exit_handlers_still_run_and_their_output_is_kept() -> None:
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('handler ran', flush=False))\n"
        "from blueprint.cli import leave\n"
        "print('before', end='')\n"
        "leave(3)\n"
    )
    done = python("-c", probe)
    assert (done.returncode, done.stdout, done.stderr) == (3, "beforehandler ran\n", "")


def test_a_thread_still_running_is_waited_for() -> None:
    probe = (
        "import threading, time\n"
        "from blueprint.cli import leave\n"
        "threading.Thread(target=lambda: (time.sleep(0.2), print('thread done'))).start()\n"
        "leave(0)\n"
    )
    done = python("-c", probe)
    assert (done.returncode, done.stdout) == (0, "thread done\n")


def test_a_command_runs_without_the_cycle_collector() -> None:
    # It would only re-scan the model and the graph, which have next to no cycles; the
    # process leaves without freeing them anyway.
    probe = (
        "import gc\n"
        "import blueprint.cli as cli\n"
        "cli.main = lambda: print('collector on' if gc.isenabled() else 'collector off') or 0\n"
        "cli.entry_point()\n"
    )
    assert python("-c", probe).stdout == "collector off\n"
    assert python("-c", "import gc, blueprint.cli; print(gc.isenabled())").stdout == "True\n"
