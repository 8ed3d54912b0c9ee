"""The GCP render allows exactly the connections the system view intends: Cloud Run ingress
settings, VPC egress and `run.invoker` bindings read back, on the examples, the rich test
system and generated systems. A call Cloud Run cannot carry (an internal callee, a caller
whose requests do not enter the VPC) shows up as blocked: that is what `check` must report."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint.loader import Loaded
from blueprint.model import Blueprint
from blueprint.subjects import PLATFORM
from blueprint.view import Reason, SystemView
from generators import RenderContext
from generators.gcp import GENERATOR
from policies.engine import run_checks
from policies.registry import BY_ID as RULES
from tests.connectivity.compare import Key
from tests.connectivity.compare import intended as compare_intended
from tests.connectivity.gcp import RunService, connections, read
from tests.connectivity.model import differences
from tests.connectivity.readers import READERS
from tests.connectivity.readers.clouds import GcpReader
from tests.generators.gcp.support import kitchen_sink, rich
from tests.support import load_example, load_text

READER = GcpReader()
assert type(READERS["gcp"]) is GcpReader


def intended(view: SystemView) -> set[Key]:
    """The view's connections GCP decides, with the ways in it does not render spelled as it
    shows them (GcpReader.normalised)."""
    return compare_intended(view, READER) | READER.normalised(view)


def unroutable(view: SystemView, services: dict[str, RunService]) -> list[str]:
    """Calls to an internal service from a caller whose requests do not enter the VPC."""
    lines = []
    for c in view.connections:
        callee = services.get(c.destination.removeprefix("services."))
        caller = services.get(c.source.removeprefix("services."))
        if c.reason is not Reason.CALL or callee is None or caller is None:
            continue
        if callee.ingress != "all" and not caller.enters_vpc:
            lines.append(f"intended but blocked: {c.source} -> {c.destination}:{c.port}/tcp")
    return sorted(lines)


def _proof(bp: Blueprint) -> tuple[list[str], list[str]]:
    view = SystemView.of(bp)
    files = GENERATOR.render(RenderContext(blueprint=bp))
    services = read(files)
    got = READER.read(files)
    return differences(intended(view), got), unroutable(view, services)


@pytest.mark.parametrize("which", ["gcp-cloud-run", "gcp-shop", "rich-system", "kitchen-sink"])
def test_examples_render_exactly_the_intended_network(which: str) -> None:
    bp = {"rich-system": rich, "kitchen-sink": kitchen_sink}.get(
        which, lambda: load_example(which).blueprint
    )()
    found, blocked = _proof(bp)
    assert found == blocked == []


def test_a_caller_without_a_network_cannot_reach_an_internal_service() -> None:
    bp = _system(
        {"a": (8080, None, None), "b": (9000, None, None)}, {("a", "b")}, set(), network=False
    )
    found, blocked = _proof(bp)
    assert found == blocked == ["intended but blocked: services.a -> services.b:9000/tcp"]


def test_a_caller_without_subnets_is_placed_on_the_network_and_reaches_the_vpc() -> None:
    """frontend -> backend through the VPC: private-ranges-only egress on a private subnet,
    and run.app resolving to Private Google Access in that network."""
    bp = _system({"a": (8080, None, None), "b": (9000, None, None)}, {("a", "b")}, set())
    files = GENERATOR.render(RenderContext(blueprint=bp))
    services = read(files)
    assert (services["a"].vpc_all_traffic, services["a"].enters_vpc) == (False, True)
    assert services["b"].ingress == "internal"
    assert ("services.a", "services.b", 9000, "tcp") in connections(services).connections
    assert _proof(bp) == ([], [])


def test_without_the_private_run_app_zone_the_call_is_blocked() -> None:
    """The read-back depends on the zone: drop its record and the call no longer connects."""
    bp = _system({"a": (8080, None, None), "b": (9000, None, None)}, {("a", "b")}, set())
    files = GENERATOR.render(RenderContext(blueprint=bp))
    network = files["gcp/terraform/network.tf"]
    start = network.index('resource "google_dns_record_set"')
    files["gcp/terraform/network.tf"] = network[:start]
    found = differences(intended(SystemView.of(bp)), READER.read(files))
    assert found == ["intended but blocked: services.a -> services.b:9000/tcp"]


def _system(
    services: dict[str, tuple[int, int | None, str | None]],
    calls: set[tuple[str, str]],
    public: set[str],
    network: bool = True,
) -> Blueprint:
    data: dict[str, Any] = {
        "name": "gen",
        "platforms": {"gcp": {"project": "gen-project", "region": "europe-west2"}},
        "networks": {
            "core": {
                "cloud": "gcp",
                "cidr": "10.8.0.0/16",
                "subnets": {
                    "nat-a": {"cidr": "10.8.1.0/24"},
                    "pub-a": {"cidr": "10.8.0.0/24", "public": True},
                },
                "nat": "pub-a",
            }
        },
        "services": {
            name: {
                "platform": "cloud-run",
                "image": {"registry": "docker.io", "repository": f"gen/{name}", "tag": "1"},
                "port": port,
                "calls": [{"service": b} for a, b in sorted(calls) if a == name],
                **({"health": {"path": "/h", "port": health}} if health else {}),
                **({"subnets": [subnet]} if subnet else {}),
            }
            for name, (port, health, subnet) in services.items()
        },
        "ingress": {
            f"edge-{name}": {"kind": "http", "routes": {"/": name}} for name in sorted(public)
        },
    }
    if not network:
        del data["networks"]
    return load_text(yaml.safe_dump(data, sort_keys=False)).blueprint


def _loaded(bp: Blueprint) -> Loaded:
    """The blueprint as `check` loads it (the rules position their findings on its text)."""
    return load_text(yaml.safe_dump(bp.model_dump(mode="json", exclude_defaults=True)))


@st.composite
def _systems(draw: st.DrawFn) -> Blueprint:
    names = draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True))
    # Without a network no caller can be given Direct VPC egress: its calls to internal
    # services must then read back as blocked, exactly those BP2008 reports.
    network = draw(st.booleans())
    subnets = [None, "nat-a", "pub-a"] if network else [None]
    services = {
        n: (
            draw(st.sampled_from([8080, 9000])),
            draw(st.one_of(st.none(), st.just(9100))),
            draw(st.sampled_from(subnets)),
        )
        for n in names
    }
    calls = {(a, b) for a in names for b in names if a != b and draw(st.booleans())}
    public = {n for n in names if draw(st.booleans())}
    return _system(services, calls, public, network=network)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bp=_systems())
def test_generated_systems_render_exactly_the_intended_network(bp: Blueprint) -> None:
    found, blocked = _proof(bp)
    assert found == blocked
    # What the render blocks is exactly what `check` reports (BP2008), call by call.
    reported = sorted(
        f"intended but blocked: {f.evidence[0]} -> {f.evidence[1]}:"
        f"{bp.services[f.evidence[1].removeprefix('services.')].port}/tcp"
        for f in run_checks(_loaded(bp), rules=(RULES["BP2008"],))
        if f.rule_id == "BP2008"
    )
    assert reported == blocked


def test_probes_are_the_platforms() -> None:
    bp = _system({"a": (8080, 9100, None)}, set(), set())
    found, _ = _proof(bp)
    assert found == []
    services = read(GENERATOR.render(RenderContext(blueprint=bp)))
    assert (PLATFORM, "services.a", 9100, "tcp") in connections(services).connections
