"""Running checkov from its own virtual environment, offline, as a program.

checkov pins networkx<2.7, so it never shares the project's environment: `make test` creates
.venv-checkov and passes its path in CHECKOV_BIN.
"""

from __future__ import annotations

import json
import os
import subprocess
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


def run_checkov(directory: Path, framework: str) -> CheckovResult:
    env = {
        **os.environ,
        "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true",
        "BC_SKIP_MAPPING": "TRUE",
        "LOG_LEVEL": "WARNING",
    }
    proc = subprocess.run(
        [
            str(checkov_bin()),
            "-d",
            str(directory),
            "--framework",
            framework,
            "--skip-download",
            "-o",
            "json",
            "--compact",
            "--soft-fail",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, f"checkov crashed ({proc.returncode}):\n{proc.stderr[-4000:]}"
    data = json.loads(proc.stdout) if proc.stdout.strip() else {}
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
