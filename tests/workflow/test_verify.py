"""`blueprint verify OUT_DIR`: hand edits, missing files and stray claims are reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from blueprint import out_state, pipeline, writer
from blueprint.provenance import stamp
from tests.support import ROOT, load_example, run_cli

FARGATE = "examples/aws-fargate-api/blueprint.yaml"


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """A directory written by the real writer, with stamped files as a render leaves them."""
    loaded = load_example("aws-fargate-api")
    files = {
        path: stamp(path, text, loaded.source.name, loaded.source.sha256)
        for path, text in {
            "aws/terraform/main.tf": 'resource "null_resource" "x" {}\n',
            "kubernetes/manifests/web.yaml": "apiVersion: v1\nkind: Namespace\n",
            "gitops/app.json": "{}\n",
        }.items()
    }
    out = tmp_path / "out"
    writer.apply(out, files, pipeline.manifest_for(loaded, files, None))
    return out


def test_clean_output_verifies(out_dir: Path) -> None:
    assert run_cli("verify", str(out_dir)) == (
        0,
        f"{out_dir}: 3 file(s) match the manifest\n",
        "",
    )


def test_every_mismatch_is_one_positioned_line(out_dir: Path) -> None:
    (out_dir / "aws/terraform/main.tf").write_text("# hand edit\n", encoding="utf-8")
    (out_dir / "gitops/app.json").unlink()
    stray = out_dir / "kubernetes/manifests/extra.yaml"
    stray.write_text((out_dir / "kubernetes/manifests/web.yaml").read_text(), encoding="utf-8")
    (out_dir / "NOTES.txt").write_text("ours, not blueprint's\n", encoding="utf-8")
    code, out, err = run_cli("verify", str(out_dir))
    assert code == 1
    manifest = writer.Manifest.read(out_dir)
    assert manifest is not None
    edited = out_state.sha256_text("# hand edit\n")[:16]
    recorded = manifest.files["aws/terraform/main.tf"][:16]
    assert out.splitlines() == [
        f"{out_dir}/aws/terraform/main.tf: hand-edited: sha256 {edited}, the manifest records "
        f"{recorded}",
        f"{out_dir}/gitops/app.json: missing (listed in the manifest)",
        f"{out_dir}/kubernetes/manifests/extra.yaml: carries a blueprint provenance header but "
        "is not listed in the manifest",
    ]
    assert err == (
        f"{out_dir}: 3 problem(s) in 3 listed file(s); re-render with `blueprint render` "
        "instead of editing the output\n"
    )


def test_source_hash_is_checked_with_blueprint(out_dir: Path, tmp_path: Path) -> None:
    assert run_cli("verify", str(out_dir), "--blueprint", str(ROOT / FARGATE))[0] == 0
    changed = tmp_path / "blueprint.yaml"
    changed.write_text((ROOT / FARGATE).read_text() + "# a comment\n", encoding="utf-8")
    code, out, _err = run_cli("verify", str(out_dir), "--blueprint", str(changed))
    assert code == 1
    manifest = writer.Manifest.read(out_dir)
    assert manifest is not None
    new_sha = out_state.sha256_text(changed.read_text())
    assert out == (
        f"{out_dir}/.blueprint-manifest.json: rendered from {FARGATE} with sha256 "
        f"{manifest.source_sha256[:16]}, but {changed} has sha256 {new_sha[:16]}; "
        f"run `blueprint render {changed} --out {out_dir}`\n"
    )


def test_no_manifest_is_bad_input(tmp_path: Path) -> None:
    assert run_cli("verify", str(tmp_path)) == (
        2,
        "",
        f"{tmp_path}: no .blueprint-manifest.json; expected a directory written by "
        "`blueprint render`\n",
    )
    (tmp_path / ".blueprint-manifest.json").write_text("{", encoding="utf-8")
    code, _out, err = run_cli("verify", str(tmp_path))
    assert code == 2
    assert err.startswith(f"{tmp_path}: .blueprint-manifest.json is unreadable: it is not JSON")


def test_a_tampered_manifest_never_reads_outside(out_dir: Path) -> None:
    manifest = out_dir / ".blueprint-manifest.json"
    manifest.write_text(
        manifest.read_text().replace('"gitops/app.json"', '"../../etc/passwd"'), encoding="utf-8"
    )
    code, out, _err = run_cli("verify", str(out_dir))
    assert code == 1
    assert (
        f"{out_dir}/.blueprint-manifest.json: lists an unsafe path '../../etc/passwd'; "
        "the manifest was tampered"
    ) in out.splitlines()
