"""Terraform overrides (issue 12, item 5): extra and `*_override.tf` files land in the cloud's
terraform folder as given, stay fmt-clean and parse, and never replace a rendered file."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import hcl2
import pytest
import yaml

from tests.blueprint.support_samples import base
from tests.support import run_cli

EXTRA = """\
resource "aws_cloudwatch_log_group" "audit" {
  name              = "/walk/audit"
  retention_in_days = 365
}
"""
# Terraform's own merge: the override file changes one attribute of a rendered resource.
OVERRIDE = """\
variable "walk_extra" {
  type    = string
  default = "walk"
}
"""
GCP_EXTRA = """\
output "walk_project" {
  value = "walk-project"
}
"""


def _write(tmp_path: Path, data: dict[str, object]) -> Path:
    path = tmp_path / "blueprint.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _blueprint(cloud: str, files: dict[str, str]) -> dict[str, object]:
    data = base(cloud)
    data["overrides"] = {
        "terraform": {cloud: {"files": {name: {"content": text} for name, text in files.items()}}}
    }
    return data


@pytest.mark.parametrize(
    ("cloud", "files"),
    [
        ("aws", {"audit.tf": EXTRA, "variables_override.tf": OVERRIDE}),
        ("gcp", {"walk.tf": GCP_EXTRA}),
    ],
)
def test_files_are_written_as_given_fmt_clean_and_parse(
    cloud: str, files: dict[str, str], tmp_path: Path
) -> None:
    path = _write(tmp_path, _blueprint(cloud, files))
    out = tmp_path / "out"
    code, _out, err = run_cli("render", str(path), "--out", str(out))
    assert (code, err) == (0, "")
    folder = out / cloud / "terraform"
    for name, text in files.items():
        written = (folder / name).read_text(encoding="utf-8")
        assert written.endswith(text)  # after the provenance header
        assert hcl2.loads(written)
    for rendered in folder.glob("*.tf"):
        hcl2.loads(rendered.read_text(encoding="utf-8"))
    binary = shutil.which("terraform")
    if binary is None:
        pytest.skip("terraform is not installed: `terraform fmt -check` cannot run here")
    proc = subprocess.run(
        [binary, "fmt", "-check", "-diff", str(folder)],
        capture_output=True,
        text=True,
        env={**os.environ, "CHECKPOINT_DISABLE": "1"},
        check=False,
        timeout=120,
    )
    assert (proc.returncode, proc.stdout) == (0, "")


def _refused(tmp_path: Path, data: dict[str, object]) -> list[str]:
    path = _write(tmp_path, data)
    code, out, err = run_cli("validate", str(path))
    assert (code, out) == (2, "")
    return [line.removeprefix(str(path) + ":") for line in err.splitlines()]


def test_a_rendered_file_name_is_refused(tmp_path: Path) -> None:
    assert _refused(tmp_path, _blueprint("aws", {"network.tf": EXTRA})) == [
        "33:9: found 'network.tf', a file blueprint renders into aws/terraform/; expected "
        "another name (a file named *_override.tf merges into the rendered ones)",
    ]


def test_a_subfolder_is_refused(tmp_path: Path) -> None:
    assert _refused(tmp_path, _blueprint("aws", {"extra/audit.tf": EXTRA})) == [
        "33:9: found 'extra/audit.tf'; expected a file name ending in .tf such as extra.tf, in "
        "no subfolder, made of letters, digits, '_', '.' and '-' (no absolute path, no "
        "backslash)",
    ]


def test_a_folder_the_blueprint_does_not_render_is_refused(tmp_path: Path) -> None:
    data = _blueprint("aws", {"audit.tf": EXTRA})
    data["platforms"]["aws"]["formats"] = ["cloudformation"]  # type: ignore[index]
    assert _refused(tmp_path, data) == [
        "33:5: found overrides for aws/terraform/, which this blueprint does not render; "
        "expected something on aws and terraform in platforms.aws.formats",
    ]


def test_the_reserved_names_are_the_generators_files() -> None:
    from blueprint.support.matrix import TERRAFORM_FILES
    from generators.aws.terraform import FILES as AWS_FILES
    from generators.gcp.terraform import FILES as GCP_FILES

    assert {"aws": frozenset(AWS_FILES), "gcp": frozenset(GCP_FILES)} == TERRAFORM_FILES
