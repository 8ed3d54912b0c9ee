"""Strings YAML would misread round-trip exactly through the values files, the plain manifests
and the chart as Helm renders it, read back by PyYAML (YAML 1.1), yaml-rs (YAML 1.2) and Helm's
own Go YAML reader."""

from __future__ import annotations

from typing import Any

import helm_python
import pytest
import yaml
import yaml_rs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint.model import Blueprint
from blueprint.model.base import nfc
from generators.common.yamldump import dump
from generators.kubernetes.chart import chart_files
from tests.conftest import slow_examples
from tests.generators.kubernetes.support import render
from tests.generators.platform_readers import kubelet_expand
from tests.support import load_example

MISREAD = [
    "yes",
    "no",
    "on",
    "off",
    "y",
    "N",
    "true",
    "False",
    "null",
    "~",
    "",
    "1e3",
    "0o17",
    "0x1F",
    "012",
    "1_000",
    "12:30:00",
    "2024-01-01",
    ".inf",
    "-.nan",
    " leading",
    "trailing ",
    " ",
    "a: b",
    "a #b",
    "#x",
    "*x",
    "&x",
    "!tag",
    "!!str",
    "%TAG",
    "@x",
    "`x",
    "|",
    ">",
    "- x",
    "? x",
    "[x]",
    "{x: y}",
    "'x'",
    '"x"',
    "---",
    "...",
    "line\nbreak",
    "trailing\n",
    "\ttab",
    "{{ .Values.name }}",
    '{{ fail "x" }}',
    "${HOME}",
    "%{x}",
    "back\\slash",
    "\x00nul",
    "\x7fdel",
    "\u0085nel",
    "\u2028ls",
    "\ufeffbom",
    "é ünïcode ✓ 🚀",
    "x" * 4096,
]
# Any text a blueprint's free-text field can hold (lone surrogates cannot be UTF-8 at all).
TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=200).map(
    nfc
) | st.sampled_from(MISREAD)
PATH = st.text(
    alphabet=st.characters(exclude_categories=["Cs", "Zs", "Zl", "Zp", "Cc", "Cf"]), max_size=40
).map(lambda s: "/" + nfc("".join(c for c in s if not c.isspace())))


@pytest.fixture(scope="module")
def chart(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("chart")
    for path, text in chart_files().items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8", newline="\n")
    with helm_python.Chart.load(root) as loaded:
        yield loaded


def _hostile(env: dict[str, str], description: str, path: str) -> Blueprint:
    data = load_example("kubernetes-helm").blueprint.model_dump(mode="json", exclude_none=True)
    data["services"]["hello"]["env"] = env
    data["services"]["hello"]["description"] = description
    data["ingress"] = {"web": {"kind": "http", "routes": {path: "hello"}}}
    return Blueprint.model_validate(data)


def _read_all(text: str) -> list[list[dict[str, Any]]]:
    """The documents of `text` as PyYAML and yaml-rs see them."""
    rs = yaml_rs.loads(text, parse_datetime=False)
    return [
        [d for d in yaml.safe_load_all(text) if d is not None],
        [d for d in (rs if isinstance(rs, list) else [rs]) if d is not None],
    ]


def _read_one(text: str) -> list[dict[str, Any]]:
    """The one document of `text` as PyYAML, yaml-rs and Helm's Go reader see it."""
    docs = [d for reader in _read_all(text) for d in reader]
    assert len(docs) == 2
    return [*docs, helm_python.values_from_yaml(text)]


def _check_workload(obj: dict[str, Any], env: dict[str, str], description: str) -> None:
    (container,) = obj["spec"]["template"]["spec"]["containers"]
    # The kubelet expands $(NAME) and $$ in env values: compare what the container sees.
    seen = {e["name"]: kubelet_expand(e["value"], {}) for e in container.get("env", [])}
    assert seen == env
    annotations = obj["metadata"].get("annotations", {})
    assert annotations.get("kubernetes.io/description", "") == description


NUMBERISH = st.text(alphabet="0123456789_+-.:eExXoObBinfaINFA", min_size=1, max_size=8)


@settings(max_examples=slow_examples(500), deadline=None)
@given(value=NUMBERISH | TEXT)
def test_every_yaml_reader_reads_back_the_dumped_string(value: str) -> None:
    text = dump({"value": value})
    assert yaml.safe_load(text) == {"value": value}
    assert yaml_rs.loads(text, parse_datetime=False) == {"value": value}
    assert helm_python.values_from_yaml(text) == {"value": value}


@settings(
    max_examples=slow_examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    env=st.dictionaries(
        st.from_regex(r"[A-Z_][A-Z0-9_]{0,8}", fullmatch=True),
        TEXT.map(lambda t: t.replace("\x00", "")),  # the model refuses NUL in env values
        max_size=4,
    ),
    description=TEXT,
    path=PATH,
)
def test_hostile_strings_round_trip(
    chart: Any, env: dict[str, str], description: str, path: str
) -> None:
    files = render(_hostile(env, description, path))
    values_text = files["kubernetes/values/hello.yaml"]
    manifest_text = files["kubernetes/manifests/hello.yaml"]

    readings = _read_one(values_text)
    for values in readings:
        assert {e["name"]: kubelet_expand(e["value"], {}) for e in values["env"]} == env
        assert values["description"] == description
        assert values["ingresses"][0]["paths"] == [path]

    for docs in _read_all(manifest_text):
        by_kind = {d["kind"]: d for d in docs}
        _check_workload(by_kind["Deployment"], env, description)
        assert by_kind["Ingress"]["spec"]["rules"][0]["http"]["paths"][0]["path"] == path

    # Helm renders the values exactly as `helm install -f` would read the file.
    rendered = chart.render(readings[-1], name="hello", namespace="hello")
    for deployment in _read_one(rendered["workload/templates/deployment.yaml"]):
        _check_workload(deployment, env, description)
    for ingress in _read_one(rendered["workload/templates/ingress.yaml"]):
        assert ingress["spec"]["rules"][0]["http"]["paths"][0]["path"] == path


def test_hostile_strings_are_quoted_in_the_values_file() -> None:
    env = {f"V{i}": s for i, s in enumerate(MISREAD[:20])}
    text = render(_hostile(env, "yes", "/#x"))["kubernetes/values/hello.yaml"]
    assert '  value: "yes"\n' in text
    assert 'description: "yes"\n' in text
