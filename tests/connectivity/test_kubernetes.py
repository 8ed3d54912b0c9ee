"""The rendered Kubernetes network equals the checked intent, read back from the manifests:
every example with Kubernetes workloads and generated systems (random call graphs, exposures,
ports, allow_from, HTTP ingress)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint.model import Blueprint, Platform
from blueprint.view import ExposureKind, SystemView
from generators import RenderContext
from generators.kubernetes import GENERATOR
from tests.conftest import EXAMPLES
from tests.connectivity.compare import difference, intended
from tests.connectivity.readers import READERS
from tests.connectivity.readers.kubernetes import service_ways_in
from tests.generators.kubernetes.support import serving_sink
from tests.support import load_example

READER = READERS["kubernetes"]
K8S_EXAMPLES = [
    name
    for name in EXAMPLES
    if any(
        w.platform is Platform.KUBERNETES
        for w in SystemView.of(load_example(name).blueprint).blueprint.workloads().values()
    )
]


def _assert_rendered_equals_intended(bp: Blueprint) -> None:
    view = SystemView.of(bp)
    files = GENERATOR.render(RenderContext(blueprint=bp))
    diff = difference(intended(view, READER), READER.read(files))
    assert not diff, diff.report()
    ways_in = {
        (e.target, str(e.kind), e.port)
        for e in view.exposures
        if e.kind in (ExposureKind.NODE_PORT, ExposureKind.LOAD_BALANCER_SERVICE)
        and e.port is not None
    }
    declared = {
        (
            f"services.{n}",
            "node-port" if s.expose.type == "node-port" else "load-balancer-service",
            s.port,
        )
        for n, s in bp.services.items()
        if s.platform is Platform.KUBERNETES and s.expose.type != "cluster-ip"
    }
    assert service_ways_in(files) == declared
    assert {(t, k) for t, k, _ in ways_in} == {(t, k) for t, k, _ in declared}


def test_the_examples_with_kubernetes_workloads_are_known() -> None:
    assert K8S_EXAMPLES == [
        "fastapi-observability",
        "kafka-workers",
        "kubernetes-grpc-shop",
        "kubernetes-helm",
        "latency-chain",
    ]


@pytest.mark.parametrize("example", K8S_EXAMPLES)
def test_every_example_renders_exactly_its_connections(example: str) -> None:
    _assert_rendered_equals_intended(load_example(example).blueprint)


def test_the_reader_sees_an_extra_opening() -> None:
    """The comparison fails on a policy that admits more than the view intends."""
    bp = load_example("latency-chain").blueprint
    view = SystemView.of(bp)
    files = GENERATOR.render(RenderContext(blueprint=bp))
    widened = {
        path: text.replace(
            "ingress:\n  - from:",
            "ingress:\n  - ports:\n    - port: 22\n      protocol: TCP\n  - from:",
            1,
        )
        for path, text in files.items()
    }
    diff = difference(intended(view, READER), READER.read(widened))
    assert diff.extra and all(k[0] == "internet" and k[2] == 22 for k in diff.extra)


NAMES = [f"s{i}" for i in range(6)]


@st.composite
def systems(draw: st.DrawFn) -> dict[str, object]:
    count = draw(st.integers(min_value=1, max_value=len(NAMES)))
    names = NAMES[:count]
    services: dict[str, object] = {}
    for name in names:
        port = draw(st.sampled_from([80, 8080, 9000, 5432, 22]))
        svc: dict[str, object] = {
            "platform": "kubernetes",
            "image": {"registry": "ghcr.io", "repository": f"x/{name}", "tag": "1"},
            "port": port,
        }
        callees = draw(st.lists(st.sampled_from(names), unique=True, max_size=3))
        if callees:
            svc["calls"] = [{"service": c} for c in callees]
        expose = draw(st.sampled_from(["cluster-ip", "node-port", "load-balancer"]))
        if expose != "cluster-ip":
            svc["expose"] = {"type": expose}
        if draw(st.booleans()):
            cidr = draw(st.sampled_from(["10.0.0.0/8", "203.0.113.0/24", "0.0.0.0/0"]))
            svc["allow_from"] = [{"cidr": cidr, "ports": [port]}]
        if draw(st.booleans()):
            svc["metrics"] = {"port": draw(st.sampled_from([port, 9100]))}
        if draw(st.booleans()):
            svc["health"] = {"path": "/healthz"}
        services[name] = svc
    system: dict[str, object] = {
        "name": "generated",
        "platforms": {"kubernetes": {"namespace": "gen"}},
        "services": services,
    }
    routed = draw(st.lists(st.sampled_from(names), unique=True, max_size=2))
    if routed:
        system["ingress"] = {"web": {"kind": "http", "routes": {f"/{n}": n for n in routed}}}
    return system


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(systems())
def test_generated_systems_render_exactly_their_connections(system: dict[str, object]) -> None:
    _assert_rendered_equals_intended(Blueprint.model_validate(system))


def test_named_ports_udp_port_less_callers_and_gateway_routes_render_exactly() -> None:
    """Calls to a named UDP port, a caller without a port, an HTTPRoute's backend."""
    _assert_rendered_equals_intended(serving_sink())
