"""Reading a blueprint: bounded, safe YAML; every problem positioned; nothing half-loaded.

The YAML is parsed with yaml-rs (YAML 1.2, duplicate keys an error, alias expansion bounded),
then validated by the pydantic model and the cross-reference checks. Positions are looked up
only for the problems that are reported (see positions.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml_rs
from pydantic import ValidationError

from blueprint import early_parse
from blueprint.environments import (
    EnvironmentProblemsError,
    UnknownEnvironmentError,
    apply_environment,
)
from blueprint.errors import BlueprintError, Diagnostic, Problem
from blueprint.gc_pause import paused_gc
from blueprint.model import Blueprint
from blueprint.positions import SourceMap
from blueprint.validation import validate_blueprint
from blueprint.yaml_parse import MAX_BYTES, NON_STRING_LOOKS

_POSITION = re.compile(r"line (\d+), column (\d+)")


@dataclass(frozen=True)
class Source:
    """The text a blueprint was read from, for positions and provenance."""

    name: str  # as given by the user, for messages
    text: str
    sha256: str
    positions: SourceMap = field(compare=False, repr=False)
    # The name relative to the repository root, spelled for comments (provenance.py), when the
    # file was read from disk; `provenance` falls back to `name`.
    repository_name: str | None = None

    @property
    def provenance(self) -> str:
        """How the header and the manifest name this blueprint, the same from every folder."""
        from blueprint.provenance import spell

        return self.repository_name or spell(self.name)

    def locate(self, path: tuple[str | int, ...], *, at_key: bool = False) -> tuple[int, int]:
        return self.positions.locate(path, at_key=at_key)


@dataclass(frozen=True)
class Loaded:
    blueprint: Blueprint
    source: Source


# Called with the model as soon as the schema has passed, before the cross-reference and
# support checks: `blueprint check` starts its graph rules on another core from here
# (policies/early_split.py). What it starts must wait for the load to succeed.
OnModel = Callable[[Blueprint, Source], None]


def read_source(path: Path, name: str | None = None) -> Source:
    shown = name or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _too_large(shown, size)
        raw = path.read_bytes()
    except OSError as exc:
        raise _error(shown, 1, 1, f"cannot read the file: {exc.strerror or exc}") from None
    return source_from_bytes(raw, shown)


def source_from_bytes(raw: bytes, name: str) -> Source:
    if len(raw) > MAX_BYTES:
        raise _too_large(name, len(raw))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _error(
            name,
            line,
            col,
            f"found byte 0x{raw[exc.start]:02x}, which is not UTF-8; expected UTF-8 text "
            "(re-save the file as UTF-8)",
        ) from None
    text = text.removeprefix("\ufeff")
    _refuse_nul(text, name)
    return Source(name, text, hashlib.sha256(raw).hexdigest(), SourceMap(text))


def _refuse_nul(text: str, name: str) -> None:
    """YAML forbids a raw NUL (it is not a printable character); readers differ on what they do
    with one, and everything downstream (C strings, the kubelet, terminals) cuts at it."""
    index = text.find("\x00")
    if index < 0:
        return
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    raise _error(
        name,
        line,
        col,
        "found a raw NUL byte (0x00), expected YAML text without NUL (write \\0 inside a "
        "double-quoted string if a value needs one)",
    )


def _too_large(name: str, size: int) -> BlueprintError:
    return _error(
        name,
        1,
        1,
        f"found a file of {size} bytes, expected at most {MAX_BYTES} bytes (16 MiB); "
        "split the system into several blueprints, or check that this is a blueprint",
    )


def load(
    path: Path,
    *,
    environment: str | None = None,
    name: str | None = None,
    support: bool = True,
    on_model: OnModel | None = None,
) -> Loaded:
    source = read_source(path, name)
    return load_source(source, environment=environment, support=support, on_model=on_model)


def load_source(
    source: Source,
    *,
    environment: str | None = None,
    support: bool = True,
    on_model: OnModel | None = None,
) -> Loaded:
    """The validated blueprint. `support=False` leaves out what the targets can render (the
    support matrix): for analysing a system with the rules alone, as the rules' own tests do."""
    with paused_gc():
        return _load_source(source, environment, support, on_model)


