"""The no-op decision: is an output folder current for a blueprint, from bytes alone?

It runs before anything is parsed, on every commit (the pre-commit hook) and every
`render --check`, so it imports only the standard library's light modules: no pydantic,
PyYAML, Jinja2, networkx, dataclasses or argparse.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from blueprint import __version__, render_stamps
from blueprint.inputs import input_hashes
from blueprint.out_state import MANIFEST, FolderReader, parse_manifest, sha256_text
from blueprint.provenance import repository_name


def up_to_date(file: Path, out_dir: Path, environment: str | None) -> bool:
    """The manifest records this blueprint's hash and name, every other input's hash, this
    tool version and environment, and a full render; every file it lists is on disk with its
    recorded hash; and this installation's code recorded the folder as current
    (`render_stamps`), since the version alone does not say the code is the same."""
    try:
        manifest_bytes = (out_dir / MANIFEST).read_bytes()
    except OSError:
        return False
    manifest = parse_manifest(manifest_bytes)
    if (
        manifest is None
        or manifest.only
        or (manifest.tool_version, manifest.environment, manifest.source)
        != (__version__, environment, repository_name(file, out_dir))
        or _file_sha256(file) != manifest.source_sha256
        or manifest.inputs != input_hashes(file)
    ):
        return False
    read = FolderReader(out_dir)  # thousands of files share a few folders
    for path, digest in manifest.files.items():
        # Through a symlink it is not the file blueprint wrote, whatever it says.
        text = read(path)
        if text is None or sha256_text(text) != digest:
            return False
    return render_stamps.verified(out_dir, environment, manifest_bytes)


def _file_sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
