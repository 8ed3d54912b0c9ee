"""The loader: YAML 1.2 semantics, safe YAML only, every problem positioned and all at once."""

from __future__ import annotations

import hashlib
import textwrap

import pytest

from blueprint.errors import BlueprintError, Diagnostic
from blueprint.loader import load_source, source_from_bytes
from tests.support import load_text

HEAD = """\
name: shop
platforms:
  kubernetes: {namespace: shop}
"""
SERVICE = """\
services:
  web:
    platform: kubernetes
    image: {registry: ghcr.io, repository: shop/web, tag: "1.0"}
"""


def problems(text: str, environment: str | None = None) -> list[str]:
    with pytest.raises(BlueprintError) as info:
        load_text(text, environment=environment)
    return [str(d) for d in info.value.diagnostics]


def test_yaml_1_2_booleans_stay_strings_where_strings_are_expected() -> None:
    bp = load_text(
        HEAD
        + SERVICE
        + "    env: {A: yes, B: no, C: on, D: off, E: y, F: n, G: NO}\n"
        + "    description: no\n"
    ).blueprint
    web = bp.services["web"]
    assert dict(web.env) == {
        "A": "yes",
        "B": "no",
        "C": "on",
        "D": "off",
        "E": "y",
        "F": "n",
        "G": "NO",
    }
    assert web.description == "no"


def test_yaml_1_2_numbers_and_dates_are_not_misread() -> None:
    text = HEAD + SERVICE.replace('tag: "1.0"', "tag: 2024-01-31") + "    env: {V: '010'}\n"
    bp = load_text(text).blueprint
    assert bp.services["web"].image is not None
    assert bp.services["web"].image.tag == "2024-01-31"  # no datetime conversion
    assert bp.services["web"].env["V"] == "010"


def test_an_unquoted_number_where_a_string_is_expected_is_an_error_with_a_hint() -> None:
    assert problems(HEAD + SERVICE + "    env: {PORT: 8080}\n") == [
        'blueprint.yaml:8:17: found 8080 (a number), expected a string; quote it: "8080"'
    ]


def test_core_schema_tags_are_allowed_and_other_tags_refused() -> None:
    bp = load_text(HEAD + SERVICE + "    env: {PORT: !!str 8080}\n").blueprint
    assert bp.services["web"].env["PORT"] == "8080"
    assert problems(HEAD + SERVICE + "    env: {PORT: !Ref port}\n") == [
        "blueprint.yaml:8:17: found the YAML tag '!Ref', expected plain YAML without tags "
        "(blueprint reads data only, never objects)"
    ]


def test_exclamation_marks_in_text_are_not_tags() -> None:
    bp = load_text(HEAD + 'description: "Wow! !important, really!"\n').blueprint
    assert bp.description == "Wow! !important, really!"


def test_anchors_and_aliases_within_limits_are_fine() -> None:
    text = HEAD + textwrap.dedent(
        """\
        services:
          web:
            platform: kubernetes
            image: &image {registry: ghcr.io, repository: shop/web, tag: "1.0"}
          api:
            platform: kubernetes
            image: *image
        """
    )
    bp = load_text(text).blueprint
    assert bp.services["api"].image == bp.services["web"].image


def test_a_byte_order_mark_is_ignored_and_crlf_lines_are_fine() -> None:
    raw = ("\ufeff" + HEAD + SERVICE).replace("\n", "\r\n").encode("utf-8")
    loaded = load_source(source_from_bytes(raw, "crlf.yaml"))
    assert loaded.blueprint.name == "shop"
    assert loaded.source.sha256 == hashlib.sha256(raw).hexdigest()
    bad = (HEAD + SERVICE + "    port: 0\n").replace("\n", "\r\n").encode()
    with pytest.raises(BlueprintError) as info:
        load_source(source_from_bytes(bad, "crlf.yaml"))
    assert [str(d) for d in info.value.diagnostics] == [
        "crlf.yaml:8:11: found 0 (a number), expected a port number from 1 to 65535"
    ]


def test_several_schema_problems_are_reported_at_once_sorted_by_position() -> None:
    text = textwrap.dedent(
        """\
        name: Shop
        platforms:
          kubernetes: {namespace: shop}
        resources:
          db: {kind: databse}
        services:
          web:
            platform: kubernetes
            port: 0
            replicas: many
            colour: blue
        """
    )
    assert problems(text) == [
        "blueprint.yaml:1:7: found 'Shop', expected a name of lowercase letters, digits and '-' "
        "that starts with a letter and does not end with '-', valid in every cloud "
        "(did you mean 'shop'?)",
        "blueprint.yaml:5:14: found 'databse', expected one of 'broker', 'bucket', 'cluster', "
        "'database', 'iam', 'logs', 'ocr', 'queue', 'registry', 'secret-store', 'topic', "
        "'user-pool' (did you mean 'database'?)",
        "blueprint.yaml:9:11: found 0 (a number), expected a port number from 1 to 65535",
        "blueprint.yaml:10:15: found 'many', expected a whole number",
        "blueprint.yaml:11:5: unknown key 'colour' in services.web; expected one of: "
        "'allow_from', 'app_protocol', 'calls', 'concurrency', 'cpu', 'description', 'env', "
        "'expose', 'health', 'image', 'latency_budget', 'limits', 'memory', 'metrics', "
        "'platform', 'port', 'ports', 'replicas', 'scaling', 'secrets', 'service_port', "
        "'storage', 'subnets', 'timeout_seconds', 'uses', 'writable'",
    ]