def _load_source(
    source: Source, environment: str | None, support: bool, on_model: OnModel | None
) -> Loaded:
    data = _parse(source)
    _refuse_colliding_keys(source, data)
    try:
        bp = Blueprint.model_validate(data)
    except ValidationError as exc:
        from blueprint.partial import valid_part  # only when there is something to say
        from blueprint.schema_messages import translate

        problems = translate(exc.errors(), Blueprint)
        # The rest of the file is checked too, so that one run reports every problem.
        part = valid_part(data, exc.errors())
        if part is not None:
            problems += validate_blueprint(part.blueprint, unknown_ok=part.dropped, support=support)
        raise _positioned(source, problems) from None
    if on_model is not None:
        on_model(bp, source)
    problems = validate_blueprint(bp, support=support)
    if problems:
        raise _positioned(source, problems)
    try:
        bp = apply_environment(bp, environment)
    except UnknownEnvironmentError as exc:
        raise _positioned(source, [Problem(("environments",), str(exc), at_key=True)]) from None
    except EnvironmentProblemsError as exc:
        raise _positioned(source, exc.problems) from None
    return Loaded(bp, source)


def _parse(source: Source) -> object:
    _refuse_foreign_tags(source)
    try:
        data = early_parse.parsed(source.text)  # the early thread's parse, or one now
    except yaml_rs.YAMLDecodeError as exc:
        raise _yaml_error(source, str(exc)) from None
    except TypeError:  # yaml-rs cannot hash a mapping key that holds a list or mapping
        line, col = source.positions.first_complex_key() or (1, 1)
        raise _error(
            source.name,
            line,
            col,
            "found a list or mapping used as a mapping key, expected a plain key such as a name",
        ) from None
    except (RecursionError, MemoryError):
        raise _error(
            source.name,
            1,
            1,
            "found a document that nests too deeply or expands too far; "
            "expected a plain blueprint without recursive aliases",
        ) from None
    if data is None:
        what = "an empty file" if not source.text.strip() else "no content (only comments)"
        raise _error(
            source.name, 1, 1, f"found {what}, expected a blueprint mapping (name:, services:, ...)"
        )
    if isinstance(data, list):
        starts = source.positions.document_starts()
        if len(starts) > 1:
            line, col = starts[1]
            raise _error(
                source.name,
                line,
                col,
                f"found {len(starts)} YAML documents, expected one blueprint per file "
                "(remove the '---' separator or split the file)",
            )
        raise _error(
            source.name, 1, 1, "found a list at the top level, expected a mapping (name:, ...)"
        )
    if not isinstance(data, dict):
        raise _error(
            source.name,
            1,
            1,
            f"found {_describe_scalar(data)} at the top level, "
            "expected a mapping (name:, services:, ...)",
        )
    return data


# Two keys can read the same only when one is quoted and looks like a number, a boolean or
# null (unquoted, it would be that type): without such a key, the walk below is skipped.
# One pattern per quote: a pattern that starts with one character is scanned for it alone; one
# that starts with the class ['"] tries every character (5x slower, 50 ms at 5,000 services).
_QUOTED_SCALAR_KEYS = (
    re.compile("'" + NON_STRING_LOOKS + r"'\s*:"),
    re.compile('"' + NON_STRING_LOOKS + r'"\s*:'),
)


def has_quoted_scalar_key(text: str) -> bool:
    return any(pattern.search(text) for pattern in _QUOTED_SCALAR_KEYS)


def _refuse_colliding_keys(source: Source, data: object) -> None:
    """Keys that differ only in their YAML type (8080 and "8080") would collapse into one."""
    if not has_quoted_scalar_key(source.text) or not _has_colliding_keys(data):
        return
    raise BlueprintError(
        [
            Diagnostic(
                source.name,
                line,
                col,
                f"found the key {key!r} again, spelled another way (first on line {first}); "
                'expected each key once per mapping (8080 and "8080" are the same key)',
            )
            for _path, key, line, col, first in source.positions.duplicate_keys()
        ]
        or [Diagnostic(source.name, 1, 1, "found two keys of one mapping that read the same")]
    )


def _has_colliding_keys(data: object) -> bool:
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if not all(type(k) is str for k in node):
                spelled = {_spelled(k) for k in node}
                if len(spelled) < len(node):
                    return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def _spelled(key: object) -> str:
    if key is None:
        return "null"
    return str(key).lower() if isinstance(key, bool) else str(key)


def _describe_scalar(value: object) -> str:
    if isinstance(value, str):
        shown = repr(value) if len(value) <= 40 else repr(value[:37]) + "…"
        return f"the string {shown}"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    return f"the {type(value).__name__} {value!r}"


