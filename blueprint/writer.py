"""Writing rendered files: inside the output directory only, atomically, deterministically.

The writer owns only the files listed in the output directory's manifest: it removes those it
no longer generates and never overwrites or deletes anything else. See `apply` for atomicity.
"""

from __future__ import annotations

import contextlib
import ctypes
import difflib
import hashlib
import json
import os
import secrets
import shutil
import stat
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MANIFEST = ".blueprint-manifest.json"
STAGING_PREFIX = ".blueprint-staging-"  # beside the output directory: .<name>.blueprint-staging-*


class UnsafePathError(ValueError):
    pass


@dataclass(frozen=True)
class Manifest:
    """What a render wrote: the tool version, the source and its hash, each file's hash."""

    tool_version: str
    source: str
    source_sha256: str
    environment: str | None
    files: Mapping[str, str]
    # The targets of a partial render (--only); their files are current, the others' may
    # not be. Empty for a full render, and then not written.
    only: tuple[str, ...] = ()
    # Every other file the render read (path -> sha256), so the no-op check can tell, from
    # bytes alone, that no input changed. Empty when the blueprint was the only input, and
    # then not written.
    inputs: Mapping[str, str] = field(default_factory=dict)

    def dumps(self) -> str:
        data: dict[str, object] = {
            "environment": self.environment,
            "files": dict(sorted(self.files.items())),
            "source": self.source,
            "source_sha256": self.source_sha256,
            "tool": "blueprint",
            "tool_version": self.tool_version,
        }
        if self.only:
            data["only"] = sorted(self.only)
        if self.inputs:
            data["inputs"] = dict(sorted(self.inputs.items()))
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def read(cls, out_dir: Path) -> Manifest | None:
        try:
            data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
            return cls(
                tool_version=str(data["tool_version"]),
                source=str(data["source"]),
                source_sha256=str(data["source_sha256"]),
                environment=data.get("environment"),
                files={str(k): str(v) for k, v in data["files"].items()},
                only=tuple(str(t) for t in data.get("only", ())),
                inputs={str(k): str(v) for k, v in data.get("inputs", {}).items()},
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_relative(path: str) -> PurePosixPath:
    """A relative POSIX path that stays inside the output directory, or UnsafePathError."""
    if not path or "\\" in path or "\x00" in path:
        raise UnsafePathError(f"unsafe output path {path!r}: expected a relative POSIX path")
    pure = PurePosixPath(path)
    if (
        pure.is_absolute()
        or not pure.parts
        or any(part in {"..", ".", ""} for part in pure.parts)
        or path.startswith("~")
    ):
        raise UnsafePathError(f"unsafe output path {path!r}: it would escape the output directory")
    if str(pure) != path:  # "a//b", "a/", "./a": two spellings would name one file
        raise UnsafePathError(f"unsafe output path {path!r}: expected the canonical {pure}")
    if pure.name == MANIFEST:
        raise UnsafePathError(f"output path {path!r} is reserved for the writer")
    return pure


def normalize(text: str) -> str:
    """LF line endings and a final newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if text.endswith("\n") or not text else text + "\n"


@dataclass(frozen=True)
class Plan:
    """What a render would change in an output directory."""

    write: dict[str, str]  # path -> new text (new or changed)
    remove: tuple[str, ...]  # files we wrote before and no longer generate
    unchanged: tuple[str, ...]
    manifest_changed: bool

    @property
    def changed(self) -> bool:
        return bool(self.write or self.remove or self.manifest_changed)


def plan(out_dir: Path, files: Mapping[str, str], manifest: Manifest) -> Plan:
    for path in files:
        check_relative(path)
    files = {path: normalize(text) for path, text in files.items()}
    previous = Manifest.read(out_dir)
    owned = set(previous.files) if previous else set()
    write: dict[str, str] = {}
    unchanged: list[str] = []
    for path in sorted(files):
        target = out_dir / path
        try:
            current = target.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            current = None
        if current == files[path]:
            unchanged.append(path)
        else:
            write[path] = files[path]
    remove = tuple(sorted(p for p in owned - set(files) if _safe_existing(out_dir, p)))
    old_manifest = (
        (out_dir / MANIFEST).read_text("utf-8") if (out_dir / MANIFEST).is_file() else None
    )
    return Plan(write, remove, tuple(unchanged), old_manifest != manifest.dumps())


def _safe_existing(out_dir: Path, path: str) -> bool:
    try:
        check_relative(path)
    except UnsafePathError:
        return False  # a tampered manifest never makes us delete outside out/
    return (out_dir / path).is_file()


def diff(out_dir: Path, p: Plan) -> str:
    """A unified diff of what `apply` would do."""
    chunks: list[str] = []
    for path, text in sorted(p.write.items()):
        target = out_dir / path
        old = target.read_text("utf-8", errors="replace") if target.is_file() else ""
        chunks.extend(
            difflib.unified_diff(
                old.splitlines(keepends=True),
                text.splitlines(keepends=True),
                fromfile=f"a/{path}" if target.is_file() else "/dev/null",
                tofile=f"b/{path}",
            )
        )
    for path in p.remove:
        old = (out_dir / path).read_text("utf-8", errors="replace")
        chunks.extend(
            difflib.unified_diff(
                old.splitlines(keepends=True), [], fromfile=f"a/{path}", tofile="/dev/null"
            )
        )
    if p.manifest_changed and not p.write and not p.remove:
        chunks.append(f"{MANIFEST} would change (source hash or tool version)\n")
    return "".join(
        c if c.endswith("\n") else c + "\n\\ No newline at end of file\n" for c in chunks
    )


class OwnershipError(ValueError):
    """A generated path collides with a file that blueprint did not write."""


def apply(out_dir: Path, files: Mapping[str, str], manifest: Manifest) -> Plan:
    """Write `files` into `out_dir` atomically; returns what changed.

    The whole new directory is staged beside `out_dir` (same filesystem), files that blueprint
    does not own are carried over as hard links, and the two directories are swapped in one
    renameat2(RENAME_EXCHANGE) call: readers and crashes see the old set or the new set.
    Where the kernel or filesystem cannot exchange, the old directory is renamed aside and the
    staged one renamed into place; a crash between the two renames is undone by `recover`,
    which every render runs first. Renders into one parent directory are serialized by a lock.
    """
    for path in files:
        check_relative(path)
    files = {path: normalize(text) for path, text in files.items()}
    out_dir = _absolute(out_dir)
    cwd = Path.cwd().resolve()
    if cwd == out_dir or out_dir in cwd.parents:
        raise UnsafePathError(
            f"output directory {out_dir} holds the working directory; expected a folder of its "
            "own (such as out/), since the whole directory is replaced"
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise OwnershipError(f"{out_dir} is a file, not a folder; expected an output folder")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with _locked(out_dir.parent):
        _recover(out_dir)
        p = plan(out_dir, files, manifest)
        if not p.changed:
            return p
        previous = Manifest.read(out_dir)
        owned = set(previous.files) if previous else set()
        _refuse_foreign(out_dir, files, owned)
        staging = _sibling(out_dir, STAGING_PREFIX)
        staging.mkdir()  # mode 0777 minus the umask, like any new folder
        try:
            if out_dir.is_dir():
                _copy_mode(out_dir, staging)
            for path in sorted(files):
                _write_synced(staging / path, files[path])
            _write_synced(staging / MANIFEST, manifest.dumps())
            if not out_dir.exists():
                _fsync_tree(staging)
                os.rename(staging, out_dir)
                _fsync_dir(out_dir.parent)
                return p
            _carry_foreign_files(out_dir, staging, owned | set(files))
            _fsync_tree(staging)
            if _exchange(staging, out_dir):
                _fsync_dir(out_dir.parent)
                return p  # `staging` now holds the old set and is removed below
            _swap_by_renames(out_dir, staging)
            return p
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _absolute(path: Path) -> Path:
    """The real directory: "." has no parent to stage beside, and a symlinked output folder
    is replaced at its target (swapping the link itself would orphan the target)."""
    return path.resolve()


def _refuse_foreign(out_dir: Path, files: Mapping[str, str], owned: set[str]) -> None:
    """Every generated path must be free or ours, and so must each of its parent folders."""
    for path in sorted(files):
        target = out_dir / path
        if target.is_dir() and not target.is_symlink():
            raise OwnershipError(
                f"{target} is a folder that blueprint did not make; expected a file there "
                "(move or delete the folder)"
            )
        if path in owned:
            continue
        if target.exists() or target.is_symlink():
            raise OwnershipError(
                f"{target} exists and was not written by blueprint (no entry in {MANIFEST}); "
                "move or delete it, blueprint never overwrites files it did not write"
            )
        for parent in PurePosixPath(path).parents:
            folder = out_dir / parent
            if (
                str(parent) != "."
                and (folder.is_symlink() or folder.exists())
                and not (folder.is_dir() and not folder.is_symlink())
            ):
                raise OwnershipError(
                    f"{folder} is not a folder and was not written by blueprint; blueprint "
                    f"needs it as a folder for {path} and never overwrites files it did not write"
                )


BACKUP_PREFIX = ".blueprint-old-"  # beside the output directory, during a rename swap


def _swap_by_renames(out_dir: Path, staging: Path) -> None:
    backup = _sibling(out_dir, BACKUP_PREFIX)
    os.rename(out_dir, backup)
    os.rename(staging, out_dir)
    _fsync_dir(out_dir.parent)
    shutil.rmtree(backup, ignore_errors=True)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on `folder` (flock on the directory itself: no lock file to leave)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: renders are not serialized
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _sibling(out_dir: Path, prefix: str) -> Path:
    """A fresh name beside `out_dir` (same filesystem), such as .aws.blueprint-staging-1f2e."""
    return out_dir.parent / f".{out_dir.name}{prefix}{secrets.token_hex(8)}"


def _copy_mode(source: Path, dest: Path) -> None:
    """The replacement keeps the permission bits of what it replaces."""
    dest.chmod(stat.S_IMODE(source.stat().st_mode))


def _carry_foreign_files(out_dir: Path, staging: Path, ours: set[str]) -> None:
    """Hard-link every file blueprint does not own into the staged tree; keep folder modes.

    Folders that only held files blueprint no longer generates are dropped; folders that were
    empty already (someone else's) are kept.
    """
    kept_empty: set[Path] = set()
    for dirpath, dirnames, filenames in os.walk(out_dir):
        here = Path(dirpath)
        rel_dir = here.relative_to(out_dir)
        if not dirnames and not filenames and here != out_dir:
            kept_empty.add(staging / rel_dir)
        entries = list(filenames)
        for d in list(dirnames):
            if (here / d).is_symlink():  # os.walk lists symlinks to folders as folders
                dirnames.remove(d)
                entries.append(d)
            else:
                folder = staging / rel_dir / d
                folder.mkdir(parents=True, exist_ok=True)
                _copy_mode(here / d, folder)
        for name in entries:
            rel = (rel_dir / name).as_posix()
            if rel in ours or rel == MANIFEST:
                continue
            dest = staging / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(here / name, dest, follow_symlinks=False)
            except OSError:
                shutil.copy2(here / name, dest, follow_symlinks=False)
    for dirpath, _dirnames, _filenames in os.walk(staging, topdown=False):
        folder = Path(dirpath)
        if folder != staging and folder not in kept_empty:
            with contextlib.suppress(OSError):
                folder.rmdir()


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2 RENAME_EXCHANGE)."""
    if sys.platform != "linux":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    renameat2.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2
    rc = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return bool(rc == 0)


def recover(out_dir: Path) -> None:
    """Undo what a killed render left: restore the old directory if a rename swap was cut
    between its two renames, then remove staging and backup directories."""
    out_dir = _absolute(out_dir)
    if out_dir.parent.is_dir():
        with _locked(out_dir.parent):
            _recover(out_dir)


def _recover(out_dir: Path) -> None:
    parent = out_dir.parent
    if not parent.is_dir():
        return
    backups = sorted(parent.glob(f".{out_dir.name}{BACKUP_PREFIX}*"))
    if backups and not out_dir.exists():
        os.rename(backups[0], out_dir)
        _fsync_dir(parent)
        backups = backups[1:]
    for leftover in [*parent.glob(f".{out_dir.name}{STAGING_PREFIX}*"), *backups]:
        shutil.rmtree(leftover, ignore_errors=True)


def _write_synced(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    for dirpath, _dirs, _files in os.walk(root):
        _fsync_dir(Path(dirpath))
