"""The libyaml emitter writes exactly what PyYAML's pure-Python emitter writes, wherever
`yamldump` lets it; where they would differ, `yamldump` uses the Python one."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators.common import yaml_text, yamldump
from tests.conftest import slow_examples

pytestmark = pytest.mark.skipif(yamldump._CDumper is None, reason="PyYAML built without libyaml")

SPECIAL = list(" :#-?\n\t\r'\"{}[]!&*|>%@`,.0123456789aeEyYnNoOxX_+~\x85\u2028\u2029\ufeff\xa0")
TEXT = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(max_codepoint=127)),
    st.text(alphabet=st.sampled_from(SPECIAL)),
    st.text(alphabet=st.sampled_from(["a", "\U0001f600", "\ud7ff", "\ue000", "\ufffd"])),
)
SCALARS = st.one_of(TEXT, st.integers(), st.floats(allow_nan=False), st.booleans(), st.none())
KEYS = st.one_of(TEXT, st.text(min_size=120, max_size=140), st.integers())
NODES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=12,
)
DOCUMENTS = st.one_of(NODES, st.lists(NODES, max_size=4), st.dictionaries(KEYS, NODES, max_size=4))


def dumped(data: Any, dumper: type[yaml.SafeDumper]) -> str:
    return yaml.dump(
        data,
        Dumper=dumper,
        sort_keys=True,
        default_flow_style=False,
        allow_unicode=True,
        width=2**31 - 1,
    )


@settings(
    max_examples=slow_examples(800), suppress_health_check=[HealthCheck.too_slow], deadline=None
)
@given(DOCUMENTS)
def test_libyaml_writes_what_pyyaml_writes_wherever_it_is_used(data: Any) -> None:
    python = dumped(data, yamldump._Dumper)
    assert yamldump.dump(data) == python
    if yamldump._same_in_libyaml(data):
        assert yamldump._CDumper is not None
        assert dumped(data, yamldump._CDumper) == python


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (0, "a bare scalar: PyYAML ends it with ..."),
        ({"": 1}, 'an empty key: PyYAML writes ? ""'),
        ({"k" * 128: 1}, "a key of 128 characters"),
        ({"a\rb": 1}, "a key with a carriage return"),
        (["\U0001f600"], "beyond the Basic Multilingual Plane: libyaml escapes it"),
        (["\ufeff"], "the byte-order mark"),
    ],
)
def test_where_the_emitters_differ_the_python_one_writes(data: Any, why: str) -> None:
    assert not yamldump._same_in_libyaml(data), why
    assert yamldump.dump(data) == dumped(data, yamldump._Dumper)


def test_ordinary_documents_take_libyaml() -> None:
    assert yamldump._same_in_libyaml({"spec": {"replicas": 3, "name": "café", "x": ["yes"]}})


@settings(
    max_examples=slow_examples(800), suppress_health_check=[HealthCheck.too_slow], deadline=None
)
@given(DOCUMENTS)
def test_the_direct_writer_writes_what_pyyaml_writes_or_declines(data: Any) -> None:
    try:
        direct = yaml_text.dump(data, yamldump._needs_quotes, yamldump._plain_tag)
    except yaml_text.Unsupported:
        return
    assert direct == dumped(data, yamldump._Dumper)


DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "labels": {"app": "web", "version": "1.0"}},
    "spec": {
        "replicas": 2,
        "template": {
            "spec": {
                "containers": [
                    {
                        "name": "web",
                        "image": "ghcr.io/acme/web:1.0.3",
                        "ports": [{"containerPort": 8080, "name": "http"}],
                        "env": [{"name": "ON", "value": "yes"}, {"name": "N", "value": "0o17"}],
                        "args": ["--flag", "- x", "a: b", "#c", "it's", "tab\there", "", " x"],
                        "resources": {"limits": {"cpu": 0.5, "memory": "512Mi"}},
                        "command": [],
                        "securityContext": {},
                        "readinessProbe": None,
                        "enabled": True,
                    }
                ],
                "nested": [[1, [2, 3]], [], {}, [{"a": [{}]}]],
            }
        },
    },
}


def test_ordinary_documents_are_written_directly() -> None:
    direct = yaml_text.dump(DEPLOYMENT, yamldump._needs_quotes, yamldump._plain_tag)
    assert direct == dumped(DEPLOYMENT, yamldump._Dumper)
    assert "  - '- x'\n" in direct and '- "0o17"' not in direct  # env values are mappings


@pytest.mark.parametrize(
    ("data", "why"),
    [
        ({"name": "café"}, "non-ASCII text"),
        ({"": 1}, "an empty key"),
        ({"k" * 128: 1}, "a long key"),
        ({"a\nb": 1}, "a multi-line key"),
        ({1: "a", "b": 2}, "keys of mixed types (PyYAML keeps their order)"),
        ({"a": (shared := {"x": 1}), "b": shared}, "a mapping reached twice (an alias)"),
        ({"a": (1, 2)}, "a tuple"),
        ({True: 1}, "a boolean key"),
    ],
)
def test_the_direct_writer_declines(data: Any, why: str) -> None:
    with pytest.raises(yaml_text.Unsupported):
        yaml_text.dump(data, yamldump._needs_quotes, yamldump._plain_tag)
    if why != "a tuple":
        assert yamldump.dump(data) == dumped(data, yamldump._Dumper), why


def test_keys_remembered_across_documents_are_written_as_pyyaml_writes_them() -> None:
    # Keys are spelled once per writer and reused by every later document: the second time a
    # key is met it must come back the same, and a key that declined must decline again.
    documents = [
        {"yes": 1, "1": 2, "a: b": 3, "name": 4, "it's": 5},
        {"yes": {"1": [{"a: b": "x"}]}, "name": "web"},
        {1: "a"},
    ]
    for _ in range(2):
        for data in documents:
            direct = yaml_text.dump(data, yamldump._needs_quotes, yamldump._plain_tag)
            assert direct == dumped(data, yamldump._Dumper)
        for data in ({True: 1}, {"café": 1}, {"1": 1, 1: 2}):
            with pytest.raises(yaml_text.Unsupported):
                yaml_text.dump(data, yamldump._needs_quotes, yamldump._plain_tag)
