"""checkov's bicep framework on the rendered example: no failed check; and every inline
suppression is needed (without them, exactly the suppressed checks fail)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from blueprint.pipeline import render_files
from tests.checkov_support import run_checkov
from tests.generators.azure.bicep_support import parse
from tests.support import load_example

MAIN = "azure/bicep/main.bicep"
SKIP_LINE = re.compile(r"^\s*// checkov:skip=(CKV_AZURE_\d+): \S.*\n", re.MULTILINE)
EXPECTED_SKIPS = {
    ("CKV_AZURE_139", "cr_acr"),
    ("CKV_AZURE_166", "cr_acr"),
    ("CKV_AZURE_43", "st_data"),
    ("CKV_AZURE_59", "st_data"),
    ("CKV_AZURE_43", "st_ocr_fn_host"),
    ("CKV_AZURE_238", "cog_ocr"),
    ("CKV_AZURE_225", "plan_ocr_fn"),
    ("CKV_AZURE_212", "func_ocr_fn"),
    ("CKV_AZURE_213", "func_ocr_fn"),
}


def _write(directory: Path, text: str) -> Path:
    directory.mkdir(parents=True)
    (directory / "main.bicep").write_text(text, encoding="utf-8")
    return directory


def _failed(failures: tuple[str, ...]) -> set[tuple[str, str]]:
    # "CKV_X Microsoft.Type/name.symbol (file:line): title"
    return {(f.split()[0], f.split()[1].rsplit(".", 1)[1]) for f in failures}


@pytest.mark.checkov
def test_checkov_bicep_passes_on_the_example(tmp_path: Path) -> None:
    main = render_files(load_example("azure-container-apps"), ["azure"])[MAIN]
    parse(main)  # the stamped file, as committed under out/, parses too

    result = run_checkov(_write(tmp_path / "rendered", main), "bicep")

    assert (result.parsing_errors, result.failures, result.failed) == (0, (), 0)
    assert (result.passed, result.skipped) == (55, len(EXPECTED_SKIPS))
    assert len(SKIP_LINE.findall(main)) == len(EXPECTED_SKIPS)


@pytest.mark.checkov
def test_every_inline_suppression_is_needed(tmp_path: Path) -> None:
    main = render_files(load_example("azure-container-apps"), ["azure"])[MAIN]
    bare = SKIP_LINE.sub("", main)
    assert "checkov:skip" not in bare

    result = run_checkov(_write(tmp_path / "bare", bare), "bicep")

    assert (result.parsing_errors, result.skipped) == (0, 0)
    assert _failed(result.failures) == EXPECTED_SKIPS
