"""The Azure render allows the connections the system view intends, read back from the Bicep
(pycep): Container Apps ingress and IP restrictions, environments, NSGs, private endpoints.

Two differences are Container Apps' own and are pinned exactly, from the blueprint (not from
the read): apps of one environment reach each other whether or not they call each other, and a
workload outside an environment cannot reach an app whose ingress is not external. Any other
difference fails."""

from __future__ import annotations

from ipaddress import ip_network
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint.model import Blueprint, Platform
from blueprint.subjects import INTERNET, PRIVATE_NETWORK, ingress_id, service_id
from blueprint.view import SystemView
from generators import RenderContext
from generators.azure import GENERATOR
from generators.azure.naming import symbol
from tests.connectivity.azure import (
    ANYWHERE,
    connections,
    endpoint_disagreements,
    nsg_disagreements,
    read,
    workloads_on_azure,
)
from tests.connectivity.compare import Key
from tests.connectivity.compare import intended as compare_intended
from tests.connectivity.model import Opening, differences
from tests.connectivity.readers import READERS
from tests.support import load_example

_ENDPOINT_SYMBOLS = {"registry": "cr", "secret-store": "kv", "database": "cosmos", "ocr": "cog"}
_FLEXIBLE = {"postgres": "psql", "mysql": "mysql"}  # databases with an engine


def _apps(view: SystemView) -> list[str]:
    bp = view.blueprint
    return [n for n in view.workloads_on(Platform.AZURE_CONTAINER_APPS) if n in bp.services]


def _public_sources(view: SystemView, name: str) -> set[str]:
    sources: set[str] = set()
    for i in view.ingress_to(name):
        for e in view.exposures_of(ingress_id(i)):
            sources |= set(e.sources)
    for e in view.exposures_of(service_id(name)):
        sources |= set(e.sources)
    return {ANYWHERE} if not sources or ANYWHERE in sources else sources


def intended(view: SystemView) -> tuple[set[Key], dict[Opening, set[str]]]:
    """The calls and checks the reader decides, and each public app as Azure's front door:
    open to the union of the sources of the ways in that reach it."""
    bp = view.blueprint
    want = compare_intended(view, READERS["azure"])
    openings: dict[Opening, set[str]] = {}
    for name in _apps(view):
        if view.is_public(name):
            port = bp.services[name].port
            sources = _public_sources(view, name)
            openings[(service_id(name), port, "tcp")] = sources
            public = any(not ip_network(s).is_private for s in sources)
            want.add((INTERNET if public else PRIVATE_NETWORK, service_id(name), port, "tcp"))
    return want, openings


def explained(view: SystemView, line: str) -> bool:
    """Whether a difference is one of Container Apps' own rules, judged from the blueprint:

    - apps of one environment (one subnet) reach each other, called or not;
    - an app that must take external ingress (it is public, or called from another environment)
      is reached by the other workloads the platform admits there, called or not;
    - a call from outside an environment cannot reach an app whose environment is public (the
      app stays internal rather than face the internet), nor one behind IP restrictions, nor
      come from a workload outside the VNet: `check` has to report those.
    """
    bp = view.blueprint
    verdict, _, rest = line.partition(": ")
    src, _, dst = rest.rsplit(":", 1)[0].partition(" -> ")
    apps = set(_apps(view))
    x = dst.removeprefix("services.")
    if x not in apps or src not in workloads_on_azure(bp):
        return False
    caller = src.partition(".")[2]
    subnet = bp.services[x].subnets[:1]
    env = [a for a in apps if bp.services[a].subnets[:1] == subnet]
    same_env = caller in env
    outside_callers = [c for c in view.callers_of(x) if c not in env]
    if verdict == "open but not intended":
        return same_env or view.is_public(x) or bool(outside_callers)
    if verdict == "intended but blocked":
        env_public = any(view.is_public(a) for a in env)
        restricted = view.is_public(x) and _public_sources(view, x) != {ANYWHERE}
        in_vnet = bool(view.workload(caller).subnets)
        blocked = (env_public and not view.is_public(x)) or restricted or not in_vnet
        return not same_env and blocked
    return False


