"""A local AWS endpoint: `moto_server` on 127.0.0.1 and an ephemeral port, in a child process.

The server binds port 0 and logs the port it got, so two sessions never race for a port. The
child dies with the test process (PR_SET_PDEATHSIG on Linux, and its own process group that
`stop` ends), so a crashed or killed pytest leaves no server behind.

Every client the tests make goes through `MotoEndpoint.client`: explicit fake credentials and
region, the server's URL as endpoint, and a `before-send` hook that refuses any request to
another host, so nothing reaches real AWS whatever the environment says.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

HOST = "127.0.0.1"
FAKE_ACCESS_KEY = "AKIAMOTOTESTONLY0000"  # moto's fake account; never a real key
FAKE_SECRET_KEY = "moto-test-secret-not-a-real-key"
START_TIMEOUT_SECONDS = 30.0
_RUNNING_ON = re.compile(rf"Running on http://{re.escape(HOST)}:(\d+)")
_PR_SET_PDEATHSIG = 1


class MotoUnavailableError(Exception):
    """moto_server could not be started here (the tests that need it skip with this text)."""


class OutsideMotoError(AssertionError):
    """A client tried to reach something other than the local moto server."""


# Paths under /dev/null: no file can ever exist there, which botocore reads as no config and no
# credentials file (/dev/null itself it refuses to parse).
NO_FILE = Path(os.devnull)


def isolated_environment(base: dict[str, str]) -> dict[str, str]:
    """`base` without any AWS_* setting (profiles, keys, endpoints, config files), pointed at
    config files that do not exist, with instance metadata lookups off: no real credential or
    endpoint can be found."""
    env = {k: v for k, v in base.items() if not k.startswith("AWS_")}
    env.update(
        {
            "AWS_ACCESS_KEY_ID": FAKE_ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": FAKE_SECRET_KEY,
            "AWS_CONFIG_FILE": str(NO_FILE / "config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(NO_FILE / "credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    return env


@functools.cache
def _session() -> boto3.session.Session:
    """One boto3 session for every client: creating one loads botocore's data, a large share of
    a test's time when done per call. Credentials are given per client, never looked up."""
    return boto3.session.Session()


@dataclass(frozen=True)
class MotoEndpoint:
    url: str
    log: Path | None = None  # the server's output, for failure messages
    _clients: dict[tuple[str, ...], Any] = field(default_factory=dict, compare=False, repr=False)

    def log_tail(self, lines: int = 40) -> str:
        """The end of the server's output (a traceback, when moto answered 500)."""
        return "" if self.log is None else "\n".join(_read(self.log).splitlines()[-lines:])

    def client(
        self,
        service: str,
        region: str,
        *,
        access_key: str = FAKE_ACCESS_KEY,
        secret_key: str = FAKE_SECRET_KEY,
        session_token: str | None = None,
    ) -> Any:
        key = (service, region, access_key, secret_key, session_token or "")
        if key not in self._clients:
            client = _session().client(
                service,
                region_name=region,
                endpoint_url=self.url,
                aws_access_key_id=access_key,
                aws_secret_access_key=secret_key,
                aws_session_token=session_token,
                config=Config(
                    retries={"max_attempts": 1, "mode": "standard"},
                    s3={"addressing_style": "path"},
                    connect_timeout=5,
                    read_timeout=60,
                ),
            )
            client.meta.events.register("before-send", self._only_moto)
            self._clients[key] = client
        return self._clients[key]

    def _only_moto(self, request: Any, **_: Any) -> None:
        if not str(request.url).startswith(self.url + "/"):
            raise OutsideMotoError(f"refused a request outside moto: {request.url}")

    def post(self, path: str, body: str = "") -> str:
        """A POST to moto's own API (/moto-api/...), which is no AWS call."""
        # Not form-encoded (urllib's default), or moto's Flask would read the body as a form.
        req = urllib.request.Request(
            self.url + path,
            data=body.encode(),
            method="POST",
            headers={"Content-Type": "application/octet-stream"},
        )
        with urllib.request.urlopen(req, timeout=10) as response:
            return str(response.read().decode())

    def reset(self) -> None:
        """Forget every resource of every account and region."""
        self.post("/moto-api/reset")

    def enforce_iam(self, enforced: bool) -> None:
        """Turn moto's IAM enforcement on (every request from now on must be signed by a known
        key and allowed by its policies) or off (the default: anything goes)."""
        self.post("/moto-api/reset-auth", "0" if enforced else "inf")


