"""SourceMap: positions from the composed YAML, with PyYAML's own loader where libyaml refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from blueprint.positions import SourceMap
from tests.support import run_cli

# A flow entry with an empty value: PyYAML and the blueprint's parser read {k: null}; libyaml
# stops with a scanner error.
LIBYAML_REFUSES = "a: 1\nk0: [k:, {x: 2}]\nk0: 3\n"


def test_libyaml_refuses_what_pyyaml_reads() -> None:
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML without libyaml: nothing falls back")
    with pytest.raises(yaml.YAMLError):
        yaml.compose(LIBYAML_REFUSES, Loader=yaml.CSafeLoader)
    assert yaml.compose(LIBYAML_REFUSES, Loader=yaml.SafeLoader) is not None


def test_positions_where_libyaml_refuses_come_from_pyyaml() -> None:
    source = SourceMap(LIBYAML_REFUSES)
    assert source.locate(("k0", 1, "x")) == (2, 14)
    assert source.locate(("k0", 0, "k"), at_key=True) == (2, 6)
    assert source.duplicate_keys() == [((), "k0", 3, 1, 2)]


def test_text_no_loader_reads_stays_at_the_start() -> None:
    source = SourceMap("a: [1\nb: 2\n")
    assert source.locate(("b",)) == (1, 1)
    assert source.duplicate_keys() == []


def test_a_problem_inside_such_an_entry_is_positioned(tmp_path: Path) -> None:
    blueprint = tmp_path / "blueprint.yaml"
    blueprint.write_text(
        "name: t\n"
        "platforms:\n"
        "  kubernetes: {namespace: t}\n"
        "services:\n"
        "  web:\n"
        "    platform: kubernetes\n"
        '    image: {registry: ghcr.io, repository: t/web, tag: "1"}\n'
        "    port: 8080\n"
        "    env: {A: [k:]}\n"
    )
    code, out, err = run_cli("validate", str(blueprint))
    assert (code, out, err) == (2, "", f"{blueprint}:9:14: found a list, expected a string\n")
