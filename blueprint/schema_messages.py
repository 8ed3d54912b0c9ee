"""Pydantic's validation errors, rewritten as one line each: what was found, what was expected."""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from blueprint.errors import Path, Problem, did_you_mean, dotted, one_of

# Patterns of the model, described for people.
PATTERN_DESCRIPTIONS = {
    r"^[a-z]([-a-z0-9]*[a-z0-9])?$": (
        "a name of lowercase letters, digits and '-', starting with a letter and not ending "
        "with '-' (valid in every cloud)"
    ),
    r"^[A-Za-z_][A-Za-z0-9_]*$": "an environment variable name (letters, digits, '_')",
    r"^sha256:[a-f0-9]{64}$": "a digest 'sha256:' followed by 64 hex digits",
    r"^BP\d{4}$": "a rule id such as BP1001",
}


def translate(errors: Sequence[ErrorDetails], root: type[BaseModel]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[Path, str]] = set()
    for err in errors:
        path, at_key = _clean_path(err["loc"])
        message = _message(err, path, root)
        if (path, message) not in seen:
            seen.add((path, message))
            at_key = at_key or err["type"] in {"extra_forbidden", "missing"}
            problems.append(
                Problem(path if err["type"] != "missing" else path[:-1], message, at_key=at_key)
            )
    return problems


def _clean_path(loc: tuple[int | str, ...]) -> tuple[Path, bool]:
    """Drop pydantic's union-branch and function markers; `[key]` means the key itself."""
    path: list[str | int] = []
    at_key = False
    for part in loc:
        if part == "[key]":
            at_key = True
            continue
        if isinstance(part, str) and (
            (part in {"schedule", "topic", "event"} and path and path[-1] == "trigger")
            or part.startswith(("function-", "tagged-union[", "lax-", "strict-"))
            or (
                part
                in {
                    "ApiGateway",
                    "LoadBalancer",
                    "HttpIngress",
                    "api-gateway",
                    "load-balancer",
                    "http",
                }
                and len(path) == 2
                and path[0] == "ingress"
            )
        ):
            continue
        path.append(part)
    return tuple(path), at_key


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, int | float):
        return f"{value} (a number)"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "…'"


def _message(err: ErrorDetails, path: Path, root: type[BaseModel]) -> str:
    kind = err["type"]
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    found = err.get("input")
    where = dotted(path[:-1]) if path else "(top level)"
    if kind == "extra_forbidden":
        key = str(path[-1])
        fields = _fields_at(root, path[:-1])
        hint = did_you_mean(key, fields)
        return f"unknown key {key!r} in {where}{hint}; expected one of: {one_of(fields, 40)}"
    if kind == "missing":
        return f"missing required key {path[-1]!r} in {where}"
    if kind in {"literal_error", "enum"}:
        expected = [
            e.strip().strip("'")
            for e in str(ctx.get("expected", "")).replace(" or ", ",").split(",")
        ]
        expected = [e for e in expected if e]
        hint = did_you_mean(str(found), expected) if isinstance(found, str) else ""
        return f"found {_show(found)}, expected one of {one_of(expected, 40)}{hint}"
    if kind == "union_tag_invalid":
        expected = [e.strip().strip("'") for e in str(ctx.get("expected_tags", "")).split(",")]
        tag = ctx.get("tag")
        hint = did_you_mean(str(tag), expected)
        return f"found kind {tag!r}, expected one of {one_of(expected)}{hint}"
    if kind == "union_tag_not_found":
        return f"missing required key {ctx.get('discriminator', 'kind')!r} in {dotted(path)}"
    if kind == "trigger_kind":
        return (
            f"found {_show(found)}, expected a trigger with one of the keys "
            "'event', 'schedule', 'topic'"
        )
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        described = PATTERN_DESCRIPTIONS.get(pattern, f"a string matching {pattern}")
        return f"found {_show(found)}, expected {described}"
    if kind in {"string_type", "str_type"}:
        hint = f'; quote it: "{found}"' if isinstance(found, int | float) else ""
        return f"found {_show(found)}, expected a string{hint}"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"found {_show(found)}, expected a whole number"
    if kind in {"float_type", "float_parsing"}:
        return f"found {_show(found)}, expected a number"
    if kind in {"bool_type", "bool_parsing"}:
        return f"found {_show(found)}, expected true or false"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return f"found {_show(found)}, expected a mapping"
    if kind in {"list_type", "tuple_type"}:
        return f"found {_show(found)}, expected a list"
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        op = {
            "greater_than_equal": ">=",
            "less_than_equal": "<=",
            "greater_than": ">",
            "less_than": "<",
        }[kind]
        bound = next(iter(ctx.values()))
        return f"found {_show(found)}, expected a number {op} {bound}"
    if kind in {"too_short", "too_long"}:
        return f"found {_show(found)}, expected {err['msg'].lower()}"
    if kind in {"string_too_short", "string_too_long"}:
        limit = err["msg"].lower().replace("string should have ", "")
        return f"found a string of {len(str(found))} characters, expected {limit}"
    if kind in {"date_from_datetime_parsing", "date_parsing", "date_type"}:
        return f"found {_show(found)}, expected a date YYYY-MM-DD"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return f"found {_show(found)}: {err['msg']}"


def _fields_at(root: type[BaseModel], path: Path) -> list[str]:
    """The keys a model accepts at `path` (for unknown-key hints)."""
    current: Any = root
    for part in path:
        current = _step(current, part)
        if current is None:
            return []
    models = _models_in(current)
    names: list[str] = []
    for model in models:
        names.extend(model.model_fields)
    return names


def _models_in(tp: Any) -> list[type[BaseModel]]:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [tp]
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(tp)[0])
    if origin in {typing.Union, types.UnionType}:
        out: list[type[BaseModel]] = []
        for arg in typing.get_args(tp):
            out.extend(_models_in(arg))
        return out
    return []


def _step(tp: Any, part: str | int) -> Any:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _step(typing.get_args(tp)[0], part)
    if origin in {typing.Union, types.UnionType}:
        for arg in typing.get_args(tp):
            result = _step(arg, part)
            if result is not None:
                return result
        return None
    if origin is dict:
        return typing.get_args(tp)[1]
    if origin is tuple:
        return typing.get_args(tp)[0]
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        info = tp.model_fields.get(str(part))
        return info.annotation if info is not None else None
    return None
