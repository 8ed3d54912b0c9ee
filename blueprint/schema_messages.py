"""Pydantic's validation errors, rewritten as one line each: what was found, what was expected.

Pydantic's error locations carry markers that are not keys of the blueprint (the branch of a
union, `[key]` for a mapping key); they are dropped by walking the model's types along the
location, so every problem points at a real key or value. The errors of the branches of one
union are collapsed into a single line.
"""

from __future__ import annotations

import enum
import re
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from blueprint.errors import Path, Problem, did_you_mean, dotted, one_of

NAME_PATTERN = r"^[a-z]([-a-z0-9]*[a-z0-9])?$"
_PATH_PATTERN = r"^/\S*$"

# Every pattern of the model, described for people (a test keeps this complete).
PATTERN_DESCRIPTIONS = {
    NAME_PATTERN: (
        "a name of lowercase letters, digits and '-' that starts with a letter and does not "
        "end with '-', valid in every cloud"
    ),
    r"^[A-Za-z_][A-Za-z0-9_]*$": (
        "an environment variable name (letters, digits and '_', not starting with a digit)"
    ),
    r"^sha256:[a-f0-9]{64}$": "a digest 'sha256:' followed by 64 lowercase hex digits",
    r"^BP\d{4}$": "a rule id such as BP1001",
    r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$": (
        "an image tag of letters, digits, '_', '.' and '-' (at most 128, not starting with "
        "'.' or '-')"
    ),
    r"^[a-z0-9]+([._/-][a-z0-9]+)*$": (
        "a repository path of lowercase letters and digits, separated by '.', '_', '-' or '/'"
    ),
    r"^([a-z]([-a-z0-9]*[a-z0-9])?|[a-z0-9.-]+\.[a-z]{2,}(:\d+)?)$": (
        "the name of a resource of kind registry, or a registry host such as ghcr.io"
    ),
    _PATH_PATTERN: "a path starting with '/' and without spaces",
    r"^[A-Za-z0-9][-A-Za-z0-9_.]{0,126}$": (
        "a secret key of letters, digits, '-', '_' and '.' (at most 127, starting with a "
        "letter or digit)"
    ),
    r"^(\S+\s+){4}\S+$": "a five-field cron schedule such as '0 3 * * *'",
    r"^(python|node|dotnet|java)\|[0-9.]+$": (
        "a runtime 'LANGUAGE|VERSION' such as 'python|3.11' (python, node, dotnet or java)"
    ),
    r"^[a-z0-9-]{1,16}$": "a zone such as 'a' or '1' (lowercase letters, digits and '-')",
    r"^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /\S*$|^\$default$": (
        "a route 'METHOD /path' (METHOD one of ANY, GET, POST, PUT, PATCH, DELETE, HEAD, "
        "OPTIONS) or '$default'"
    ),
    r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,63}$": (
        "a lowercase DNS host name such as shop.example.com"
    ),
    r"^[a-z]{2}(-gov)?-[a-z]+-\d$": "an AWS region such as eu-west-2",
    r"^[a-z][a-z0-9]{2,39}$": "an Azure location such as westeurope",
    r"^[-A-Za-z0-9_.()]{1,89}[-A-Za-z0-9_()]$": (
        "an Azure resource group name (letters, digits, '-', '_', '.', '(' and ')'; at most "
        "90, not ending with '.')"
    ),
    r"^[a-z][-a-z0-9]{4,28}[a-z0-9]$": (
        "a GCP project id of 6 to 30 lowercase letters, digits and '-', starting with a letter"
    ),
    r"^[a-z]+-[a-z]+\d$": "a GCP region such as europe-west1",
    r"^https://\S+$": "an https:// URL",
    r"^(https://|ssh://|git@)\S+$": "a git URL (https://, ssh:// or git@host:path)",
    r"^[A-Za-z0-9_./-]{1,255}$": "a git revision: a branch, a tag or a commit",
    r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$": "a relative path such as out/shop",
    r"^[a-z_]+(\.[^\s.]+)+$": "a finding subject such as services.web",
}

