"""Test driver (run as a script): render a large generated file set with writer.apply.

Used by test_writer_atomicity.py, which SIGKILLs it at random moments. Only this driver reads
BLUEPRINT_TEST_WRITE_DELAY: it slows every file write, rename and exchange of the writer so
that kills land in every phase (staging, carrying foreign files, the swap, the clean-up).

usage: python tests/blueprint/writer_driver.py OUT_DIR GENERATION [--no-exchange]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from blueprint import out_state, writer

FILE_COUNT = 60


def file_set(generation: str) -> dict[str, str]:
    files = {
        f"target{i % 4}/folder{i % 3}/file{i:04d}.txt": f"{generation} {i}\n" * 40
        for i in range(FILE_COUNT)
    }
    files[f"only-{generation}/marker.txt"] = f"{generation}\n"  # the sets differ in names too
    return files


def manifest(files: dict[str, str]) -> writer.Manifest:
    return writer.Manifest(
        tool_version="test",
        source="blueprint.yaml",
        source_sha256="0" * 64,
        environment=None,
        files={p: out_state.sha256_text(t) for p, t in files.items()},
    )


def _slowed(function: Any, delay: float, *, before: bool) -> Any:
    def slow(*args: Any, **kwargs: Any) -> Any:
        if before:
            time.sleep(delay)
        result = function(*args, **kwargs)
        if not before:
            time.sleep(delay)
        return result

    return slow


def main(argv: list[str]) -> int:
    out, generation = Path(argv[0]), argv[1]
    if "--no-exchange" in argv:
        writer._exchange = lambda a, b: False  # the rename fallback
    delay = float(os.environ.get("BLUEPRINT_TEST_WRITE_DELAY", "0"))
    if delay:
        # fsync guards against power loss, not SIGKILL; skipping it keeps the kill loop quick.
        os.fsync = lambda fd: None
        writer._syncfs = lambda fd: True
        writer._write_synced = _slowed(writer._write_synced, delay, before=True)
        writer._exchange = _slowed(writer._exchange, delay * 50, before=False)
        os.rename = _slowed(os.rename, delay * 50, before=False)
    files = file_set(generation)
    writer.apply(out, files, manifest(files))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