@dataclass
class MotoServer:
    process: subprocess.Popen[bytes]
    log: Path
    endpoint: MotoEndpoint

    def log_tail(self, lines: int = 20) -> str:
        return "\n".join(_read(self.log).splitlines()[-lines:])


def _die_with_parent() -> None:
    """In the child before exec: receive SIGTERM when the test process dies (Linux only)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _read(path: Path) -> str:
    try:
        return path.read_text(errors="replace")
    except OSError:
        return ""


def start() -> MotoServer:
    """Start moto_server and wait until it answers; MotoUnavailableError when it cannot."""
    return wait_ready(launch())


def launch() -> MotoServer:
    """Start moto_server without waiting (the caller can work while it boots: `wait_ready`)."""
    if importlib.util.find_spec("moto.server") is None or importlib.util.find_spec("flask") is None:
        raise MotoUnavailableError("moto[server] is not installed (pip install -e '.[test]')")
    fd, name = tempfile.mkstemp(prefix="moto-server-", suffix=".log")
    log = Path(name)
    # `python -m moto.server` is what the moto_server script runs; the interpreter running the
    # tests guarantees the moto version of this environment, whatever PATH holds.
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "--host", HOST, "--port", "0"],
        stdin=subprocess.DEVNULL,
        stdout=fd,
        stderr=fd,
        env=isolated_environment(dict(os.environ)),
        start_new_session=True,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )
    os.close(fd)
    return MotoServer(process, log, MotoEndpoint(""))


def wait_ready(server: MotoServer) -> MotoServer:
    """Wait until the launched server logs its port and answers; MotoUnavailableError (and the
    server stopped) when it does not."""
    try:
        url = f"http://{HOST}:{_wait_for_port(server)}"
        server.endpoint = MotoEndpoint(url, server.log)
        _wait_until_answering(server)
    except MotoUnavailableError:
        stop(server)
        raise
    return server


def _wait_for_port(server: MotoServer) -> int:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        match = _RUNNING_ON.search(_read(server.log))
        if match:
            return int(match.group(1))
        if server.process.poll() is not None:
            raise MotoUnavailableError(
                f"moto_server exited with {server.process.returncode}:\n{server.log_tail()}"
            )
        time.sleep(0.05)
    raise MotoUnavailableError(f"moto_server logged no port in {START_TIMEOUT_SECONDS:.0f} s")


def _wait_until_answering(server: MotoServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    url = server.endpoint.url + "/moto-api/data.json"
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if server.process.poll() is not None:
            raise MotoUnavailableError(
                f"moto_server exited with {server.process.returncode}:\n{server.log_tail()}"
            )
        time.sleep(0.05)
    raise MotoUnavailableError(f"moto_server did not answer {url} in {START_TIMEOUT_SECONDS:.0f} s")


def stop(server: MotoServer) -> None:
    """Kill the server's process group, reap it, remove its log. SIGKILL at once: the server
    keeps nothing worth flushing, and its SIGTERM path (sys.exit, then tearing down every moto
    module) takes seconds."""
    if server.process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=30)
    server.log.unlink(missing_ok=True)


WARM_UP_STACK = "moto-warm-up"


def warm_up(endpoint: MotoEndpoint, region: str = "us-east-1") -> threading.Thread:
    """In the background, make the server load its CloudFormation models (every moto backend:
    seconds) while the caller renders; its own boto3 session, since sessions are not
    thread-safe. A failure here only loses the head start."""

    def run() -> None:
        with contextlib.suppress(Exception):
            session = boto3.session.Session()
            cfn = session.client(
                "cloudformation",
                region_name=region,
                endpoint_url=endpoint.url,
                aws_access_key_id=FAKE_ACCESS_KEY,
                aws_secret_access_key=FAKE_SECRET_KEY,
            )
            cfn.meta.events.register("before-send", endpoint._only_moto)
            handle = {"Type": "AWS::CloudFormation::WaitConditionHandle"}
            cfn.create_stack(
                StackName=WARM_UP_STACK, TemplateBody=json.dumps({"Resources": {"W": handle}})
            )

    thread = threading.Thread(target=run, name="moto-warm-up", daemon=True)
    thread.start()
    return thread
