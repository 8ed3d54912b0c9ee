"""What an output folder holds, read from bytes: its manifest's fields, the text of a file it
owns, and what a killed render left beside it.

Standard library only and no dataclasses: the pre-commit no-op reads these before deciding
anything else, and `blueprint.writer` (which writes them) builds on the same readers.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

MANIFEST = ".blueprint-manifest.json"
# Beside the output directory: .<name>.blueprint-staging-<hex> while a render writes, and
# .<name>.blueprint-old-<hex> between the two renames of a swap.
STAGING_PREFIX = ".blueprint-staging-"
BACKUP_PREFIX = ".blueprint-old-"


class ManifestFields:
    """A manifest's fields as read, which `writer.Manifest` is made of. A plain class: the
    no-op imports neither dataclasses nor typing."""

    __slots__ = (
        "environment",
        "files",
        "inputs",
        "only",
        "source",
        "source_sha256",
        "tool_version",
    )

    def __init__(self, data: Mapping[str, object]) -> None:
        self.tool_version = str(data["tool_version"])
        self.source = str(data["source"])
        self.source_sha256 = str(data["source_sha256"])
        environment = data.get("environment")
        if not (environment is None or isinstance(environment, str)):
            raise TypeError("expected an environment name or null")
        self.environment: str | None = environment
        self.files = {str(k): str(v) for k, v in _mapping(data["files"]).items()}
        self.only = tuple(str(t) for t in _sequence(data.get("only", ())))
        self.inputs = {str(k): str(v) for k, v in _mapping(data.get("inputs", {})).items()}


def _mapping(value: object) -> Mapping[object, object]:
    if not isinstance(value, Mapping):
        raise TypeError("expected a mapping")
    return value


def _sequence(value: object) -> list[object] | tuple[object, ...]:
    if not isinstance(value, list | tuple):
        raise TypeError("expected a list")
    return value


def manifest_fields(out_dir: Path) -> ManifestFields | None:
    """The manifest's fields, typed as `writer.Manifest` takes them; None when it is missing
    or not a manifest blueprint wrote."""
    try:
        return parse_manifest((out_dir / MANIFEST).read_bytes())
    except OSError:
        return None


def parse_manifest(text: bytes) -> ManifestFields | None:
    try:
        data = json.loads(text.decode("utf-8"))
        if not isinstance(data, dict):
            return None
        return ManifestFields(data)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        # ValueError covers UnicodeDecodeError; RecursionError, a tampered manifest of deeply
        # nested brackets.
        return None


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def symlink_on_path(out_dir: Path, path: str) -> Path | None:
    """The first folder or file of `path` below `out_dir` that is a symbolic link, if any."""
    current = out_dir
    for part in PurePosixPath(path).parts:
        current = current / part
        if current.is_symlink():
            return current
    return None


class FolderReader:
    """The text of each regular file asked for below one output folder; None when it is missing,
    not UTF-8, unreadable, or reached through a symbolic link (then its content is not ours,
    whatever it says: a link to an identical file outside out/ is not the file blueprint
    wrote). Each folder on the way is looked at once (thousands of files share a few folders),
    and a folder that is missing, not a folder, or reached through a link answers None for
    every file in it, without a look at the files."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.folders: dict[str, bool] = {}  # folder (relative) -> files in it can be read

    def __call__(self, path: str) -> str | None:
        folder, _, _ = path.rpartition("/")
        readable = self.folders.get(folder)
        if readable is None:
            readable = (
                symlink_on_path(self.out_dir, folder) is None and (self.out_dir / folder).is_dir()
                if folder
                else self.out_dir.is_dir()
            )
            self.folders[folder] = readable
        if not readable:
            return None
        target = self.out_dir / path
        if target.is_symlink():
            return None
        try:
            return target.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None


def is_leftover(out_dir: Path, name: str, prefixes: tuple[str, ...]) -> bool:
    """`name`, beside the real folder `out_dir`, is one of its renders' folders with one of
    these prefixes: the exact prefix and a hex token (never a glob, which would read `[ab]` or
    `?` in the folder's name as patterns and match other folders' staging)."""
    for prefix in prefixes:
        start = f".{out_dir.name}{prefix}"
        token = name[len(start) :]
        if name.startswith(start) and token and all(c in "0123456789abcdef" for c in token):
            return True
    return False


def has_leftovers(out_dir: Path, hidden: dict[Path, list[str] | None]) -> bool:
    """A render of `out_dir` was killed (or is running): its staging or backup folder is there.
    `hidden` keeps each parent folder's dot-names, so 200 output folders side by side cost one
    look at their parent, not 200."""
    real = out_dir.resolve()  # as the writer names them: "." has no name of its own
    if real.parent not in hidden:
        try:
            with os.scandir(real.parent) as found:
                hidden[real.parent] = [e.name for e in found if e.name.startswith(".")]
        except OSError:
            hidden[real.parent] = None
    names = hidden[real.parent]
    if names is None:
        return True  # cannot tell: the full path finds out and says why
    return any(is_leftover(real, name, (STAGING_PREFIX, BACKUP_PREFIX)) for name in names)
