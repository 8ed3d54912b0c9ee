"""checkov's bicep framework on every rendered Azure system (the two examples and the kitchen
sink): no failed check; every inline suppression carries its reason; and every one is needed
(without them, exactly the suppressed checks fail)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from blueprint.loader import Loaded, load
from blueprint.pipeline import render_files
from tests.checkov_support import run_checkov
from tests.generators.azure.bicep_support import parse
from tests.support import ROOT, load_example

MAIN = "azure/bicep/main.bicep"
SKIP_LINE = re.compile(r"^\s*// checkov:skip=(CKV_AZURE_\d+): \S.*\n", re.MULTILINE)
RESOURCE_OR_SKIP = re.compile(
    r"^(?:resource (?P<symbol>\w+) |\s*// checkov:skip=(?P<check>CKV_AZURE_\d+): )", re.MULTILINE
)
# The seed's system, pinned by hand: the checks that cannot apply and the resources they concern.
OCR_PIPELINE_SKIPS = {
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
ORDERS_SKIPS = {
    ("CKV_AZURE_139", "cr_acr"),
    ("CKV_AZURE_166", "cr_acr"),
    ("CKV_AZURE_43", "st_data"),
    ("CKV_AZURE_43", "st_receipts_fn_host"),
    ("CKV_AZURE_225", "plan_receipts_fn"),
    ("CKV_AZURE_212", "func_receipts_fn"),
    ("CKV_AZURE_213", "func_receipts_fn"),
}
SINK = ROOT / "tests" / "data" / "systems" / "azure-kitchen-sink.yaml"


def _sink() -> Loaded:
    return load(SINK, name="tests/data/systems/azure-kitchen-sink.yaml")


SYSTEMS = [
    pytest.param(lambda: load_example("azure-container-apps"), OCR_PIPELINE_SKIPS, 55, id="seed"),
    pytest.param(lambda: load_example("azure-orders"), ORDERS_SKIPS, None, id="orders"),
    pytest.param(_sink, None, None, id="kitchen-sink"),
]


def _write(directory: Path, files: dict[str, str]) -> Path:
    """The Bicep files as rendered (main.bicep and its modules), into `directory`."""
    for path, text in files.items():
        target = directory / path.removeprefix("azure/bicep/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return directory


def _failed(failures: tuple[str, ...]) -> set[tuple[str, str]]:
    # "CKV_X Microsoft.Type/name.symbol (file:line): title"
    return {(f.split()[0], f.split()[1].rsplit(".", 1)[1]) for f in failures}


def inline_skips(text: str) -> set[tuple[str, str]]:
    """(check, resource symbol) of every inline suppression, from the rendered text."""
    found = set()
    current = ""
    for match in RESOURCE_OR_SKIP.finditer(text):
        if match["symbol"]:
            current = match["symbol"]
        else:
            found.add((match["check"], current))
    return found


def _bicep(system: object) -> dict[str, str]:
    """Every Bicep file of the system's render, each parsed by pycep (stamped, as committed)."""
    loaded = system()  # type: ignore[operator]  # the params hold loaders: load only when run
    files = {p: t for p, t in render_files(loaded, ["azure"]).items() if p.endswith(".bicep")}
    for text in files.values():
        parse(text)
    return files


@pytest.mark.checkov
@pytest.mark.parametrize(("system", "expected", "passed"), SYSTEMS)
def test_checkov_bicep_passes(
    tmp_path: Path, system: object, expected: set[tuple[str, str]] | None, passed: int | None
) -> None:
    files = _bicep(system)
    main = files[MAIN]
    skips = inline_skips(main)
    if expected is not None:
        assert skips == expected
    assert len(SKIP_LINE.findall(main)) == len(skips) == main.count("checkov:skip=")

    result = run_checkov(_write(tmp_path / "rendered", files), "bicep")

    assert (result.parsing_errors, result.failures, result.failed) == (0, (), 0)
    assert result.skipped == len(skips)
    if passed is not None:
        assert result.passed == passed


@pytest.mark.checkov
@pytest.mark.parametrize(("system", "expected", "passed"), SYSTEMS)
def test_every_inline_suppression_is_needed(
    tmp_path: Path, system: object, expected: set[tuple[str, str]] | None, passed: int | None
) -> None:
    files = _bicep(system)
    main = files[MAIN]
    bare = SKIP_LINE.sub("", main)
    assert "checkov:skip" not in "".join(files.values()).replace(main, bare)

    result = run_checkov(_write(tmp_path / "bare", {**files, MAIN: bare}), "bicep")

    assert (result.parsing_errors, result.skipped) == (0, 0)
    assert _failed(result.failures) == inline_skips(main)