_OPERATORS = {
    "greater_than_equal": ">=",
    "less_than_equal": "<=",
    "greater_than": ">",
    "less_than": "<",
}


@dataclass(frozen=True)
class _Located:
    path: Path
    at_key: bool
    in_union: bool
    # The type holding the last key (a union's branch resolved), for unknown-key listings.
    parent: Any = None


def translate(errors: Sequence[ErrorDetails], root: type[BaseModel]) -> list[Problem]:
    """One problem per place: the errors of a union's branches become one line."""
    grouped: dict[tuple[Path, bool], list[tuple[ErrorDetails, bool]]] = {}
    # A mapping with a YAML 1.1 merge key misses the merged keys: say why once, not each.
    merged = {
        _locate(err["loc"], root).path[:-1]
        for err in errors
        if err["type"] == "extra_forbidden" and err["loc"][-1] == "<<"
    }
    for err in errors:
        located = _locate(err["loc"], root)
        path, at_key = located.path, located.at_key
        if err["type"] == "missing" and path[:-1] in merged:
            continue
        if err["type"] == "missing":
            path, at_key = path[:-1], True
        elif err["type"] in {"extra_forbidden", "invalid_key"}:
            at_key = True  # the key is what is wrong
        elif err["type"] == "union_tag_not_found" or (
            err["type"] == "value_error" and isinstance(err.get("input"), dict)
        ):
            at_key = True  # a model-level check: point at the mapping's key
        grouped.setdefault((path, at_key), []).append((err, located.in_union))
    problems: list[Problem] = []
    for (path, at_key), items in grouped.items():
        union = [err for err, in_union in items if in_union]
        plain = [err for err, in_union in items if not in_union]
        messages = [
            _message(err, _real_path(err, path), root, _located_parent(err, root)) for err in plain
        ]
        if union:
            messages.append(_union_message(union, path, root))
        for message in dict.fromkeys(messages):
            problems.append(Problem(path, message, at_key=at_key))
    return problems


def _located_parent(err: ErrorDetails, root: type[BaseModel]) -> Any:
    return _locate(err["loc"], root).parent


def _real_path(err: ErrorDetails, path: Path) -> Path:
    """`missing` errors are reported at the parent but named after the missing key."""
    if err["type"] == "missing":
        return (*path, err["loc"][-1])
    return path


def _union_message(errors: list[ErrorDetails], path: Path, root: type[BaseModel]) -> str:
    found = errors[0].get("input")
    expectations: list[str] = []
    for err in errors:
        message = _message(err, path, root)
        expected = message.split(", expected ", 1)[1] if ", expected " in message else message
        expected = expected.split(" (did you mean", 1)[0].split("; quote it", 1)[0]
        if expected.startswith("one of ") and expected.count("'") == 2:
            expected = expected.removeprefix("one of ")  # a single literal
        expectations.append(expected)
    return f"found {_show(found)}, expected {' or '.join(dict.fromkeys(expectations))}"


def _locate(loc: tuple[int | str, ...], root: type[BaseModel]) -> _Located:
    """Drop union-branch labels and `[key]` by walking the model's types along `loc`."""
    path: list[str | int] = []
    at_key = False
    in_union = False
    current: Any = root
    parent: Any = None
    parts = list(loc)
    i = 0
    while i < len(parts):
        part = parts[i]
        i += 1
        if part == "[key]":
            at_key = True
            continue
        if isinstance(part, str) and part.startswith(("function-", "lax-", "strict-")):
            continue
        members = _union_members(current)
        if len(members) > 1:
            # Pydantic names the branch (a tag or a type label) before the branch's own path;
            # only a union without a discriminator tries (and reports) every branch.
            in_union = in_union or not _is_discriminated(current)
            current = _branch(members, part)
            continue
        path.append(part)
        parent = current
        current = _step(current, part) if current is not None else None
    return _Located(tuple(path), at_key, in_union, parent)


