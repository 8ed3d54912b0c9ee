"""Progress on a terminal while several blueprints are processed."""

from __future__ import annotations

import sys
from pathlib import Path


def report_progress(done: int, total: int, file: Path) -> None:
    """One line per finished blueprint on a terminal, when there are several."""
    if total > 1 and sys.stderr.isatty():
        print(f"[{done}/{total}] {file}", file=sys.stderr, flush=True)
