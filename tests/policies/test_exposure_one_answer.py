"""One answer to "what does the internet reach": the view, the graph, `check` and `diff`
agree, on each way in the graph once missed or misread."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from blueprint.view import Exposure, ExposureKind, SystemView
from policies.graph import build_graph, out_edges
from policies.queries import internet_exposure
from tests.support import load_text, run_cli

NODE_PORT_SSH = """\
    name: x
    platforms: {kubernetes: {}}
    services:
      ssh:
        platform: kubernetes
        port: 22
        image: {registry: docker.io, repository: sshd, tag: "1",
                digest: "sha256:ad2be78034a94ed31152f113eb7938a35f30a14fb3fdc4fb94df1c715d0fb93a"}
        expose: {type: node-port}
    """

PUBLIC_POSTGRES = """\
    name: x
    platforms: {aws: {region: eu-west-2}}
    networks:
      main: {cidr: 10.0.0.0/16, subnets: {priv: {cidr: 10.0.0.0/24}}}
    ingress:
      db-lb: {kind: load-balancer, type: network, internal: false, subnets: [priv],
              forwards: {5432: db}}
    services:
      db: {platform: aws-fargate, port: 5432, subnets: [priv],
           image: {registry: docker.io, repository: postgres, tag: "16"}}
    """


def test_a_node_port_service_is_in_the_graph_with_its_port() -> None:
    g = build_graph(load_text(NODE_PORT_SSH).blueprint)
    [(target, data)] = out_edges(g, "internet", "routes-to")
    assert (target, data["via"], data["port"], data["sources"]) == (
        "services.ssh",
        "node-port",
        22,
        ("0.0.0.0/0",),
    )
    assert internet_exposure(g)["services.ssh"].direct_path == ("internet", "services.ssh")


def test_check_reports_the_node_port_exposure(tmp_path: Path) -> None:
    path = tmp_path / "blueprint.yaml"
    path.write_text(textwrap.dedent(NODE_PORT_SSH), encoding="utf-8")
    code, out, _ = run_cli("check", str(path))
    assert code == 1
    assert (
        f"{path}:4:3: error BP2004 services.ssh: service ssh is reachable from the internet "
        "around every public entry point: internet -> ssh (a Kubernetes node-port service on tcp "
        "port(s) 22 (SSH))\n"
    ) in out


def test_a_public_balancer_forwarding_5432_is_one_exposure_in_view_graph_and_diff(
    tmp_path: Path,
) -> None:
    bp = load_text(PUBLIC_POSTGRES).blueprint
    view = SystemView.of(bp)
    assert view.exposures == (
        Exposure("ingress.db-lb", ExposureKind.PUBLIC_INGRESS, 5432, "tcp", ("0.0.0.0/0",)),
    )
    g = build_graph(bp, view)
    [(target, data)] = out_edges(g, "internet", "routes-to")
    assert (target, data["port"]) == ("ingress.db-lb", 5432)
    assert internet_exposure(g)["services.db"].entry_path == (
        "internet",
        "ingress.db-lb",
        "services.db",
    )
    base, head = tmp_path / "base.yaml", tmp_path / "head.yaml"
    text = textwrap.dedent(PUBLIC_POSTGRES)
    base.write_text(text.replace("internal: false", "internal: true"), encoding="utf-8")
    head.write_text(text, encoding="utf-8")
    code, out, _ = run_cli("diff", str(base), str(head))
    assert (code, out.splitlines()[1:3]) == (
        0,
        [
            "internet exposure:",
            "  + services.db: internet (0.0.0.0/0 tcp/5432) -> ingress.db-lb -> services.db"
            "  [widens]",
        ],
    )


def test_graph_json_lists_the_views_connections() -> None:
    code, out, err = run_cli("graph", "examples/kubernetes-helm/blueprint.yaml", "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["connections"] == [
        {
            "source": source,
            "destination": "services.hello",
            "port": 8080,
            "protocol": "tcp",
            "reason": reason,
        }
        for source, reason in (
            ("monitoring", "metrics-scrape"),
            ("platform", "health-check"),
            ("private-network", "exposure"),
        )
    ]
