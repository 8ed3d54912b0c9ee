"""Running checkov from its own virtual environment, offline, as a program.

checkov pins networkx<2.7, so it never shares the project's environment: `make test` creates
.venv-checkov and passes its path in CHECKOV_BIN.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def checkov_bin() -> Path:
    path = Path(os.environ.get("CHECKOV_BIN", ROOT / ".venv-checkov" / "bin" / "checkov"))
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"checkov not found at {path}: `make test` installs it in .venv-checkov")
        pytest.skip(f"checkov not installed at {path}; `make test` installs it in .venv-checkov")
    return path


@dataclass(frozen=True)
class CheckovResult:
    passed: int
    failed: int
    skipped: int
    parsing_errors: int
    failures: tuple[str, ...]  # "CKV_X resource (file:line): name"
    skips: tuple[str, ...]  # "CKV_X resource: reason"


# checkov's environment: no update check, no mapping download, warnings only.
CHECKOV_ENV = {
    "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true",
    "BC_SKIP_MAPPING": "TRUE",
    "LOG_LEVEL": "WARNING",
}
# Set to 0 to start the `checkov` program for every scan instead of the fork server.
FORK_SERVER = os.environ.get("BLUEPRINT_CHECKOV_FORK", "1") != "0"


def checkov_argv(directory: Path, framework: str) -> list[str]:
    return [
        "-d",
        str(directory),
        "--framework",
        framework,
        "--skip-download",
        "-o",
        "json",
        "--compact",
        "--soft-fail",
    ]


def run_checkov_program(directory: Path, framework: str) -> tuple[int, str, str]:
    """The `checkov` program itself, started for this one scan: (exit code, stdout, stderr)."""
    proc = subprocess.run(
        [str(checkov_bin()), *checkov_argv(directory, framework)],
        capture_output=True,
        text=True,
        env={**os.environ, **CHECKOV_ENV},
        timeout=600,
        check=False,
    )
    return proc.returncode, proc.stdout, proc.stderr


def run_checkov(directory: Path, framework: str) -> CheckovResult:
    # The fork server needs checkov's interpreter beside the program (a virtual environment's
    # bin/); a checkov installed otherwise is started as the program.
    if FORK_SERVER and (checkov_bin().parent / "python").is_file():
        code, stdout, stderr = forkserver().scan(checkov_argv(directory, framework))
    else:
        code, stdout, stderr = run_checkov_program(directory, framework)
    assert code == 0, f"checkov crashed ({code}):\n{stderr[-4000:]}"
    return parse_report(stdout)


def parse_report(stdout: str) -> CheckovResult:
    data = json.loads(stdout) if stdout.strip() else {}
    reports = data if isinstance(data, list) else [data]
    passed = failed = skipped = parsing = 0
    failures: list[str] = []
    skips: list[str] = []
    for report in reports:
        if not report:
            continue
        summary = report.get("summary", {})
        passed += summary.get("passed", 0)
        failed += summary.get("failed", 0)
        skipped += summary.get("skipped", 0)
        parsing += summary.get("parsing_errors", 0)
        results = report.get("results", {})
        for check in results.get("failed_checks", []):
            lines = check.get("file_line_range") or [0, 0]
            failures.append(
                f"{check['check_id']} {check['resource']} "
                f"({check['file_path']}:{lines[0]}): {check['check_name']}"
            )
        for check in results.get("skipped_checks", []):
            reason = (check.get("check_result") or {}).get("suppress_comment", "")
            skips.append(f"{check['check_id']} {check['resource']}: {reason}")
    return CheckovResult(
        passed, failed, skipped, parsing, tuple(sorted(failures)), tuple(sorted(skips))
    )


class CheckovForkServer:
    """tests/checkov_forkserver.py in checkov's interpreter: checkov imported once per test
    process, a fresh forked child per scan (the same argv, environment and working directory
    as the program would get; `test_checkov_forkserver.py` compares the two)."""

    def __init__(self, python: Path) -> None:
        self.files = Path(tempfile.mkdtemp(prefix="checkov-forkserver-"))
        self.proc = subprocess.Popen(
            [str(python), str(ROOT / "tests" / "checkov_forkserver.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, **CHECKOV_ENV},
            start_new_session=True,  # stopped with its scans when the tests end
        )
        self.scans = 0

    def scan(self, argv: list[str], timeout: float = 600) -> tuple[int, str, str]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.scans += 1
        out, err = self.files / f"{self.scans}.out", self.files / f"{self.scans}.err"
        request = {"argv": argv, "cwd": str(Path.cwd()), "stdout": str(out), "stderr": str(err)}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        if not select.select([self.proc.stdout], [], [], timeout)[0]:
            self.stop()
            raise AssertionError(f"checkov did not finish in {timeout} s: {argv}")
        answer = self.proc.stdout.readline()
        assert answer, f"the checkov fork server stopped (exit {self.proc.wait()})"
        stdout, stderr = out.read_text(), err.read_text()
        out.unlink()
        err.unlink()
        return int(answer), stdout, stderr

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        shutil.rmtree(self.files, ignore_errors=True)


@functools.cache
def forkserver() -> CheckovForkServer:
    """The test process's fork server, started at its first scan and stopped at exit."""
    python = checkov_bin().parent / "python"
    server = CheckovForkServer(python)
    atexit.register(server.stop)
    return server
