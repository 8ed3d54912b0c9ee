"""The checkov fork server (tests/checkov_forkserver.py) answers exactly as the `checkov`
program started for the scan: the same exit code and the same report, check by check, on
inputs with passed, failed and skipped checks in two frameworks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.checkov_support import (
    checkov_argv,
    forkserver,
    parse_report,
    run_checkov_program,
)

pytestmark = pytest.mark.checkov

TERRAFORM = """\
resource "aws_s3_bucket" "logs" {
  # checkov:skip=CKV_AWS_18: the access-log bucket does not log to itself
  bucket = "logs"
}

resource "aws_security_group" "open" {
  name = "open"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""
KUBERNETES = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  annotations:
    checkov.io/skip1: CKV_K8S_9=the probes are not what this input is about
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
"""


def _sorted_report(stdout: str) -> Any:
    """The JSON report with each result list in a fixed order: checkov's parallel runner
    does not keep one, and `evaluated_keys` comes from a set (string hashing differs between
    two runs of the program too)."""
    reports = json.loads(stdout)
    for report in reports if isinstance(reports, list) else [reports]:
        for name, checks in report.get("results", {}).items():
            for check in checks if name != "parsing_errors" else []:
                result = check.get("check_result") or {}
                if "evaluated_keys" in result:
                    result["evaluated_keys"] = sorted(result["evaluated_keys"])
            report["results"][name] = sorted(checks, key=lambda c: json.dumps(c, sort_keys=True))
    return reports


@pytest.mark.parametrize(
    ("framework", "name", "text"),
    [("terraform", "main.tf", TERRAFORM), ("kubernetes", "web.yaml", KUBERNETES)],
)
def test_the_fork_server_answers_as_the_program(
    framework: str, name: str, text: str, tmp_path: Path
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    program = run_checkov_program(tmp_path, framework)
    forked = forkserver().scan(checkov_argv(tmp_path, framework))
    assert forked[0] == program[0] == 0, forked[2][-4000:]
    assert _sorted_report(forked[1]) == _sorted_report(program[1])
    result = parse_report(forked[1])
    assert result.failed > 0 and result.passed > 0 and result.skipped > 0
