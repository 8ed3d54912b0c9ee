"""Parsing rendered Bicep with pycep-parser (the parser checkov uses) and reading its literals."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from pycep import BicepParser

from generators import RenderContext
from generators.azure import GENERATOR
from tests.support import load_example

MAIN = "azure/bicep/main.bicep"
_SIMPLE_ESCAPES = {"\\": "\\", "'": "'", "n": "\n", "r": "\r", "t": "\t", "$": "$"}
_UNICODE_ESCAPE = re.compile(r"u\{([0-9A-Fa-f]{1,6})\}")


@cache
def _parser() -> BicepParser:
    return BicepParser()


def parse(text: str) -> dict[str, Any]:
    result: dict[str, Any] = _parser().parse(text=text)
    return result


def render(blueprint: Any) -> dict[str, str]:
    return GENERATOR.render(RenderContext(blueprint=blueprint))


@cache
def example_files() -> dict[str, str]:
    return render(load_example("azure-container-apps").blueprint)


@cache
def example_bicep() -> dict[str, Any]:
    return parse(example_files()[MAIN])


def decode(raw: str) -> str:
    """The value of a Bicep string literal from the raw text pycep keeps between its quotes.

    Fails if the literal would interpolate: an unescaped `${` is not a plain string.
    """
    out: list[str] = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\":
            nxt = raw[i + 1]
            if nxt in _SIMPLE_ESCAPES:
                out.append(_SIMPLE_ESCAPES[nxt])
                i += 2
                continue
            match = _UNICODE_ESCAPE.match(raw, i + 1)
            assert match, f"invalid escape at {i} in {raw!r}"
            out.append(chr(int(match.group(1), 16)))
            i = match.end()
            continue
        assert not (ch == "$" and raw[i + 1 : i + 2] == "{"), f"interpolation in {raw!r}"
        assert ch != "'", f"unescaped quote in {raw!r}"
        out.append(ch)
        i += 1
    return "".join(out)


def description(resource: dict[str, Any]) -> str | None:
    for decorator in resource["decorators"]:
        if decorator["type"] == "description":
            return decode(decorator["argument"])
    return None