def has_tag_candidate(text: str) -> bool:
    """Whether a '!' starts a YAML token (a tag): at the start of a line or after whitespace,
    '[', '{' or ','; '!' inside words and quoted text rarely does. The same answer as the
    regex `(?:^|[\\s\\[{,])!` (multiline), which tries its alternation at every character of
    the text (0.1 s at 5,000 services); this looks only at each '!'."""
    index = text.find("!")
    while index >= 0:
        if index == 0 or text[index - 1].isspace() or text[index - 1] in "[{,":
            return True
        index = text.find("!", index + 1)
    return False


def _refuse_foreign_tags(source: Source) -> None:
    """Safe YAML only: tags beyond the core schema (!!python/..., !Ref) are errors, not ignored."""
    if not has_tag_candidate(source.text):
        return
    tags = source.positions.foreign_tags()
    if tags:
        raise BlueprintError(
            [
                Diagnostic(
                    source.name,
                    line,
                    col,
                    f"found the YAML tag {_short_tag(tag)!r}, expected plain YAML without tags "
                    "(blueprint reads data only, never objects)",
                )
                for tag, line, col in tags
            ]
        )


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org") else tag


# What yaml-rs reports, said for people: (fragment of its message, our message).
_YAML_HINTS = (
    ("unclosed bracket '['", "found an unclosed '[', expected a matching ']'"),
    ("unclosed bracket '{'", "found an unclosed '{', expected a matching '}'"),
    (
        "illegal placement of ':'",
        "found ':' where it cannot be (often a '[' or '{' above that was never closed), "
        "expected a closed bracket before the next key",
    ),
    ("misplaced bracket", "found a closing bracket without its opening bracket"),
    ("unclosed quote", "found an unclosed quote, expected a closing quote"),
    (
        "multiline quoted scalar",
        "found a quoted value that runs on past its line, expected a closing quote",
    ),
    (
        "tabs disallowed",
        "found a tab in the indentation, expected spaces (YAML does not allow tabs there)",
    ),
    (
        "did not find expected key",
        "found a line that is not aligned with the keys of its mapping, expected the same "
        "indentation for every key of one mapping",
    ),
    (
        "did not find expected '-' indicator",
        "found a line that is not aligned with the items of its list, expected '- ' at the "
        "same indentation for every item",
    ),
    (
        "mapping values are not allowed",
        "found ':' where a value was expected (a 'key: value' inside a plain value, or a "
        "key indented too far); quote the value or fix the indentation",
    ),
    ("found unknown anchor", "found an alias to an anchor that is not defined before it"),
)


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
                        f"found the key {key!r} again (first on line {first}), "
                        "expected each key once per mapping",
                    )
                    for _path, key, line, col, first in dups
                ]
            )
    if "alias" in head and ("limit" in head or "exceeded" in head):
        line, col = source.positions.first_alias() or (1, 1)
        return _error(
            source.name,
            line,
            col,
            f"found YAML aliases that expand too far ({head}); "
            'expected a blueprint without alias bombs ("billion laughs")',
        )
    match = _POSITION.search(message)
    line, col = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
    reason = lines[-1] if len(lines) > 1 and not lines[-1].startswith(("|", "^")) else head
    reason = _POSITION.sub("", reason).strip(" ,:")
    if reason.startswith("YAML parse error"):
        reason = "unexpected input"
    friendly = next((text for fragment, text in _YAML_HINTS if fragment in reason), None)
    if friendly is not None and "anchor" in reason:
        name = re.match(r"\*([^\s,\]}]+)", _line(source, line)[col - 1 :])
        if name:
            friendly = (
                f"found the alias *{name.group(1)}, expected the anchor &{name.group(1)} "
                "defined before it"
            )
    if "tabs disallowed" in reason:
        line_text = _line(source, line)
        indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
        if "\t" in indent:
            col = indent.index("\t") + 1  # yaml-rs reports the column after the tab
    return _error(source.name, line, col, f"invalid YAML: {friendly or reason}")


def _line(source: Source, line: int) -> str:
    lines = source.text.split("\n")
    return lines[line - 1].rstrip("\r") if 0 < line <= len(lines) else ""


def _positioned(source: Source, problems: list[Problem]) -> BlueprintError:
    diagnostics = []
    for p in problems:
        line, col = source.locate(p.path, at_key=p.at_key)
        diagnostics.append(Diagnostic(source.name, line, col, p.message))
    return BlueprintError(sorted(set(diagnostics)))


def _error(name: str, line: int, col: int, message: str) -> BlueprintError:
    return BlueprintError([Diagnostic(name, line, col, message)])
