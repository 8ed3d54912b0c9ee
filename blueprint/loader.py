"""Reading a blueprint: bounded, safe YAML; every problem positioned; nothing half-loaded.

The YAML is parsed with yaml-rs (YAML 1.2, duplicate keys an error, alias expansion bounded),
then validated by the pydantic model and the cross-reference checks. Positions are looked up
only for the problems that are reported (see positions.py).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml_rs
from pydantic import ValidationError

from blueprint.environments import UnknownEnvironmentError, apply_environment
from blueprint.errors import BlueprintError, Diagnostic, Problem
from blueprint.model import Blueprint
from blueprint.positions import SourceMap
from blueprint.references import check_references
from blueprint.schema_messages import translate

MAX_BYTES = 16 * 1024 * 1024
# A billion-laughs document replays millions of events; a real blueprint replays none or few.
ALIAS_LIMITS = yaml_rs.AliasLimits(
    max_total_replayed_events=100_000,
    max_replay_stack_depth=16,
    max_alias_expansions_per_anchor=1_000,
)
_POSITION = re.compile(r"line (\d+), column (\d+)")


@dataclass(frozen=True)
class Source:
    """The text a blueprint was read from, for positions and provenance."""

    name: str  # as given by the user, for messages
    text: str
    sha256: str
    positions: SourceMap = field(compare=False, repr=False)

    def locate(self, path: tuple[str | int, ...], *, at_key: bool = False) -> tuple[int, int]:
        return self.positions.locate(path, at_key=at_key)


@dataclass(frozen=True)
class Loaded:
    blueprint: Blueprint
    source: Source


def read_source(path: Path, name: str | None = None) -> Source:
    shown = name or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _error(
                shown,
                1,
                1,
                f"file is {size} bytes, expected at most {MAX_BYTES} "
                "(16 MiB); split the system or check that this is a blueprint",
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise _error(shown, 1, 1, f"cannot read the file: {exc.strerror or exc}") from None
    return source_from_bytes(raw, shown)


def source_from_bytes(raw: bytes, name: str) -> Source:
    if len(raw) > MAX_BYTES:
        raise _error(name, 1, 1, f"file is {len(raw)} bytes, expected at most {MAX_BYTES} (16 MiB)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _error(
            name, line, col, f"found byte 0x{raw[exc.start]:02x}, expected UTF-8 text"
        ) from None
    text = text.removeprefix("\ufeff")
    return Source(name, text, hashlib.sha256(raw).hexdigest(), SourceMap(text))


def load(path: Path, *, environment: str | None = None, name: str | None = None) -> Loaded:
    return load_source(read_source(path, name), environment=environment)


def load_source(source: Source, *, environment: str | None = None) -> Loaded:
    data = _parse(source)
    try:
        bp = Blueprint.model_validate(data)
    except ValidationError as exc:
        raise _positioned(source, translate(exc.errors(), Blueprint)) from None
    problems = check_references(bp)
    if problems:
        raise _positioned(source, problems)
    try:
        bp = apply_environment(bp, environment)
    except UnknownEnvironmentError as exc:
        raise _positioned(source, [Problem(("environments",), str(exc), at_key=True)]) from None
    return Loaded(bp, source)


def _parse(source: Source) -> object:
    if not source.text.strip():
        raise _error(
            source.name,
            1,
            1,
            "found an empty file, expected a blueprint mapping (name:, services:, ...)",
        )
    try:
        data = yaml_rs.loads(source.text, parse_datetime=False, alias_limits=ALIAS_LIMITS)
    except yaml_rs.YAMLDecodeError as exc:
        raise _yaml_error(source, str(exc)) from None
    except (RecursionError, MemoryError):
        raise _error(
            source.name,
            1,
            1,
            "the document nests too deeply or expands too far; "
            "expected a plain blueprint without recursive aliases",
        ) from None
    if isinstance(data, list):
        raise _error(
            source.name, 1, 1, "found several YAML documents, expected one blueprint per file"
        )
    if not isinstance(data, dict):
        raise _error(
            source.name,
            1,
            1,
            f"found a {type(data).__name__} at the top level, "
            "expected a mapping (name:, services:, ...)",
        )
    return data


def _yaml_error(source: Source, message: str) -> BlueprintError:
    lines = [ln.strip() for ln in message.splitlines() if ln.strip()]
    head = lines[0] if lines else "invalid YAML"
    if head.startswith("duplicate mapping key"):
        dups = source.positions.duplicate_keys()
        if dups:
            return BlueprintError(
                [
                    Diagnostic(
                        source.name,
                        line,
                        col,
                        f"duplicate key {key!r} (first defined on "
                        f"line {first}); expected each key once per mapping",
                    )
                    for _path, key, line, col, first in dups
                ]
            )
    if "alias" in head and ("limit" in head or "exceeded" in head):
        return _error(
            source.name,
            1,
            1,
            f"YAML aliases expand too far ({head}); expected a blueprint without alias bombs",
        )
    match = _POSITION.search(message)
    line, col = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
    detail = lines[-1] if len(lines) > 1 and not lines[-1].startswith(("|", "^")) else ""
    head = _POSITION.sub("", head).replace(" at ,", "").rstrip(" ,:")
    text = f"invalid YAML: {head}" + (f": {detail}" if detail and detail not in head else "")
    return _error(source.name, line, col, text)


def _positioned(source: Source, problems: list[Problem]) -> BlueprintError:
    diagnostics = []
    for p in problems:
        line, col = source.locate(p.path, at_key=p.at_key)
        diagnostics.append(Diagnostic(source.name, line, col, p.message))
    return BlueprintError(sorted(set(diagnostics)))


def _error(name: str, line: int, col: int, message: str) -> BlueprintError:
    return BlueprintError([Diagnostic(name, line, col, message)])
