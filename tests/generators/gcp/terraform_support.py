"""Parsing the rendered Terraform with python-hcl2 and running terraform fmt."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import hcl2
import pytest
from hcl2 import SerializationOptions


def parse(text: str) -> dict[str, Any]:
    data: dict[str, Any] = hcl2.loads(
        text, serialization_options=SerializationOptions(strip_string_quotes=True)
    )
    return data


def parse_raw(text: str) -> dict[str, Any]:
    """String values keep their quotes and escapes, for tests/generators/gcp/hcl_literal.py."""
    data: dict[str, Any] = hcl2.loads(text)
    return data


def resources(files: dict[str, str]) -> dict[tuple[str, str], dict[str, Any]]:
    """(type, label) -> attributes, across every .tf file."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for path, text in files.items():
        if not path.endswith(".tf"):
            continue
        for block in parse(text).get("resource", []):
            for rtype, labelled in block.items():
                for label, body in labelled.items():
                    key = (rtype, label)
                    assert key not in found, f"duplicate resource {key}"
                    found[key] = body
    return found


def of_type(found: dict[tuple[str, str], dict[str, Any]], rtype: str) -> dict[str, dict[str, Any]]:
    return {label: body for (t, label), body in found.items() if t == rtype}


def terraform_fmt_check(directory: Path) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("terraform")
    if binary is None:
        pytest.skip("terraform is not on PATH; `terraform fmt -check` needs the binary")
    return subprocess.run(
        [binary, "fmt", "-check", "-recursive", "-diff", str(directory)],
        capture_output=True,
        text=True,
        env={**os.environ, "CHECKPOINT_DISABLE": "1"},
        timeout=120,
        check=False,
    )


def terraform_evaluate(literals: list[str], workdir: Path) -> list[str]:
    """What Terraform itself makes of HCL string literals: `terraform console` (offline, in an
    empty directory) evaluates them; base64 keeps the answer ASCII-safe."""
    binary = shutil.which("terraform")
    if binary is None:
        pytest.skip("terraform is not on PATH; evaluating HCL literals needs the binary")
    expression = f"base64encode(jsonencode([{', '.join(literals)}]))\n"
    proc = subprocess.run(
        [binary, "console"],
        input=expression,
        capture_output=True,
        text=True,
        cwd=workdir,
        env={**os.environ, "CHECKPOINT_DISABLE": "1", "TF_CLI_CONFIG_FILE": os.devnull},
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    answer = proc.stdout.strip().splitlines()[-1]
    assert answer.startswith('"') and answer.endswith('"'), proc.stdout
    values: list[str] = json.loads(base64.b64decode(answer[1:-1]).decode("utf-8"))
    return values


def neutralise_template_escapes(text: str) -> str:
    """python-hcl2 8.1 rejects an unbalanced `$${` (or `%%{`) escape that Terraform accepts
    (`"/$${"` is the string `/${`); replace the escapes by plain text before a structural parse.
    The literals themselves are checked with hcl_literal.decode and terraform_evaluate."""
    return text.replace("$${", "_ESCAPED_DOLLAR_{").replace("%%{", "_ESCAPED_PERCENT_{")
