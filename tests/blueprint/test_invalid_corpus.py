"""The corpus of invalid blueprints: each is rejected with exactly the expected lines.

tests/data/invalid/<name>.yaml is validated; <name>.expected holds the exact stderr and
<name>.args, when present, extra arguments for `blueprint validate`. Set
BLUEPRINT_UPDATE_GOLDEN=1 to rewrite the .expected files (and review the git diff).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from blueprint.loader import MAX_BYTES
from tests.conftest import ROOT, TEST_DATA
from tests.support import run_cli

CORPUS = TEST_DATA / "invalid"
CASES = sorted(p.stem for p in CORPUS.glob("*.yaml"))
UPDATE = os.environ.get("BLUEPRINT_UPDATE_GOLDEN") == "1"
LINE = re.compile(r"^tests/data/invalid/(?P<name>[a-z0-9-]+)\.yaml:(?P<line>\d+):(?P<col>\d+): ")


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 45


@pytest.mark.parametrize("name", CASES)
def test_invalid_blueprint_is_rejected_with_positioned_lines(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    args_file = CORPUS / f"{name}.args"
    extra = args_file.read_text(encoding="utf-8").split() if args_file.exists() else []
    code, out, err = run_cli("validate", f"tests/data/invalid/{name}.yaml", *extra)
    expected_file = CORPUS / f"{name}.expected"
    if UPDATE:
        expected_file.write_text(err, encoding="utf-8", newline="\n")
    assert (code, out) == (2, "")
    assert err == expected_file.read_text(encoding="utf-8")
    lines = err.splitlines()
    assert lines, "no problem reported"
    for line in lines:
        match = LINE.match(line)
        assert match is not None, line
        assert match["name"] == name
        message = line[match.end() :]
        assert "expected" in message, line
        assert message.startswith(("found ", "unknown ", "missing ", "invalid YAML: found")), line
    positions = [tuple(int(x) for x in LINE.match(ln).group("line", "col")) for ln in lines]  # type: ignore[union-attr]
    assert positions == sorted(positions)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.write(b"name: big\n")
        fh.truncate(MAX_BYTES + 1)  # sparse: nothing is actually written
    code, out, err = run_cli("validate", str(big))
    assert (code, out) == (2, "")
    assert err == (
        f"{big.as_posix()}:1:1: found a file of {MAX_BYTES + 1} bytes, expected at most "
        f"{MAX_BYTES} bytes (16 MiB); split the system into several blueprints, or check that "
        "this is a blueprint\n"
    )


def test_a_file_exactly_at_the_size_limit_is_read(tmp_path: Path) -> None:
    at_limit = tmp_path / "limit.yaml"
    text = b"name: big\ndescription: x\n"
    at_limit.write_bytes(text + b"#" * (MAX_BYTES - len(text)))
    code, out, err = run_cli("validate", str(at_limit))
    assert (code, err) == (0, "")
    assert out.startswith(f"{at_limit.as_posix()}: ok (big:")


def test_a_missing_file_is_bad_input(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    code, out, err = run_cli("validate", str(missing))
    assert (code, out) == (2, "")
    assert err == f"{missing.as_posix()}:1:1: cannot read the file: No such file or directory\n"
