"""The system view: one derivation of connections, exposure, ports, roots and grants."""

from __future__ import annotations

import textwrap

from blueprint.model import Cloud
from blueprint.subjects import INTERNET, MONITORING, PLATFORM, PRIVATE_NETWORK
from blueprint.view import Connection, Exposure, ExposureKind, IacRoot, Reason, SystemView
from tests.support import load_example, load_text


def view(text: str) -> SystemView:
    return SystemView.of(load_text(textwrap.dedent(text)).blueprint)


NODE_PORT_SSH = """\
    name: x
    platforms: {kubernetes: {}}
    services:
      ssh:
        platform: kubernetes
        port: 22
        image: {registry: docker.io, repository: sshd, tag: "1"}
        expose: {type: node-port}
        health: {path: /}
        metrics: {port: 9100}
    """


def test_a_node_port_service_is_an_internet_exposure_on_its_port() -> None:
    v = view(NODE_PORT_SSH)
    assert v.exposures == (
        Exposure("services.ssh", ExposureKind.NODE_PORT, 22, "tcp", ("0.0.0.0/0",)),
    )
    assert v.connections == (
        Connection(INTERNET, "services.ssh", 22, "tcp", Reason.EXPOSURE),
        Connection(MONITORING, "services.ssh", 9100, "tcp", Reason.METRICS_SCRAPE),
        Connection(PLATFORM, "services.ssh", 22, "tcp", Reason.HEALTH_CHECK),
    )


def test_the_node_port_example_admits_only_its_private_network() -> None:
    v = SystemView.of(load_example("kubernetes-helm").blueprint)
    assert v.exposures == (
        Exposure("services.hello", ExposureKind.NODE_PORT, 8080, "tcp", ("10.0.0.0/8",)),
    )
    assert Connection(PRIVATE_NETWORK, "services.hello", 8080, "tcp", Reason.EXPOSURE) in (
        v.connections
    )


def test_a_public_network_balancer_without_allow_from_exposes_each_listener() -> None:
    v = view(
        """\
        name: x
        platforms: {aws: {region: eu-west-2}}
        networks:
          main: {cidr: 10.0.0.0/16, subnets: {pub: {cidr: 10.0.0.0/24, public: true}}}
        ingress:
          db-lb: {kind: load-balancer, type: network, internal: false, subnets: [pub],
                  forwards: {5432: db}}
        services:
          db: {platform: aws-fargate, port: 5432, subnets: [pub],
               image: {registry: docker.io, repository: postgres, tag: "16"}}
        """
    )
    assert v.exposures_of("ingress.db-lb") == (
        Exposure("ingress.db-lb", ExposureKind.PUBLIC_INGRESS, 5432, "tcp", ("0.0.0.0/0",)),
    )
    assert Connection("ingress.db-lb", "services.db", 5432, "tcp", Reason.INGRESS_FORWARD) in (
        v.connections
    )
    assert v.is_public("db") is True


def test_allow_from_narrows_each_listener_to_the_rules_that_name_its_port() -> None:
    v = view(
        """\
        name: x
        platforms: {kubernetes: {}}
        services:
          ssh:
            platform: kubernetes
            port: 22
            image: {registry: docker.io, repository: sshd, tag: "1"}
            expose: {type: load-balancer}
            allow_from: [{cidr: 203.0.113.0/24, ports: [22]}, {cidr: 10.0.0.0/8, ports: [22, 9000]}]
        """
    )
    assert v.exposures == (
        Exposure(
            "services.ssh",
            ExposureKind.LOAD_BALANCER_SERVICE,
            22,
            "tcp",
            ("10.0.0.0/8", "203.0.113.0/24"),
        ),
        Exposure("services.ssh", ExposureKind.LOAD_BALANCER_SERVICE, 9000, "tcp", ("10.0.0.0/8",)),
    )


def test_calls_carry_the_callee_port_and_health_and_metrics_ports_resolve() -> None:
    v = view(
        """\
        name: x
        platforms: {kubernetes: {}}
        services:
          a: {platform: kubernetes, port: 8000, image: {registry: docker.io,
              repository: a, tag: "1"},
              calls: [{service: b}], health: {path: /h, port: 8001}, metrics: {port: 9100}}
          b: {platform: kubernetes, port: 9000, image: {registry: docker.io,
              repository: b, tag: "1"},
              health: {path: /h}}
        """
    )
    assert Connection("services.a", "services.b", 9000, "tcp", Reason.CALL) in v.connections
    assert (v.health_port("a"), v.metrics_port("a")) == (8001, 9100)
    assert (v.health_port("b"), v.metrics_port("b")) == (9000, None)
    assert v.callers_of("b") == ("a",)
    assert v.callers_of("a") == ()


def test_an_aws_block_without_anything_on_aws_has_no_root() -> None:
    v = view(
        """\
        name: x
        platforms: {kubernetes: {}, aws: {region: eu-west-2}}
        services:
          a: {platform: kubernetes, image: {registry: docker.io, repository: a, tag: "1"}}
        """
    )
    assert v.iac_roots == ()
    assert v.workloads_in(Cloud.KUBERNETES) == ("a",)


def test_the_aws_example_has_both_aws_roots() -> None:
    v = SystemView.of(load_example("aws-fargate-api").blueprint)
    assert v.iac_roots == (
        IacRoot(Cloud.AWS, "terraform", "aws/terraform"),
        IacRoot(Cloud.AWS, "cloudformation", "aws/cloudformation"),
    )