def test_several_reference_problems_are_reported_at_once_sorted_by_position() -> None:
    text = HEAD + textwrap.dedent(
        """\
        resources:
          db: {kind: database, tables: [orders]}
        services:
          web:
            platform: kubernetes
            calls: [{service: payments}]
            uses: [{resource: db, access: push}, {resource: cache, access: read}]
        jobs:
          nightly:
            platform: kubernetes
            trigger: {schedule: "0 3 * * *"}
            writes: [{resource: db, table: order}]
        """
    )
    assert problems(text) == [
        "blueprint.yaml:9:23: unknown service 'payments'; expected one of the declared "
        "services: 'web'",
        "blueprint.yaml:10:35: found access 'push' on database 'db', expected one of '*', "
        "'admin', 'manage', 'read', 'write'",
        "blueprint.yaml:10:53: unknown resource 'cache'; expected one of the declared "
        "resources: 'db'",
        "blueprint.yaml:15:36: unknown table 'order'; expected one of the declared tables: "
        "'orders' (did you mean 'orders'?)",
    ]


def test_cross_references_are_checked_only_once_the_shape_is_right() -> None:
    # A shape error hides reference errors: the references of a malformed file are unreliable.
    text = HEAD + SERVICE + "    calls: [{service: nowhere}]\n    port: 0\n"
    assert problems(text) == [
        "blueprint.yaml:9:11: found 0 (a number), expected a port number from 1 to 65535"
    ]


def test_errors_inside_mapping_keys_point_at_the_key() -> None:
    text = HEAD + SERVICE + "    env: {GOOD: x, 9LIVES: y}\n"
    assert problems(text) == [
        "blueprint.yaml:8:20: found '9LIVES', expected an environment variable name (letters, "
        "digits and '_', not starting with a digit)"
    ]


def test_union_errors_collapse_into_one_line() -> None:
    text = HEAD + "identity:\n  scopes:\n    ops: {grants: [{resource: All, access: read}]}\n"
    assert problems(text) == [
        "blueprint.yaml:6:31: found 'All', expected a name of lowercase letters, digits and "
        "'-' that starts with a letter and does not end with '-', valid in every cloud or '*'"
    ]


def test_a_trigger_field_error_points_inside_the_trigger() -> None:
    text = HEAD + "jobs:\n  j:\n    platform: kubernetes\n    trigger: {schedule: 5}\n"
    assert problems(text) == [
        'blueprint.yaml:7:25: found 5 (a number), expected a string; quote it: "5"'
    ]


def test_diagnostics_print_as_file_line_col_message() -> None:
    assert (
        str(Diagnostic("a.yaml", 3, 7, "found x, expected y")) == "a.yaml:3:7: found x, expected y"
    )


KEY = "expected keys should be strings"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Keys that are not strings are placed on the key itself, wherever they stand; they
        # were all placed at 1:1 (pydantic names them by value, `True` as 1, or by the str()
        # of a frozenset for a mapping key, which no key text spells).
        ("name: x\nservices: {}\ntrue: 2\n", [f"3:1: found true (a boolean), {KEY}"]),
        ("name: x\nservices: {}\n0x10: 2\n", [f"3:1: found 16 (a number), {KEY}"]),
        ("name: x\nservices: {}\n1.5: 2\n", [f"3:1: found 1.5 (a number), {KEY}"]),
        ("name: x\nservices: {}\n~: 2\n", [f"3:1: found nothing (null), {KEY}"]),
        (
            "name: x\nservices: {}\n? {a: 1}\n: 2\n",
            [f"3:3: found a list or mapping used as a key, {KEY}"],
        ),
        (
            "name: x\nservices: {}\n? - a\n  - b\n: 2\n",
            [f"3:3: found a list or mapping used as a key, {KEY}"],
        ),
        (
            "name: x\nservices:\n  web: {platform: kubernetes, image: {registry: r, repository:"
            ' a, tag: "1"}}\n  ? {a: 1}\n  : 2\n',
            [
                "4:5: found a list or mapping used as a key, expected a string",
                "5:5: found 2 (a number), expected a mapping",
            ],
        ),
    ],
)
def test_keys_that_are_not_strings_are_placed_on_the_key(text: str, expected: list[str]) -> None:
    assert problems(text) == [f"blueprint.yaml:{line}" for line in expected]
