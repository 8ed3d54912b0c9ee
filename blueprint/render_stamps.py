"""Which installation of blueprint last found an output folder current: the no-op's guard
against code that changed under the same version number.

The manifest in `out/` records the tool version, which is the same on every machine and for
every commit of a source checkout, so it cannot tell that a generator changed. After a full
render (or `render --check`) leaves a folder current, the pipeline records a stamp here, in
the user's cache, never in `out/`: the hash of the manifest's bytes and a key of the code
that produced it (the folders of blueprint's own packages and, in a source checkout, every
file by size and modification time; the Python version; and the site-packages folders, which
any install or upgrade touches). The no-op path takes a folder as current only when its
stamp matches; otherwise, on a fresh clone, after an upgrade or any edit of blueprint's code,
it takes the full path once and records a new stamp.

Standard library only, and no parsing: it runs on the no-op path.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sys
from pathlib import Path

CACHE_ENV = "BLUEPRINT_CACHE_DIR"
# blueprint's own top-level packages (pyproject.toml's packages.find), installed side by side.
PACKAGES = ("blueprint", "generators", "policies")
_STAMP_VERSION = "1"


def cache_dir() -> Path:
    """$BLUEPRINT_CACHE_DIR, else $XDG_CACHE_HOME/blueprint, else ~/.cache/blueprint."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "blueprint"


def code_key(root: Path | None = None) -> str:
    """A key that changes whenever the code that renders may have changed."""
    top = str(Path(__file__).resolve().parent.parent if root is None else root)
    site_packages = _site_packages()
    # pip replaces an installed package's files (new names in its folders), while a source
    # checkout's files are edited in place: there every file's size and time count.
    files = top not in site_packages
    entries: list[object] = [_STAMP_VERSION, sys.version]
    for package in PACKAGES:
        _walk(str(Path(top, package)), files, entries)
    for folder in site_packages:
        entries.append((folder, _mtime(folder)))
    return hashlib.sha256(repr(entries).encode("utf-8", "surrogateescape")).hexdigest()


def _walk(folder: str, files: bool, entries: list[object]) -> None:
    """With `files`, the size and modification time of every file below `folder`; without,
    the modification time of `folder` and of every folder below it (which change when pip
    adds or removes a file). In name order. It runs on every no-op (~30 folders, ~330 files),
    so plain strings and one scandir per folder."""
    try:
        if not files:
            entries.append((folder, Path(folder).stat().st_mtime_ns))
        with os.scandir(folder) as found:
            children = sorted(found, key=_name)
    except OSError:
        entries.append((folder, "missing"))
        return
    for entry in children:
        if entry.is_dir(follow_symlinks=False):
            if entry.name != "__pycache__":  # compiled copies, rewritten by the interpreter
                _walk(entry.path, files, entries)
        elif files:
            stat = entry.stat(follow_symlinks=False)
            entries.append((entry.path, stat.st_size, stat.st_mtime_ns))


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _site_packages() -> list[str]:
    import site  # already imported at start-up unless python -S

    try:
        return sorted(os.path.realpath(folder) for folder in site.getsitepackages())
    except AttributeError:  # some embedded interpreters
        return []


def _mtime(folder: str) -> int:
    try:
        return Path(folder).stat().st_mtime_ns
    except OSError:
        return 0


# Stamps kept per output folder: one per installation (a developer's checkout and pre-commit's
# hook environment render the same folder with different code) and a few recent code edits.
KEPT_PER_FOLDER = 8


def _stamp_folder(out_dir: Path, environment: str | None) -> Path:
    name = f"{out_dir.resolve()}\0{environment or ''}"
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return cache_dir() / "verified" / digest


@functools.cache
def _key_at_start() -> str:
    """The code key, once per process: a no-op over 200 blueprints asks 200 times, and each
    walk costs a few milliseconds. A key gone stale since (the code changed while this
    process ran) can only fail to match, which takes the full path; `record` computes afresh."""
    return code_key()


def verified(out_dir: Path, environment: str | None, manifest_bytes: bytes) -> bool:
    """This installation's code recorded `out_dir` as current with exactly this manifest."""
    stamp = _stamp_folder(out_dir, environment) / _key_at_start()[:32]
    try:
        recorded = stamp.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return recorded == hashlib.sha256(manifest_bytes).hexdigest()


def record(out_dir: Path, environment: str | None, manifest_bytes: bytes) -> None:
    """Remember that this code found `out_dir` current with this manifest. Best effort: an
    unwritable cache only costs the next run the full path."""
    folder = _stamp_folder(out_dir, environment)
    stamp = folder / code_key()[:32]
    temporary = folder / f".{stamp.name}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary.write_text(hashlib.sha256(manifest_bytes).hexdigest(), encoding="utf-8")
        os.replace(temporary, stamp)  # atomic: pool workers may record at the same time
        _prune(folder)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()


def _prune(folder: Path) -> None:
    """Keep the most recent stamps of a folder: each edit of a source checkout makes a new one."""
    stamps = sorted(
        (entry.stat().st_mtime_ns, entry.name)
        for entry in os.scandir(folder)
        if not entry.name.startswith(".")
    )
    for _mtime_ns, name in stamps[:-KEPT_PER_FOLDER]:
        with contextlib.suppress(OSError):
            (folder / name).unlink()