def _proof(bp: Blueprint) -> tuple[list[str], list[str]]:
    view = SystemView.of(bp)
    files = GENERATOR.render(RenderContext(blueprint=bp))
    network = read(files)
    got = connections(network)
    assert got.connections == READERS["azure"].read(files)
    want, want_open = intended(view)
    symbols = {
        n: symbol(_FLEXIBLE.get(str(r.engine)) or _ENDPOINT_SYMBOLS[r.kind.value], n)
        for n, r in bp.resources.items()
        if r.kind.value in _ENDPOINT_SYMBOLS
    }
    found = differences(want, got.connections, want_open, got.openings)
    found += nsg_disagreements(network) + endpoint_disagreements(bp, network, symbols)
    return sorted(line for line in found if not explained(view, line)), sorted(found)


def test_the_example_renders_the_intended_network_but_for_container_apps_own_rules() -> None:
    unexplained, found = _proof(load_example("azure-container-apps").blueprint)
    assert unexplained == []
    # The Function App calls the backend, which stays internal to an environment that also
    # hosts the public frontend: a call Container Apps cannot carry, for `check` to report.
    assert [line for line in found if "blocked" in line] == [
        "intended but blocked: jobs.ocr-fn -> services.backend:8000/tcp"
    ]


def test_the_orders_example_renders_the_intended_network_but_for_container_apps_own_rules() -> None:
    unexplained, found = _proof(load_example("azure-orders").blueprint)
    assert unexplained == []
    # Container Apps has no per-caller rule: the API and the Function reach the storefront.
    assert [line for line in found if "not intended" in line] == [
        "open but not intended: jobs.receipts-fn -> services.storefront:3000/tcp",
        "open but not intended: services.api -> services.storefront:3000/tcp",
    ]


def _system(
    services: dict[str, tuple[int, int | None, str]],
    calls: set[tuple[str, str]],
    public: dict[str, list[str]],
) -> Blueprint:
    data: dict[str, Any] = {
        "name": "gen",
        "platforms": {"azure": {"location": "uksouth"}},
        "networks": {
            "apps": {
                "cidr": "10.10.0.0/16",
                "subnets": {
                    "env-a": {"cidr": "10.10.0.0/23"},
                    "env-b": {"cidr": "10.10.2.0/23"},
                },
            }
        },
        "services": {
            name: {
                "platform": "azure-container-apps",
                "image": {"registry": "docker.io", "repository": f"gen/{name}", "tag": "1"},
                "port": port,
                "subnets": [subnet],
                "calls": [{"service": b} for a, b in sorted(calls) if a == name],
                **({"health": {"path": "/h", "port": health}} if health else {}),
            }
            for name, (port, health, subnet) in services.items()
        },
        "ingress": {
            f"edge-{name}": {
                "kind": "http",
                "public": True,
                "routes": {"/": name},
                "allow_from": [{"cidr": c, "ports": [80]} for c in cidrs],
            }
            for name, cidrs in sorted(public.items())
        },
    }
    return Blueprint.model_validate(data)


@st.composite
def _systems(draw: st.DrawFn) -> Blueprint:
    names = draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True))
    services = {
        n: (
            draw(st.sampled_from([3000, 8000])),
            draw(st.one_of(st.none(), st.just(9100))),
            draw(st.sampled_from(["env-a", "env-b"])),
        )
        for n in names
    }
    calls = {(a, b) for a in names for b in names if a != b and draw(st.booleans())}
    public = {
        n: draw(st.lists(st.sampled_from(["81.2.69.0/24", "10.20.0.0/16"]), unique=True))
        for n in names
        if draw(st.booleans())
    }
    return _system(services, calls, public)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bp=_systems())
def test_generated_systems_render_the_intended_network(bp: Blueprint) -> None:
    unexplained, _ = _proof(bp)
    assert unexplained == []


def test_an_app_called_from_another_environment_is_reachable_from_the_vnet() -> None:
    """Found by the proof: internal ingress admits only the app's own environment, so a caller
    in another environment of the VNet was refused; the app now takes external ingress in its
    VNet-internal environment."""
    bp = _system({"a": (3000, None, "env-a"), "b": (3000, None, "env-b")}, {("b", "a")}, {})
    _, found = _proof(bp)
    assert found == []


@pytest.mark.parametrize("cidrs", [[], ["203.0.113.0/24"]])
def test_a_public_app_admits_exactly_its_exposure(cidrs: list[str]) -> None:
    bp = _system({"a": (3000, None, "env-a")}, set(), {"a": cidrs})
    network = read(GENERATOR.render(RenderContext(blueprint=bp)))
    assert connections(network).openings == {("services.a", 3000, "tcp"): set(cidrs) or {ANYWHERE}}
