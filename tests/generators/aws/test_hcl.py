"""The HCL writer's fast paths (exact types first, strings and keys spelled once) write exactly
what the general path writes: the reference below is the writer as it was before them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generators.aws import hcl
from generators.aws.values import Attr, Value, value
from generators.common.quoting import hcl_string
from tests.conftest import slow_examples


def reference(v: Any, indent: int = 0) -> str:
    if isinstance(v, Value):
        return hcl.expr(v)
    if isinstance(v, Attr):
        return v.tf
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if v is None:
        return "null"
    if isinstance(v, str):
        return hcl_string(v)
    if isinstance(v, Mapping):
        return "{}" if not v else "{\n" + _attributes(v, indent + 1) + "\n" + "  " * indent + "}"
    if isinstance(v, Sequence):
        if not v:
            return "[]"
        if not _multiline(v):
            return "[" + ", ".join(reference(x) for x in v) + "]"
        pad = "  " * (indent + 1)
        inner = [pad + reference(x, indent + 1) + "," for x in v]
        return "\n".join(["[", *inner, "  " * indent + "]"])
    raise TypeError(type(v).__name__)


def _multiline(v: Any) -> bool:
    if isinstance(v, Mapping):
        return bool(v)
    if isinstance(v, Sequence) and not isinstance(v, str | Value):
        return any(isinstance(x, Mapping | list | tuple) for x in v)
    return False


def _attributes(obj: Mapping[str, Any], indent: int) -> str:
    pad = "  " * indent
    lines: list[str] = []
    run: list[tuple[str, Any]] = []

    def flush() -> None:
        width = max((len(k) for k, _ in run), default=0)
        lines.extend(f"{pad}{k.ljust(width)} = {reference(v, indent)}" for k, v in run)
        run.clear()

    for k, v in obj.items():
        spelled = k if hcl._BARE_KEY.match(k) and k not in hcl._KEYWORDS else hcl_string(k)
        if _multiline(v):
            flush()
            lines.append(f"{pad}{spelled} = {reference(v, indent)}")
        else:
            run.append((spelled, v))
    flush()
    return "\n".join(lines)


class Word(StrEnum):
    FOR = "for"


ATTR = Attr("aws_s3_bucket.logs.arn", None, "")
SCALARS = (
    st.text(max_size=6)
    | st.sampled_from(["${x}", "%{y}", "a\nb", "true", "for", "", Word.FOR])
    | st.integers()
    | st.booleans()
    | st.none()
    | st.just(ATTR)
    | st.builds(lambda s: value("arn:", ATTR, s), st.text(max_size=4))
)
KEYS = st.text(max_size=6) | st.sampled_from(["name", "for", "a-b", "1x", Word.FOR])
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(KEYS, inner, max_size=4)
        | st.dictionaries(KEYS, inner, max_size=3).map(MappingProxyType)
    ),
    max_leaves=25,
)


@settings(max_examples=slow_examples(600))
@given(VALUES, st.integers(min_value=0, max_value=2))
def test_hcl_writes_what_the_general_path_writes(v: Any, indent: int) -> None:
    # Twice: the second answer comes from the memoized spellings.
    assert hcl.hcl(v, indent) == reference(v, indent)
    assert hcl.hcl(v, indent) == reference(v, indent)


@settings(max_examples=slow_examples(300))
@given(st.dictionaries(KEYS, VALUES, max_size=5), st.integers(min_value=1, max_value=2))
def test_attributes_align_as_the_general_path_aligns(obj: dict[str, Any], indent: int) -> None:
    assert hcl.attributes(obj, indent) == _attributes(obj, indent)


def test_a_trust_policy_written_once_per_service_is_the_roles_own() -> None:
    from generators.aws.plan.records import Named, Role
    from generators.aws.terraform.references import policy_json, trust_policy

    def role(name: str, service: str, assumed_by: tuple[Value, ...] = ()) -> Role:
        return Role(Named(name, name.title(), name), "task", service, None, assumed_by)

    leo = value("arn:", ATTR, ":user/leo")
    roles = [
        role("a", "ecs-tasks.amazonaws.com"),
        role("b", "ecs-tasks.amazonaws.com"),
        role("c", "vpc-flow-logs.amazonaws.com"),
        role("d", "ecs-tasks.amazonaws.com", (leo,)),
        role("e", "", (leo,)),
        role("f", "ecs-tasks.amazonaws.com"),
    ]
    for r in roles:
        assert trust_policy(r) == hcl.hcl(policy_json(r.trust), 1)
    assert "leo" in trust_policy(roles[3]) and "leo" not in trust_policy(roles[5])
