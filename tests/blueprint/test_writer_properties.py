"""Properties of the writer over random sequences of renders with foreign files around."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from blueprint import writer
from blueprint.writer import MANIFEST
from tests.blueprint.test_writer import leftovers, manifest_for, tree

SEGMENT = st.sampled_from(["aws", "gcp", "k8s", "chart", "templates", "a", "b"])
NAME = st.sampled_from(["main.tf", "values.yaml", "x.json", "README.md", "z"])
PATH = st.builds(lambda dirs, name: "/".join([*dirs, name]), st.lists(SEGMENT, max_size=3), NAME)
TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\r"), max_size=40)
FILE_SET = st.dictionaries(PATH, TEXT, max_size=8)


def consistent(files: dict[str, str]) -> dict[str, str]:
    """Drop paths that would need a file and a folder of the same name."""
    kept: dict[str, str] = {}
    for path in sorted(files):
        prefixes = {"/".join(path.split("/")[:i]) for i in range(1, path.count("/") + 1)}
        clash = any(p in kept for p in prefixes) or any(k.startswith(path + "/") for k in kept)
        if not clash:
            kept[path] = files[path]
    return kept


@settings(max_examples=40, deadline=None)
@given(st.lists(FILE_SET, min_size=1, max_size=4), st.sampled_from(["notes.txt", "aws/mine.tf"]))
def test_every_render_leaves_exactly_its_files_plus_the_foreign_ones(
    renders: list[dict[str, str]], foreign: str
) -> None:
    # fsync matters for power loss only; skipping it keeps the examples quick.
    with (
        tempfile.TemporaryDirectory() as tmp,
        mock.patch.object(os, "fsync", lambda fd: None),
        mock.patch.object(writer, "_syncfs", lambda fd: True),
    ):
        out = Path(tmp) / "out"
        out.mkdir()
        (out / foreign).parent.mkdir(parents=True, exist_ok=True)
        (out / foreign).write_text("not ours\n")
        for files in renders:
            files = consistent({p: t for p, t in files.items() if p != foreign})
            files = {
                p: t
                for p, t in files.items()
                if not foreign.startswith(p + "/") and not p.startswith(foreign + "/")
            }
            writer.apply(out, files, manifest_for(files))
            expected = {p: writer.normalize(t).encode() for p, t in files.items()}
            expected[MANIFEST] = manifest_for(files).dumps().encode()
            expected[foreign] = b"not ours\n"
            assert tree(out) == expected
            assert writer.plan(out, files, manifest_for(files)).changed is False
            assert leftovers(out) == []
            folders = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_dir()}
            needed = {
                "/".join(p.split("/")[:i]) for p in expected for i in range(1, p.count("/") + 1)
            }
            assert folders == needed  # no empty folder left behind
