"""Determinism: every example renders to the same bytes for every hash seed and locale.

Each environment renders all examples in one fresh interpreter (as `blueprint render` does,
minus the policy gate, so that examples with error findings are compared too).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.blueprint.test_writer import tree
from tests.conftest import EXAMPLES, ROOT

RENDER_ALL = """
import sys
from pathlib import Path
from blueprint import pipeline, writer
from blueprint.cli.common import load_file

out_root = Path(sys.argv[1])
for name in sys.argv[2:]:
    loaded = load_file(Path("examples") / name / "blueprint.yaml")
    files = pipeline.render_files(loaded)
    writer.apply(out_root / name, files, pipeline.manifest_for(loaded, files, None))
"""

ENVIRONMENTS = [
    {"PYTHONHASHSEED": seed, "LC_ALL": locale, "LANG": locale}
    for seed in ("0", "1", "random")
    for locale in ("C", "C.UTF-8")
]


def render_examples(out_root: Path, env: dict[str, str]) -> dict[str, bytes]:
    result = subprocess.run(
        [sys.executable, "-c", RENDER_ALL, str(out_root), *EXAMPLES],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return tree(out_root)


@pytest.mark.slow
def test_every_example_renders_the_same_bytes_for_every_hash_seed_and_locale(
    tmp_path: Path,
) -> None:
    renders = [render_examples(tmp_path / f"env{i}", env) for i, env in enumerate(ENVIRONMENTS)]
    first = renders[0]
    assert {path.split("/", 1)[0] for path in first} == set(EXAMPLES)
    for env, other in zip(ENVIRONMENTS[1:], renders[1:], strict=True):
        differing = sorted(p for p in set(first) | set(other) if first.get(p) != other.get(p))
        assert differing == [], f"{env} renders differently: {differing[:10]}"
