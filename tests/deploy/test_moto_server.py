"""The local AWS itself: no real credential or endpoint leaks in, no request leaves it, and no
server outlives its test process, even one that is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.deploy.moto_server import (
    FAKE_ACCESS_KEY,
    MotoEndpoint,
    MotoServer,
    MotoUnavailableError,
    OutsideMotoError,
    isolated_environment,
    start,
    stop,
)
from tests.support import ROOT


def test_the_environment_keeps_no_aws_setting() -> None:
    env = isolated_environment(
        {"PATH": "/bin", "AWS_PROFILE": "prod", "AWS_ENDPOINT_URL": "https://x", "AWS_REGION": "x"}
    )
    assert env["PATH"] == "/bin"
    assert env["AWS_ACCESS_KEY_ID"] == FAKE_ACCESS_KEY
    assert env["AWS_EC2_METADATA_DISABLED"] == "true"
    assert not {"AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_REGION"} & set(env)
    assert not Path(env["AWS_CONFIG_FILE"]).exists()
    assert not Path(env["AWS_SHARED_CREDENTIALS_FILE"]).exists()


def test_a_request_to_another_host_is_refused() -> None:
    endpoint = MotoEndpoint("http://127.0.0.1:5999")
    endpoint._only_moto(SimpleNamespace(url="http://127.0.0.1:5999/bucket/key"))
    with pytest.raises(OutsideMotoError, match=r"refused a request outside moto: https://s3\."):
        endpoint._only_moto(SimpleNamespace(url="https://s3.eu-west-2.amazonaws.com/bucket"))
    with pytest.raises(OutsideMotoError):
        endpoint._only_moto(SimpleNamespace(url="http://127.0.0.1:59990/"))


def _gone(pid: int) -> bool:
    """No such process, or only its zombie (an orphan waits for whoever reaps orphans here)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


def _server_or_skip() -> MotoServer:
    try:
        return start()
    except MotoUnavailableError as e:
        pytest.skip(f"moto_server could not start: {e}")


@pytest.mark.slow
def test_stop_leaves_no_process_and_no_log() -> None:
    server = _server_or_skip()
    pid, log = server.process.pid, server.log
    stop(server)
    assert server.process.returncode is not None
    assert _gone(pid)
    assert not log.exists()


@pytest.mark.slow
def test_a_killed_test_process_takes_its_server_with_it() -> None:
    """A pytest killed with SIGKILL runs no fixture teardown: the server dies with it anyway
    (PR_SET_PDEATHSIG)."""
    script = textwrap.dedent(
        """
        import sys, time
        from tests.deploy.moto_server import start
        server = start()
        print(server.process.pid, flush=True)
        time.sleep(60)
        """
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert parent.stdout is not None
        line = parent.stdout.readline()
        if not line.strip():
            pytest.skip("moto_server could not start in the child process")
        server_pid = int(line)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 20
        while not _gone(server_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _gone(server_pid)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(timeout=10)