def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _is_discriminated(tp: Any) -> bool:
    while typing.get_origin(tp) is typing.Annotated:
        if any(
            getattr(meta, "discriminator", None) is not None for meta in typing.get_args(tp)[1:]
        ):
            return True
        tp = typing.get_args(tp)[0]
    return False


def _union_members(tp: Any) -> list[Any]:
    """The non-None members of a union type (one member for Optional[X] and plain types)."""
    tp = _unwrap(tp)
    if typing.get_origin(tp) in {typing.Union, types.UnionType}:
        return [a for a in typing.get_args(tp) if a is not type(None)]
    return [tp] if tp is not None else []


def _branch(members: list[Any], label: str | int) -> Any:
    """The member a pydantic branch label names: a discriminator tag or a type label."""
    for member in members:
        for meta in typing.get_args(member)[1:] if typing.get_origin(member) else ():
            if getattr(meta, "tag", None) == label:
                return member
        inner = _unwrap(member)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            kind = inner.model_fields.get("kind")
            if kind is not None and label in typing.get_args(kind.annotation):
                return member
            if label == inner.__name__:
                return member
    if isinstance(label, str) and label.startswith("literal["):
        return next((m for m in members if typing.get_origin(_unwrap(m)) is typing.Literal), None)
    return next((m for m in members if _unwrap(m) is str), members[0])


def _step(tp: Any, part: str | int) -> Any:
    """The type found at `part` inside a value of type `tp` (None when unknown)."""
    members = _union_members(tp)
    if len(members) != 1:
        return None
    tp = members[0]
    origin = typing.get_origin(tp)
    if origin is dict:
        return typing.get_args(tp)[1]
    if origin is tuple:
        return typing.get_args(tp)[0]
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        info = tp.model_fields.get(str(part))
        if info is None:
            return None
        # Pydantic moves a field's Annotated metadata (such as a discriminator) out of its
        # annotation; put it back so the walk sees discriminated unions as such.
        metadata = [*info.metadata, *([info] if info.discriminator is not None else [])]
        return typing.Annotated[info.annotation, *metadata] if metadata else info.annotation
    return None


def _patterns(tp: Any) -> list[str]:
    """The string patterns in a type's Annotated metadata, its union members' included."""
    found: list[str] = []
    while typing.get_origin(tp) is typing.Annotated:
        args = typing.get_args(tp)
        found.extend(str(m.pattern) for m in args[1:] if getattr(m, "pattern", None))
        tp = args[0]
    if typing.get_origin(tp) in {typing.Union, types.UnionType}:
        for member in typing.get_args(tp):
            found.extend(_patterns(member))
    return found


def _type_at(root: type[BaseModel], path: Path) -> Any:
    current: Any = root
    for part in path:
        members = _union_members(current)
        if len(members) > 1:
            # The first branch that has this key (a discriminated union's branches differ).
            current = next((t for t in (_step(m, part) for m in members) if t is not None), None)
        else:
            current = _step(current, part)
        if current is None:
            return None
    return current


def _fields_at(root: type[BaseModel], path: Path, parent: Any = None) -> list[str]:
    """The keys a model accepts at `path` (for unknown-key hints): those of the branch the
    input chose when the location names one (an ingress of kind http lists only its own keys),
    else of every member."""
    names: list[str] = []
    for member in _union_members(parent if parent is not None else _type_at(root, path)):
        inner = _unwrap(member)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            names.extend(inner.model_fields)
    return names


def _choices(tp: Any) -> list[str]:
    """The values an enum or Literal field accepts (empty for other types)."""
    for member in _union_members(tp):
        inner = _unwrap(member)
        if isinstance(inner, type) and issubclass(inner, enum.Enum):
            return [str(e.value) for e in inner]
        if typing.get_origin(inner) is typing.Literal:
            return [str(a) for a in typing.get_args(inner)]
    return []


