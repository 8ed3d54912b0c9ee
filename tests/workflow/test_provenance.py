"""Every rendered file whose format has comments carries the provenance header (real render)."""

from __future__ import annotations

from blueprint.pipeline import render_files
from blueprint.provenance import has_comments, header_lines
from tests.conftest import EXAMPLES
from tests.support import load_example


def test_every_commentable_rendered_file_carries_the_header() -> None:
    checked = 0
    for name in EXAMPLES:
        loaded = load_example(name)
        lines = header_lines(loaded.source.name, loaded.source.sha256)
        for path, text in render_files(loaded).items():
            head = "\n".join(text.splitlines()[:4])
            if has_comments(path):
                assert all(line in head for line in lines), path
                checked += 1
            else:
                assert lines[0] not in text, path
    # At least the Kubernetes generator renders today; every generator adds to this count.
    assert checked > 0
