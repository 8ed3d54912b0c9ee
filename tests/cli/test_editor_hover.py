"""Hover docs as an editor shows them: yaml-language-server itself, over stdio, on a blueprint
whose modeline names the committed schema. Skipped when the server is not installed
(`.ci/install-tools.sh` installs it into .tools/)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator

import pytest

from tests.cli.lsp import LanguageServer
from tests.support import ROOT

SCHEMA = ROOT / "docs" / "blueprint.schema.json"


def server_command() -> list[str] | None:
    local = ROOT / ".tools" / "node_modules" / ".bin" / "yaml-language-server"
    found = os.environ.get("YAML_LANGUAGE_SERVER") or (
        str(local) if local.exists() else shutil.which("yaml-language-server")
    )
    return [found, "--stdio"] if found and shutil.which("node") else None


COMMAND = server_command()
pytestmark = pytest.mark.skipif(
    COMMAND is None,
    reason="yaml-language-server is not installed: run .ci/install-tools.sh (npm install "
    "--prefix .tools yaml-language-server)",
)

TEXT = f"""\
# yaml-language-server: $schema={SCHEMA.as_uri()}
name: shop
services:
  web:
    platform: kubernetes
    port: 8080
    image: {{registry: ghcr.io, repository: example/web, tag: "1.0.0"}}
jobs:
  nightly:
    platform: kubernetes
    trigger: {{schedule: "0 3 * * *"}}
"""


Hover = Callable[[int, int], str]  # (line, character) -> the hover's markdown


@pytest.fixture(scope="module")
def hover(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hover]:
    assert COMMAND is not None
    root = tmp_path_factory.mktemp("editor")
    document = root / "blueprint.yaml"
    document.write_text(TEXT)
    server = LanguageServer(COMMAND, root)
    server.settings = {"yaml": {"hover": True, "validate": True, "schemaStore": {"enable": False}}}
    server.notify("workspace/didChangeConfiguration", {"settings": server.settings})
    server.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": document.as_uri(), "languageId": "yaml", "version": 1,
                          "text": TEXT}},
    )  # fmt: skip

    def at(line: int, character: int) -> str:
        result = server.request(
            "textDocument/hover",
            {"textDocument": {"uri": document.as_uri()},
             "position": {"line": line, "character": character}},
        )  # fmt: skip
        assert result is not None, f"no hover at {line}:{character}"
        value: str = result["contents"]["value"]
        return value

    yield at
    server.close()


SOURCE = f"\n\nSource: [blueprint.schema.json]({SCHEMA.as_uri()})"


def test_hover_on_a_service_key_shows_its_description(hover: Hover) -> None:
    assert hover(5, 5) == (
        "#### Port\n\nThe port the container listens on (default 8080); null for a service t"
        "hat serves no port, such as a load generator: it gets no Service and no probe on a port."
        + SOURCE
    )


def test_hover_on_a_top_level_key_shows_its_description_and_example(hover: Hover) -> None:
    assert hover(1, 1) == (
        "#### Name\n\nThe system's name: a DNS label (lowercase letters, digits and \\`-\\`). "
        "Example: \\`shop\\`." + SOURCE
    )


def test_a_wrapped_description_is_one_paragraph(hover: Hover) -> None:
    text = hover(4, 6)
    assert text.startswith(
        "#### Platform\n\nWhere it runs: \\`aws-fargate\\`, \\`azure-container-apps\\`, "
        "\\`azure-functions\\`, \\`kubernetes\\` or \\`cloud-run\\`.\n\nAllowed Values:"
    )


def test_hover_inside_a_flow_mapping_and_a_trigger(hover: Hover) -> None:
    assert "The image tag; a tag or a digest is required." in hover(6, 56)
    assert "A five-field cron schedule, each field within its range. Example:" in hover(10, 16)