_FIELD_DESCRIPTIONS = {
    "cidr": "a network in CIDR form such as 10.0.0.0/16",
    "expires": "a date YYYY-MM-DD",
}


def _describe_type(tp: Any, name: str) -> str:
    """What a field holds, for a missing key."""
    if name in _FIELD_DESCRIPTIONS:
        return _FIELD_DESCRIPTIONS[name]
    choices = _choices(tp)
    if choices:
        return f"one of {one_of(choices, 40)}"
    for pattern in _patterns(tp):
        if pattern in PATTERN_DESCRIPTIONS:
            return PATTERN_DESCRIPTIONS[pattern]
    for member in _union_members(tp):
        inner = _unwrap(member)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return "a mapping"
        origin = typing.get_origin(inner)
        if origin is dict:
            return "a mapping"
        if origin is tuple:
            return "a list"
        if inner is int:
            return "a whole number"
        if inner is float:
            return "a number"
        if inner is bool:
            return "true or false"
        if inner is str:
            return "a string"
    return "a value"


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "an empty mapping" if not value else "a mapping"
    if isinstance(value, list):
        return "an empty list" if not value else "a list"
    if isinstance(value, tuple | frozenset):
        return "a list or mapping used as a key"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, int | float):
        return f"{value} (a number)"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "…'"


def _name_hint(found: object) -> str:
    if not isinstance(found, str):
        return ""
    suggestion = re.sub(r"[^a-z0-9]+", "-", found.lower()).strip("-")
    if suggestion and suggestion != found and re.match(NAME_PATTERN, suggestion):
        return f" (did you mean {suggestion!r}?)"
    return ""


def _unquote_hint(found: object, kind: str) -> str:
    """A quoted number or boolean: say how YAML spells the real thing."""
    if not isinstance(found, str):
        return ""
    text = found.strip()
    if kind == "bool":
        return "; write true or false without quotes" if text else ""
    try:
        number = int(text) if kind == "int" else float(text)
    except ValueError:
        return ""
    return f"; write it without quotes: {number}"


