"""The AWS render allows exactly the connections the system view intends, read back from both
Terraform (python-hcl2) and CloudFormation (JSON), on the examples and on generated systems."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint.loader import load
from blueprint.model import Blueprint, LoadBalancer, Platform, ResourceKind
from blueprint.subjects import ingress_id, resource_id, service_id
from blueprint.view import SystemView
from generators import RenderContext
from generators.aws import GENERATOR
from tests.connectivity.aws import (
    Network,
    api_routes_reach,
    connections,
    read_cloudformation,
    read_terraform,
)
from tests.connectivity.compare import intended
from tests.connectivity.model import differences, intended_openings
from tests.connectivity.readers import READERS
from tests.generators.aws.support import AWS_SYSTEMS
from tests.support import ROOT, load_example

PARSERS = {"terraform": read_terraform, "cloudformation": read_cloudformation}
READER_OF = {"terraform": READERS["aws"], "cloudformation": READERS["aws-cloudformation"]}


def _aws_subjects(view: SystemView) -> set[str]:
    bp = view.blueprint
    names = {service_id(s) for s in view.workloads_on(Platform.AWS_FARGATE) if s in bp.services}
    names |= {ingress_id(n) for n, i in bp.ingress.items() if isinstance(i, LoadBalancer)}
    names |= {resource_id(n) for n, r in bp.resources.items() if r.kind is ResourceKind.DATABASE}
    return names


def _proof(bp: Blueprint, fmt: str) -> list[str]:
    view = SystemView.of(bp)
    files = GENERATOR.render(RenderContext(blueprint=bp))
    reader = READER_OF[fmt]
    network: Network = PARSERS[fmt](files)
    got = connections(network)
    assert got.connections == reader.read(files)
    subjects = _aws_subjects(view)

    # An internal balancer's allow_from is not a way in from outside (no exposure in the
    # view): its rules are read back, but only exposures are compared as openings.
    internal = {
        ingress_id(n) for n, i in bp.ingress.items() if isinstance(i, LoadBalancer) and i.internal
    }
    want_open = intended_openings(view, subjects - internal)
    got.openings = {k: v for k, v in got.openings.items() if k[0] not in internal}
    want = intended(view, reader)
    return differences(want, got.connections, want_open, got.openings) + api_routes_reach(network)


@pytest.mark.parametrize("fmt", sorted(PARSERS))
@pytest.mark.parametrize(
    "example",
    ["aws-fargate-api", "company-iam", "aws-three-tier", "aws-kafka-workers", *AWS_SYSTEMS],
)
def test_examples_render_exactly_the_intended_network(example: str, fmt: str) -> None:
    if example in AWS_SYSTEMS:
        bp = load(ROOT / "tests" / "data" / "systems" / f"{example}.yaml").blueprint
    else:
        bp = load_example(example).blueprint
    assert bp.platforms.aws is not None
    if fmt not in bp.platforms.aws.formats:
        pytest.skip(f"{example} renders no {fmt}")
    assert _proof(bp, fmt) == []


def test_the_reader_sees_a_blocked_call() -> None:
    """The proof can fail: drop the callee's ingress rule and the call is reported blocked."""
    bp = _system({"a": (8080, None), "b": (9000, None)}, {("a", "b")}, [])
    view = SystemView.of(bp)
    files = GENERATOR.render(RenderContext(blueprint=bp))
    network = read_terraform(files)
    network.rules = [r for r in network.rules if not (r.direction == "ingress" and r.port == 9000)]
    got = connections(network).connections
    want = {k for k in intended(view, READERS["aws"]) if k[0] == "services.a"}
    assert differences(want, got) == ["intended but blocked: services.a -> services.b:9000/tcp"]


