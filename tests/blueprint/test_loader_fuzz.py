"""Whatever the input, the loader answers with a blueprint or positioned problems, never a crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint.errors import BlueprintError
from blueprint.loader import load_source, source_from_bytes
from tests.conftest import EXAMPLES, ROOT, slow_examples

TEXTS = [(ROOT / "examples" / n / "blueprint.yaml").read_bytes() for n in EXAMPLES]


def answers(raw: bytes) -> None:
    try:
        load_source(source_from_bytes(raw, "fuzz.yaml"))
    except BlueprintError as exc:
        assert exc.diagnostics
        for d in exc.diagnostics:
            assert d.line >= 1 and d.col >= 1
            assert "\n" not in d.message


@settings(
    max_examples=slow_examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.binary(max_size=400))
def test_arbitrary_bytes(raw: bytes) -> None:
    answers(raw)


@settings(
    max_examples=slow_examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    st.sampled_from(TEXTS),
    st.lists(
        st.tuples(st.integers(0, 4000), st.integers(0, 40), st.binary(max_size=8)), max_size=4
    ),
)
def test_mangled_examples(text: bytes, edits: list[tuple[int, int, bytes]]) -> None:
    for at, cut, insert in edits:
        at %= len(text) + 1
        text = text[:at] + insert + text[at + cut :]
    answers(text)


YAML_PIECES = st.sampled_from(
    [
        "name: x\n",
        "services:\n",
        "  web:\n",
        "    platform: kubernetes\n",
        "    port: 8080\n",
        "    calls: [{service: api}]\n",
        "platforms: {kubernetes: {}}\n",
        "  - a\n",
        "- b\n",
        "resources: {db: {kind: database}}\n",
        "&a ",
        "*a\n",
        "!!str ",
        "? ",
        ": ",
        "---\n",
        "{",
        "}",
        "[",
        "]",
        "\t",
        "'",
        '"',
        "#c\n",
        "ingress:\n",
        "  lb: {kind: load-balancer}\n",
        "    forwards: {70000: web}\n",
        "jobs: {j: {platform: kubernetes, trigger: {}}}\n",
        "environments: {dev: {services: {web: {replicas: 2}}}}\n",
        "1: 2\n",
        "null\n",
        "~\n",
    ]
)


@settings(
    max_examples=slow_examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.lists(YAML_PIECES, max_size=30))
def test_yaml_like_soup(pieces: list[str]) -> None:
    answers("".join(pieces).encode())
