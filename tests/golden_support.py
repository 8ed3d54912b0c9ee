"""Golden files: compare rendered files with tests/golden/..., one unified diff per mismatch.

Set BLUEPRINT_UPDATE_GOLDEN=1 (or run `make golden`) to rewrite them; review the git diff.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from pathlib import Path

GOLDEN_ROOT = Path(__file__).parent / "golden"
UPDATE = os.environ.get("BLUEPRINT_UPDATE_GOLDEN") == "1"


def assert_golden(files: Mapping[str, str], golden_dir: Path) -> None:
    if UPDATE:
        if golden_dir.exists():
            for old in sorted(golden_dir.rglob("*"), reverse=True):
                if old.is_file():
                    old.unlink()
                elif old.is_dir() and not any(old.iterdir()):
                    old.rmdir()
        for path, text in files.items():
            target = golden_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
        return
    expected = (
        {
            p.relative_to(golden_dir).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(golden_dir.rglob("*"))
            if p.is_file()
        }
        if golden_dir.exists()
        else {}
    )
    problems: list[str] = []
    for path in sorted(set(expected) - set(files)):
        problems.append(f"missing from the render: {path}")
    for path in sorted(set(files) - set(expected)):
        problems.append(f"not in the golden files: {path}")
    for path in sorted(set(files) & set(expected)):
        if files[path] != expected[path]:
            problems.append(
                "".join(
                    difflib.unified_diff(
                        expected[path].splitlines(keepends=True),
                        files[path].splitlines(keepends=True),
                        fromfile=f"golden/{path}",
                        tofile=f"rendered/{path}",
                    )
                )
            )
    assert not problems, (
        f"{len(problems)} golden mismatch(es) in {golden_dir} "
        "(BLUEPRINT_UPDATE_GOLDEN=1 to update):\n" + "\n".join(problems)
    )