def _message(err: ErrorDetails, path: Path, root: type[BaseModel], parent: Any = None) -> str:
    kind = err["type"]
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    found = err.get("input")
    if kind == "extra_forbidden":
        key = str(path[-1])
        if key == "<<":
            return (
                "found a YAML 1.1 merge key '<<', which YAML 1.2 does not have; expected the "
                "keys written out (an alias of a whole value, such as image: *image, works)"
            )
        where = f"in {dotted(path[:-1])}" if path[:-1] else "at the top level"
        fields = _fields_at(root, path[:-1], parent)
        hint = did_you_mean(key, [f for f in fields if f != key]) or _other_kinds(root, path, key)
        return f"unknown key {key!r} {where}{hint}; expected one of: {one_of(fields, 40)}"
    if kind == "missing":
        where = f"in {dotted(path[:-1])}" if path[:-1] else "at the top level"
        return (
            f"missing required key {path[-1]!r} {where}; "
            f"expected {path[-1]}: {_describe_type(_type_at(root, path), str(path[-1]))}"
        )
    if kind in {"literal_error", "enum"}:
        expected = _choices(_type_at(root, path)) or [
            e.strip().strip("'")
            for e in str(ctx.get("expected", "")).replace(" or ", ",").split(",")
        ]
        expected = [e for e in expected if e]
        hint = did_you_mean(str(found), expected) if isinstance(found, str) else ""
        wanted = repr(expected[0]) if len(expected) == 1 else f"one of {one_of(expected, 40)}"
        return f"found {_show(found)}, expected {wanted}{hint}"
    if kind == "union_tag_invalid":
        expected = [e.strip().strip("'") for e in str(ctx.get("expected_tags", "")).split(",")]
        tag = ctx.get("tag")
        hint = did_you_mean(str(tag), expected)
        return f"found kind {tag!r}, expected one of {one_of(expected)}{hint}"
    if kind == "union_tag_not_found":
        key = str(ctx.get("discriminator", "kind")).strip("'\"")
        choices = _kind_tags(root, path)
        hint = f"; expected {key}: one of {one_of(choices)}" if choices else ""
        return f"missing required key {key!r} in {dotted(path)}{hint}"
    if kind == "trigger_kind":
        keys = f" with keys {one_of(map(str, found))}" if isinstance(found, dict) and found else ""
        shown = f"a mapping{keys}" if isinstance(found, dict) else _show(found)
        return (
            f"found {shown}, expected a trigger with one of the keys 'event', 'schedule', 'topic'"
        )
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        described = PATTERN_DESCRIPTIONS.get(pattern, f"a string matching {pattern}")
        hint = _name_hint(found) if pattern == NAME_PATTERN else ""
        return f"found {_show(found)}, expected {described}{hint}"
    if kind in {"string_type", "str_type"}:
        hint = f'; quote it: "{found}"' if isinstance(found, int | float) else ""
        return f"found {_show(found)}, expected a string{hint}"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"found {_show(found)}, expected a whole number{_unquote_hint(found, 'int')}"
    if kind in {"float_type", "float_parsing", "finite_number"}:
        return f"found {_show(found)}, expected a number{_unquote_hint(found, 'float')}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"found {_show(found)}, expected true or false{_unquote_hint(found, 'bool')}"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return f"found {_show(found)}, expected a mapping"
    if kind in {"list_type", "tuple_type"}:
        return f"found {_show(found)}, expected a list"
    if kind in _OPERATORS:
        bound = next(iter(ctx.values()))
        if bound == 65535 or (path and path[-1] == "port"):
            return f"found {_show(found)}, expected a port number from 1 to 65535"
        return f"found {_show(found)}, expected a number {_OPERATORS[kind]} {bound}"
    if kind in {"too_short", "too_long"}:
        what = "a mapping" if isinstance(found, dict) else "a list"
        limit = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        relation = "at least" if kind == "too_short" else "at most"
        items = "item" if limit == 1 else "items"
        return f"found {_show(found)}, expected {what} of {relation} {limit} {items}"
    if kind in {"string_too_short", "string_too_long"}:
        limit = ctx.get("min_length") if kind == "string_too_short" else ctx.get("max_length")
        relation = "at least" if kind == "string_too_short" else "at most"
        return (
            f"found a string of {len(str(found))} characters, expected {relation} {limit} "
            "characters"
        )
    if kind in {"date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime"}:
        reason = f" ({ctx['error']})" if ctx.get("error") else ""
        return f"found {_show(found)}, expected a date YYYY-MM-DD{reason}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return f"found {_show(found)}, expected {err['msg'][0].lower()}{err['msg'][1:]}"


def _other_kinds(root: type[BaseModel], path: Path, key: str) -> str:
    """A key of another kind of the same object (tls_secret on a load-balancer): say whose."""
    owners = [
        str(tag)
        for member in _union_members(_type_at(root, path[:-1]))
        if isinstance(inner := _unwrap(member), type)
        and issubclass(inner, BaseModel)
        and key in inner.model_fields
        and "kind" in inner.model_fields
        for tag in typing.get_args(inner.model_fields["kind"].annotation)
    ]
    return f" ({key!r} is a key of kind {' or '.join(owners)})" if owners else ""


def _kind_tags(root: type[BaseModel], path: Path) -> list[str]:
    tags: list[str] = []
    for member in _union_members(_type_at(root, path)):
        inner = _unwrap(member)
        if (
            isinstance(inner, type)
            and issubclass(inner, BaseModel)
            and "kind" in inner.model_fields
        ):
            tags.extend(str(a) for a in typing.get_args(inner.model_fields["kind"].annotation))
    return tags