def _system(
    services: dict[str, tuple[int, int | None]],
    calls: set[tuple[str, str]],
    lbs: list[tuple[bool, str, dict[int, str], list[dict[str, Any]]]],
    api_routes: dict[str, str] | None = None,
    databases: dict[str, tuple[str, list[str]]] | None = None,
    tls: frozenset[int] = frozenset(),
) -> Blueprint:
    """`databases`: name -> (engine, the services that use it); `tls`: the balancers (by
    index) that serve HTTPS for a host."""
    data: dict[str, Any] = {
        "name": "gen",
        "platforms": {"aws": {"region": "eu-west-1", "formats": ["terraform", "cloudformation"]}},
        "networks": {
            "main": {
                "cidr": "10.1.0.0/16",
                "subnets": {
                    "pub-a": {"cidr": "10.1.0.0/24", "public": True},
                    "pub-b": {"cidr": "10.1.1.0/24", "zone": "b", "public": True},
                    "app-a": {"cidr": "10.1.10.0/24"},
                    "data-a": {"cidr": "10.1.20.0/24", "egress": "none"},
                    "data-b": {"cidr": "10.1.21.0/24", "zone": "b", "egress": "none"},
                },
                "nat": "pub-a",
            }
        },
        "services": {
            name: {
                "platform": "aws-fargate",
                "image": {"registry": "ghcr.io", "repository": f"gen/{name}", "tag": "1"},
                "port": port,
                "subnets": ["app-a"],
                "calls": [{"service": b} for a, b in sorted(calls) if a == name],
                "uses": [
                    {"resource": db, "access": "write"}
                    for db, (_, users) in sorted((databases or {}).items())
                    if name in users
                ],
                **({"health": {"path": "/h", "port": health}} if health else {}),
            }
            for name, (port, health) in services.items()
        },
        "ingress": {
            f"lb{i}": {
                "kind": "load-balancer",
                "type": kind,
                "internal": not public,
                "subnets": ["pub-a", "pub-b"],
                "forwards": forwards,
                "allow_from": allow,
                **(
                    {"host": f"lb{i}.example.com", "tls": {"zone": "example.com"}}
                    if i in tls
                    else {}
                ),
            }
            for i, (public, kind, forwards, allow) in enumerate(lbs)
        },
        "resources": {
            db: {"kind": "database", "engine": engine, "subnets": ["data-a", "data-b"]}
            for db, (engine, _) in sorted((databases or {}).items())
        },
    }
    if api_routes:
        data["ingress"]["api"] = {"kind": "api-gateway", "routes": api_routes}
    return Blueprint.model_validate(data)


_PORTS = st.sampled_from([80, 443, 5432, 8080, 9000])


@st.composite
def _systems(draw: st.DrawFn) -> Blueprint:
    names = draw(
        st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=4, unique=True)
    )
    services = {
        n: (draw(_PORTS), draw(st.one_of(st.none(), st.sampled_from([9100, 9200])))) for n in names
    }
    calls = {(a, b) for a in names for b in names if a != b and draw(st.booleans())}
    lbs = []
    for _ in range(draw(st.integers(0, 2))):
        targets = draw(st.dictionaries(_PORTS, st.sampled_from(names), min_size=1, max_size=2))
        allow = draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "cidr": st.sampled_from(["203.0.113.0/24", "10.0.0.0/8"]),
                        "ports": st.lists(_PORTS, min_size=1, max_size=2, unique=True),
                    }
                ),
                max_size=2,
            )
        )
        public = draw(st.booleans())
        lbs.append(
            (
                public,
                draw(st.sampled_from(["network", "application"])),
                targets,
                allow if public else [],
            )
        )
    # An HTTP API routes to a balancer, or to a service one of them forwards to.
    targets = sorted(
        {f"lb{i}" for i in range(len(lbs))} | {t for lb in lbs for t in lb[2].values()}
    )
    routes = None
    if targets and draw(st.booleans()):
        routes = {"ANY /{proxy+}": draw(st.sampled_from(targets))}
    # Databases some services use; HTTPS (with its redirect) on application balancers with 443.
    databases = {
        f"db{i}": (
            draw(st.sampled_from(["postgres", "mysql", "aurora-postgresql"])),
            draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names))),
        )
        for i in range(draw(st.integers(0, 2)))
    }
    tls = frozenset(
        i
        for i, (_, kind, forwards, _) in enumerate(lbs)
        if kind == "application" and 443 in forwards and 80 not in forwards and draw(st.booleans())
    )
    return _system(services, calls, lbs, routes, databases, tls)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bp=_systems(), fmt=st.sampled_from(sorted(PARSERS)))
def test_generated_systems_render_exactly_the_intended_network(bp: Blueprint, fmt: str) -> None:
    assert _proof(bp, fmt) == []
