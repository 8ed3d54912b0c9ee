"""The writer: inside the output directory only, owns only what it wrote, LF and UTF-8."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from blueprint import out_state, writer
from blueprint.writer import MANIFEST, Manifest, OwnershipError, UnsafePathError


def manifest_for(files: dict[str, str], source: str = "blueprint.yaml") -> Manifest:
    return Manifest(
        tool_version="test",
        source=source,
        source_sha256="0" * 64,
        environment=None,
        files={p: out_state.sha256_text(writer.normalize(t)) for p, t in files.items()},
    )


def render(out: Path, files: dict[str, str]) -> writer.Plan:
    return writer.apply(out, files, manifest_for(files))


def tree(root: Path) -> dict[str, bytes]:
    """Every file below `root` (symlinks as their target), by relative POSIX path."""
    found: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[rel] = b"-> " + os.fsencode(path.readlink())
        elif path.is_file():
            found[rel] = path.read_bytes()
    return found


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


UNSAFE = [
    "/etc/passwd",
    "../escape.txt",
    "aws/../../escape.txt",
    "aws/..",
    "aws\\main.tf",
    "aws/main\x00.tf",
    MANIFEST,
    f"aws/{MANIFEST}",
    "",
    ".",
    "./aws/main.tf",
    "aws//main.tf",
    "aws/",
    "~/main.tf",
]


@pytest.mark.parametrize("path", UNSAFE)
def test_unsafe_paths_are_refused_and_nothing_is_written(tmp_path: Path, path: str) -> None:
    out = tmp_path / "out"
    with pytest.raises(UnsafePathError):
        render(out, {"aws/ok.tf": "ok\n", path: "x\n"})
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("path", UNSAFE)
def test_unsafe_paths_are_refused_by_check_relative(path: str) -> None:
    with pytest.raises(UnsafePathError):
        writer.check_relative(path)


def test_a_tampered_manifest_never_deletes_outside_the_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    render(out, {"aws/main.tf": "a\n"})
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    data = json.loads((out / MANIFEST).read_text())
    data["files"]["../victim.txt"] = "0" * 64
    data["files"]["/etc/hostname"] = "0" * 64
    (out / MANIFEST).write_text(json.dumps(data))
    render(out, {"aws/other.tf": "b\n"})
    assert victim.read_text() == "keep me\n"
    assert tree(out) == {
        MANIFEST: manifest_for({"aws/other.tf": "b\n"}).dumps().encode(),
        "aws/other.tf": b"b\n",
    }


def test_first_render_writes_files_and_manifest(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "out"
    files = {"aws/main.tf": "a\n", "kubernetes/chart/values.yaml": "b: 1\n"}
    plan = render(out, files)
    assert (sorted(plan.write), plan.remove, plan.unchanged) == (sorted(files), (), ())
    assert tree(out) == {
        MANIFEST: manifest_for(files).dumps().encode(),
        "aws/main.tf": b"a\n",
        "kubernetes/chart/values.yaml": b"b: 1\n",
    }
    assert leftovers(out) == []


def test_rerender_of_the_same_files_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = {"aws/main.tf": "a\n"}
    render(out, files)
    inode = (out / "aws/main.tf").stat().st_ino
    plan = render(out, files)
    assert (plan.changed, plan.unchanged) == (False, ("aws/main.tf",))
    assert (out / "aws/main.tf").stat().st_ino == inode


def test_it_never_overwrites_a_file_it_did_not_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = Path("out")
    (out / "aws").mkdir(parents=True)
    (out / "aws/main.tf").write_text("# hand-written\n")
    with pytest.raises(OwnershipError) as refused:
        render(out, {"aws/main.tf": "generated\n"})
    assert str(refused.value) == (
        "out/aws/main.tf: exists and was not written by blueprint (no entry in "
        "out/.blueprint-manifest.json); expected a free path in the output folder (--out): "
        "move or delete it, blueprint never overwrites files it did not write"
    )
    assert tree(out) == {"aws/main.tf": b"# hand-written\n"}
    assert leftovers(out) == []


def test_a_foreign_file_with_identical_content_is_still_not_taken_over(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "same.txt").write_text("x\n")
    with pytest.raises(OwnershipError):
        render(out, {"same.txt": "x\n"})
    assert tree(out) == {"same.txt": b"x\n"}


def test_it_never_replaces_a_foreign_file_or_symlink_by_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = Path("out")
    out.mkdir()
    (out / "aws").write_text("a file\n")
    with pytest.raises(OwnershipError) as refused:
        render(out, {"aws/main.tf": "x\n"})
    assert str(refused.value) == (
        "out/aws: not a folder and not written by blueprint; expected a folder for aws/main.tf "
        "(move or delete it, blueprint never overwrites files it did not write)"
    )
    (out / "aws").unlink()
    (tmp_path / "elsewhere").mkdir()
    (out / "aws").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(OwnershipError) as refused:
        render(out, {"aws/main.tf": "x\n"})
    assert str(refused.value) == (
        "out/aws: a symbolic link where blueprint needs its own folder for aws/main.tf; "
        "expected a real folder (remove the link, blueprint never writes through links it did "
        "not make)"
    )
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_a_folder_where_an_owned_file_was_is_never_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = Path("out")
    render(out, {"aws/main.tf": "a\n"})
    (out / "aws/main.tf").unlink()
    (out / "aws/main.tf").mkdir()
    (out / "aws/main.tf/notes.txt").write_text("mine\n")
    with pytest.raises(OwnershipError) as refused:
        render(out, {"aws/main.tf": "b\n"})
    assert str(refused.value) == (
        "out/aws/main.tf: a folder that blueprint did not make; expected a file there "
        "(move or delete the folder)"
    )
    assert (out / "aws/main.tf/notes.txt").read_text() == "mine\n"
    assert leftovers(out) == []


def test_an_output_path_that_is_a_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = Path("out")
    out.write_text("not a folder\n")
    with pytest.raises(OwnershipError) as refused:
        render(out, {"a.txt": "x\n"})
    assert str(refused.value) == (
        "out: the output folder (--out) is a file; expected a folder or a new name"
    )
    assert out.read_text() == "not a folder\n"


def test_the_working_directory_is_never_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    for out in (Path(), Path(".."), tmp_path):
        with pytest.raises(UnsafePathError, match="holds the working directory"):
            render(out, {"a.txt": "x\n"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sub"]


def test_files_it_stopped_generating_are_removed_and_its_empty_folders_pruned(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    render(out, {"aws/terraform/main.tf": "a\n", "aws/cfn/stack.yaml": "b\n", "keep.txt": "c\n"})
    plan = render(out, {"keep.txt": "c\n"})
    assert plan.remove == ("aws/cfn/stack.yaml", "aws/terraform/main.tf")
    assert tree(out) == {
        MANIFEST: manifest_for({"keep.txt": "c\n"}).dumps().encode(),
        "keep.txt": b"c\n",
    }
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "keep.txt"]


def test_foreign_files_folders_and_symlinks_survive_every_render(tmp_path: Path) -> None:
    out = tmp_path / "out"
    render(out, {"aws/main.tf": "a\n", "gone/x.txt": "x\n"})
    (out / "README.md").write_text("mine\n")
    (out / "aws/local.tf").write_text("# local\n")
    (out / "empty").mkdir()
    private = out / "private"
    private.mkdir()
    private.chmod(0o700)
    (private / "key").write_text("k\n")
    (out / "link").symlink_to("README.md")
    (tmp_path / "target").mkdir()
    (out / "dirlink").symlink_to(tmp_path / "target")
    inode = (out / "README.md").stat().st_ino
    render(out, {"aws/main.tf": "changed\n"})
    render(out, {"aws/main.tf": "changed again\n", "new/y.txt": "y\n"})
    assert tree(out) == {
        MANIFEST: manifest_for({"aws/main.tf": "changed again\n", "new/y.txt": "y\n"})
        .dumps()
        .encode(),
        "README.md": b"mine\n",
        "aws/local.tf": b"# local\n",
        "aws/main.tf": b"changed again\n",
        "dirlink": b"-> " + os.fsencode(tmp_path / "target"),
        "link": b"-> README.md",
        "new/y.txt": b"y\n",
        "private/key": b"k\n",
    }
    assert (out / "empty").is_dir()
    assert stat.S_IMODE(private.stat().st_mode) == 0o700
    assert (out / "README.md").stat().st_ino == inode  # carried as a hard link, not copied
    assert not (out / "gone").exists()
    assert leftovers(out) == []


def test_folders_keep_their_mode_and_new_ones_follow_the_umask(tmp_path: Path) -> None:
    out = tmp_path / "out"
    render(out, {"a.txt": "1\n"})
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~umask
    out.chmod(0o750)
    render(out, {"a.txt": "2\n"})
    assert stat.S_IMODE(out.stat().st_mode) == 0o750


def test_a_symlinked_output_folder_is_replaced_at_its_target(tmp_path: Path) -> None:
    real = tmp_path / "real"
    render(real, {"a.txt": "1\n"})
    link = tmp_path / "out"
    link.symlink_to(real)
    render(link, {"a.txt": "2\n"})
    assert link.is_symlink()
    assert (real / "a.txt").read_text() == "2\n"
    assert leftovers(real) == []


def test_text_is_written_as_utf8_with_lf_endings_and_a_final_newline(tmp_path: Path) -> None:
    out = tmp_path / "out"
    render(out, {"a.txt": "one\r\ntwo\rthree", "u.txt": "café ☃ 𝄞\n", "empty.txt": ""})
    assert (out / "a.txt").read_bytes() == b"one\ntwo\nthree\n"
    assert (out / "u.txt").read_bytes() == "café ☃ 𝄞\n".encode()
    assert (out / "empty.txt").read_bytes() == b""


def test_plan_reports_and_diff_shows_what_would_change(tmp_path: Path) -> None:
    out = tmp_path / "out"
    render(out, {"a.txt": "one\ntwo\n", "old.txt": "bye\n"})
    files = {"a.txt": "one\n2\n", "b.txt": "new"}
    before = tree(out)
    plan = writer.plan(out, files, manifest_for(files))
    assert (plan.write, plan.remove, plan.unchanged) == (
        {"a.txt": "one\n2\n", "b.txt": "new\n"},
        ("old.txt",),
        (),
    )
    assert writer.diff(out, plan) == (
        "--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+2\n"
        "--- /dev/null\n+++ b/b.txt\n@@ -0,0 +1 @@\n+new\n"
        "--- a/old.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n"
    )
    assert tree(out) == before


def test_recover_restores_the_old_folder_after_a_cut_rename_swap(tmp_path: Path) -> None:
    out = tmp_path / "out"
    render(out, {"a.txt": "old\n"})
    backup = tmp_path / f".out{writer.BACKUP_PREFIX}0123"
    out.rename(backup)  # killed between the two renames of the fallback swap
    staging = tmp_path / f".out{writer.STAGING_PREFIX}4567"
    staging.mkdir()
    (staging / "a.txt").write_text("half")
    writer.recover(out)
    assert tree(out)["a.txt"] == b"old\n"
    assert leftovers(out) == []


def test_the_rename_fallback_gives_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    render(out, {"aws/main.tf": "a\n", "gone/x.txt": "x\n"})
    (out / "mine.txt").write_text("mine\n")
    render(out, {"aws/main.tf": "b\n"})
    assert tree(out) == {
        MANIFEST: manifest_for({"aws/main.tf": "b\n"}).dumps().encode(),
        "aws/main.tf": b"b\n",
        "mine.txt": b"mine\n",
    }
    assert leftovers(out) == []


def test_manifest_is_sorted_json_without_timestamps() -> None:
    m = Manifest("1.0", "x.yaml", "f" * 64, "prod", {"b": "2", "a": "1"})
    assert m.dumps() == (
        "{\n"
        '  "environment": "prod",\n'
        '  "files": {\n    "a": "1",\n    "b": "2"\n  },\n'
        '  "source": "x.yaml",\n'
        f'  "source_sha256": "{"f" * 64}",\n'
        '  "tool": "blueprint",\n'
        '  "tool_version": "1.0"\n'
        "}\n"
    )


def test_the_staged_files_reach_the_disk_in_one_filesystem_sync_before_the_swap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    out = tmp_path / "out"

    def syncfs(fd: int) -> bool:
        staged = [p for p in tmp_path.iterdir() if writer.STAGING_PREFIX in p.name]
        events.append(f"syncfs with {len(staged)} staging folder, out exists: {out.exists()}")
        return True

    monkeypatch.setattr(writer, "_syncfs", syncfs)
    monkeypatch.setattr(os, "fsync", lambda fd: events.append("fsync"))
    files = {f"k8s/{n}.yaml": f"n: {n}\n" for n in range(20)}
    writer.apply(out, files, manifest_for(files))
    # One syncfs for the 21 staged files while the old output is untouched, then one fsync of
    # the parent folder for the rename: not one fsync per file.
    assert events == ["syncfs with 1 staging folder, out exists: False", "fsync"]
    assert sorted(tree(out)) == sorted([*files, MANIFEST])


def test_without_syncfs_every_staged_file_and_folder_is_fsynced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    monkeypatch.setattr(writer, "_syncfs", lambda fd: False)
    monkeypatch.setattr(os, "fsync", synced.append)
    files = {"a.yaml": "a: 1\n", "k8s/b.yaml": "b: 2\n"}
    writer.apply(tmp_path / "out", files, manifest_for(files))
    # 3 files (with the manifest) + 2 folders, then the parent folder after the rename.
    assert len(synced) == 6
