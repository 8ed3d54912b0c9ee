"""Finding the browser tools the report tests need, and skipping with a message when absent."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.support import ROOT

EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/blueprint.yaml"))
# The flags the browser runs with here: no sandbox (root in CI), nothing fetched in the
# background, a fresh profile per run (given separately).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
INSTALL_HINT = "run `bash .ci/install-tools.sh` (Debian's chromium, the Mermaid CLI)"


def chromium() -> str | None:
    """Debian's Chromium, or the one named by BLUEPRINT_CHROMIUM."""
    named = os.environ.get("BLUEPRINT_CHROMIUM")
    if named:
        return named if Path(named).is_file() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def mmdc() -> Path | None:
    path = ROOT / ".tools" / "node_modules" / ".bin" / "mmdc"
    return path if path.is_file() else None
