"""The writer under faults (issue 21, defect 4): unreadable and unwritable folders, a tampered
manifest, glob characters in the output folder's name, symlinks where blueprint wrote.

Permission tests need a user the kernel holds to permissions: when the suite runs as root, they
run the writer as a dedicated unprivileged user the fixture creates (`useradd`), and skip with a
message when that is impossible.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from blueprint import writer
from blueprint.writer import MANIFEST, OutputFolderError, OwnershipError
from tests.blueprint.test_writer import leftovers, manifest_for, render, tree
from tests.support import ROOT, run_cli

UNPRIVILEGED = "blueprint-test-unprivileged"


@dataclass(frozen=True)
class User:
    uid: int
    gid: int
    home: Path  # a folder of its own to work in, removed afterwards

    def apply(self, out: Path, files: dict[str, str]) -> tuple[int, str]:
        """writer.recover and writer.apply as this user, in a forked child (the interpreter may
        live where the user cannot read): (0, "N written") or (2, the refusal)."""
        import fcntl  # noqa: F401 - imported before the child drops its privileges

        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into pytest
            code, message = 1, "unexpected"
            try:
                os.close(read_end)
                os.setgroups([])
                os.setgid(self.gid)
                os.setuid(self.uid)
                os.chdir(self.home)
                try:
                    writer.recover(out)
                    plan = writer.apply(out, files, manifest_for(files))
                    code, message = 0, f"{len(plan.write)} written"
                except OwnershipError as exc:
                    code, message = 2, str(exc)
            except BaseException as exc:  # reported to the parent as is
                message = f"{type(exc).__name__}: {exc}"
            finally:
                os.write(write_end, json.dumps([code, message]).encode())
                os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
        code, message = json.loads(data)
        return int(code), str(message)

    def own(self, *paths: Path) -> None:
        for path in paths:
            os.chown(path, self.uid, self.gid, follow_symlinks=False)


@pytest.fixture
def user() -> Iterator[User]:
    """An unprivileged user: ourselves when not root, else a dedicated system user."""
    if os.geteuid() != 0:
        home = Path(tempfile.mkdtemp())
        yield User(os.getuid(), os.getgid(), home)
        shutil.rmtree(home, ignore_errors=True)
        return
    try:
        entry = pwd.getpwnam(UNPRIVILEGED)
    except KeyError:
        useradd = shutil.which("useradd")
        if useradd is None:
            pytest.skip("running as root and useradd is missing: no unprivileged user to test as")
        made = subprocess.run(
            [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", UNPRIVILEGED],
            capture_output=True,
            text=True,
            check=False,
        )
        if made.returncode not in (0, 9):  # 9: created meanwhile by a parallel worker
            pytest.skip(f"running as root and useradd failed: {made.stderr.strip()}")
        entry = pwd.getpwnam(UNPRIVILEGED)
    home = Path(tempfile.mkdtemp(prefix="blueprint-unprivileged-"))
    os.chown(home, entry.pw_uid, entry.pw_gid)
    yield User(entry.pw_uid, entry.pw_gid, home)
    for folder, _dirs, _files in os.walk(home):
        Path(folder).chmod(0o755)  # make every folder removable
    shutil.rmtree(home, ignore_errors=True)


def siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_an_unreadable_user_folder_refuses_the_render_and_is_never_moved(user: User) -> None:
    out = user.home / "out"
    assert user.apply(out, {"aws/main.tf": "a\n"}) == (0, "1 written")
    secret = out / "secret"
    secret.mkdir()
    (secret / "keys.txt").write_text("mine\n")
    user.own(secret, secret / "keys.txt")
    secret.chmod(0o000)
    expected = (
        2,
        f"{out}/secret: a folder blueprint cannot read (Permission denied); expected everything "
        "in the output folder (--out) to be readable, since blueprint carries what it did not "
        "write over unchanged when it replaces the folder (make it readable or move it out)",
    )
    for _ in range(2):  # and the next render leaves nothing behind either
        assert user.apply(out, {"aws/main.tf": "b\n"}) == expected
        assert siblings(user.home) == ["out"]
    secret.chmod(0o700)
    assert tree(out) == {"aws/main.tf": b"a\n", "secret/keys.txt": b"mine\n", MANIFEST: ANY}


class _Any(bytes):
    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = bytes.__hash__


ANY = _Any()


def test_an_output_folder_under_an_unwritable_folder_is_a_usage_error(user: User) -> None:
    locked = user.home / "locked"
    locked.mkdir(mode=0o555)
    user.own(locked)
    assert user.apply(locked / "out", {"a.txt": "x\n"}) == (
        2,
        f"{locked}/out: cannot write the output folder (--out): Permission denied; expected a "
        "folder blueprint may create and write",
    )
    assert siblings(locked) == []


def test_a_foreign_file_it_can_neither_link_nor_read_refuses_the_render(user: User) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs a file of another user, which only root can make")
    out = user.home / "out"
    assert user.apply(out, {"a.txt": "x\n"}) == (0, "1 written")
    (out / "root-only.txt").write_text("root's\n")
    (out / "root-only.txt").chmod(0o600)  # owned by root: no link (protected_hardlinks), no copy
    assert user.apply(out, {"a.txt": "y\n"}) == (
        2,
        f"{out}/root-only.txt: a file blueprint can neither link nor read; expected everything "
        "in the output folder (--out) to be readable, since blueprint carries what it did not "
        "write over unchanged (make it readable or move it out)",
    )
    assert (out / "a.txt").read_text() == "x\n"
    assert siblings(user.home) == ["out"]


def test_its_own_unreadable_file_is_carried_over(user: User) -> None:
    out = user.home / "out"
    assert user.apply(out, {"a.txt": "x\n"}) == (0, "1 written")
    private = out / "private.txt"
    private.write_text("mine\n")
    user.own(private)
    private.chmod(0o000)
    inode = private.stat().st_ino
    assert user.apply(out, {"a.txt": "y\n"}) == (0, "1 written")
    assert (private.stat().st_ino, (out / "a.txt").read_text()) == (inode, "y\n")
    assert siblings(user.home) == ["out"]


def test_read_only_folders_are_carried_over_and_the_old_set_is_removed(user: User) -> None:
    out = user.home / "out"
    assert user.apply(out, {"aws/main.tf": "a\n"}) == (0, "1 written")
    notes = out / "notes"
    notes.mkdir()
    (notes / "n.txt").write_text("n\n")
    user.own(notes, notes / "n.txt")
    notes.chmod(0o555)
    (out / "aws").chmod(0o555)
    assert user.apply(out, {"aws/main.tf": "b\n"}) == (0, "1 written")
    assert (notes / "n.txt").read_text() == "n\n"
    assert oct(notes.stat().st_mode & 0o777) == "0o555"
    assert oct((out / "aws").stat().st_mode & 0o777) == "0o555"
    assert siblings(user.home) == ["out"]


def test_a_manifest_of_nested_brackets_is_unreadable_not_a_crash(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST).write_text("[" * 100_000)
    assert writer.Manifest.read(out) is None
    assert run_cli("verify", str(out)) == (
        2,
        "",
        f"{out}: {MANIFEST} is unreadable: it is not JSON a reader can take (nested too deeply)\n",
    )
    render(out, {"a.txt": "x\n"})
    assert tree(out)["a.txt"] == b"x\n"


@pytest.mark.parametrize("name", ["out[ab]", "out?", "out*"])
def test_glob_characters_in_the_output_name_touch_no_other_folder(
    tmp_path: Path, name: str
) -> None:
    others = {
        f".outa{writer.STAGING_PREFIX}0123abcd": "a staging folder of out/a",
        f".outx{writer.BACKUP_PREFIX}4567cdef": "a backup of outx, mid-swap",
    }
    for folder, text in others.items():
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "keep.txt").write_text(text)
    render(tmp_path / name, {"a.txt": "x\n"})
    writer.recover(tmp_path / name)
    assert siblings(tmp_path) == sorted([name, *others])
    for folder, text in others.items():
        assert (tmp_path / folder / "keep.txt").read_text() == text


def test_verify_reports_an_owned_file_replaced_by_a_link_to_an_identical_file(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    render(out, {"aws/main.tf": "a\n"})
    outside = tmp_path / "outside.tf"
    outside.write_bytes((out / "aws/main.tf").read_bytes())
    (out / "aws/main.tf").unlink()
    (out / "aws/main.tf").symlink_to(outside)
    code, stdout, _ = run_cli("verify", str(out))
    assert (code, stdout) == (
        1,
        f"{out}/aws/main.tf: reached through the symbolic link aws/main.tf (to {outside}); "
        "blueprint writes regular files in real folders\n",
    )
    assert writer.plan(out, {"aws/main.tf": "a\n"}, manifest_for({"aws/main.tf": "a\n"})).write


def test_an_owned_folder_replaced_by_a_link_is_refused_not_nested(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = Path("out")
    render(out, {"aws/main.tf": "a\n"})
    outside = tmp_path / "elsewhere"
    shutil.copytree(out / "aws", outside)
    shutil.rmtree(out / "aws")
    (out / "aws").symlink_to(outside)
    code, stdout, _ = run_cli("verify", "out")
    assert (code, stdout) == (
        1,
        f"out/aws/main.tf: reached through the symbolic link aws (to {outside}); blueprint "
        "writes regular files in real folders\n",
    )
    with pytest.raises(OwnershipError) as refused:
        render(out, {"aws/main.tf": "b\n"})
    assert str(refused.value) == (
        "out/aws: a symbolic link where blueprint needs its own folder for aws/main.tf; "
        "expected a real folder (remove the link, blueprint never writes through links it did "
        "not make)"
    )
    assert sorted(p.name for p in outside.iterdir()) == ["main.tf"]
    assert leftovers(out) == []


def test_the_cli_reports_an_unwritable_output_folder_as_bad_usage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(tmp_path / "out"))

    monkeypatch.setattr(writer, "_apply_locked", refuse)
    monkeypatch.chdir(ROOT)
    code, _, err = run_cli(
        "render", "examples/kubernetes-helm/blueprint.yaml", "--out", str(tmp_path / "out")
    )
    assert (code, err) == (
        2,
        f"blueprint: {tmp_path}/out: cannot write the output folder (--out): Permission "
        "denied; expected a folder blueprint may create and write\n",
    )
    assert isinstance(OutputFolderError("x"), OwnershipError)
