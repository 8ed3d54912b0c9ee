"""`kubectl kustomize` (kustomize built into kubectl, offline) builds every rendered directory
that has a kustomization.yaml, into exactly the objects of the files it lists."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLES
from tests.generators.gitops.render import documents, render_example

KUBECTL = shutil.which("kubectl")
CASES = [e for e in EXAMPLES if render_example(e)]


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
@pytest.mark.parametrize("example", CASES)
def test_kubectl_kustomize_builds_each_directory(example: str, tmp_path: Path) -> None:
    assert KUBECTL is not None
    files = render_example(example)
    for path, text in files.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    parsed = documents(files)
    directories = sorted(p.rsplit("/", 1)[0] for p in files if p.endswith("/kustomization.yaml"))
    assert directories
    for directory in directories:
        result = subprocess.run(
            [KUBECTL, "kustomize", str(tmp_path / directory)],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        built = sorted(
            (d["kind"], d["metadata"]["name"]) for d in yaml.safe_load_all(result.stdout)
        )
        listed = parsed[f"{directory}/kustomization.yaml"]["resources"]
        expected = sorted(
            (
                parsed[f"{directory}/{name}"]["kind"],
                parsed[f"{directory}/{name}"]["metadata"]["name"],
            )
            for name in listed
        )
        assert built == expected, directory
