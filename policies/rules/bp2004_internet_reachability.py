"""BP2004: anything the internet reaches other than through a declared public entry point."""

from __future__ import annotations

from collections.abc import Iterator

from blueprint.model import Service
from policies.context import Context
from policies.graph import INTERNET, out_edges, short
from policies.rules.base import Example, Hit, Rule
from policies.rules.bp2005_open_ingress import exposed_ports, port_text


def check(ctx: Context) -> Iterator[Hit]:
    g = ctx.graph
    for node, exposure in ctx.exposure.items():
        data = g.nodes[node]
        if data.get("kind") not in ("service", "job", "resource") or exposure.direct_path is None:
            continue
        path = exposure.direct_path
        spec = data.get("spec")
        exposed = len(path) == 2 and isinstance(spec, Service) and spec.expose.type != "cluster-ip"
        if exposed and spec.expose.entry_point is not None:
            continue  # a reviewed entry point: BP2007 checks the ports it serves
        what = data.get("resource_kind") or data.get("kind")
        how = ""
        if exposed:
            # The exposure edges carry the ports the render opens (the view's one answer).
            ports = sorted(
                {int(d["port"]) for v, d in out_edges(g, INTERNET, "routes-to") if v == node}
            )
            how = (
                f" (a Kubernetes {spec.expose.type} service on tcp port(s) "
                f"{port_text(ports or exposed_ports(spec))})"
            )
        yield Hit(
            node,
            f"{what} {short(node)} is reachable from the internet around every public entry "
            f"point: {' -> '.join(_label(g, n) for n in path)}{how}",
            path,
        )


def _label(g: object, node: str) -> str:
    data = g.nodes[node]  # type: ignore[attr-defined]  # a networkx graph
    if data.get("kind") == "gateway":
        return str(data.get("label"))
    return short(node) if node != "internet" else "internet"


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  aws: {region: eu-west-2}
networks:
  main:
    cidr: 10.0.0.0/16
    nat: public-a
    subnets:
      public-a: {cidr: 10.0.64.0/19, public: true}
      private-a: {cidr: 10.0.0.0/19}
services:
  web:
    platform: aws-fargate
    replicas: 2
    subnets: [public-a]
""",
    good="""\
name: demo
platforms:
  aws: {region: eu-west-2}
networks:
  main:
    cidr: 10.0.0.0/16
    nat: public-a
    subnets:
      public-a: {cidr: 10.0.64.0/19, public: true}
      private-a: {cidr: 10.0.0.0/19}
services:
  web:
    platform: aws-fargate
    replicas: 2
    subnets: [private-a]
ingress:
  lb:
    kind: load-balancer
    internal: false
    subnets: [public-a]
    forwards: {443: web}
""",
)


RULE = Rule(
    id="BP2004",
    name="internet-reachability",
    title="Reachable from the internet other than through a public entry point",
    severity="error",
    rationale=(
        "Every path from the internet should pass a declared public ingress, where TLS, "
        "authentication and rate limits live. One breadth-first traversal from the internet "
        "finds every service and datastore it reaches and the path; a path around every "
        "entry point (a public subnet, a public bucket, a Kubernetes LoadBalancer service) is "
        "an exposure nobody reviewed as one. A Kubernetes exposure reviewed as an entry point "
        "(expose.entry_point, with the ports it serves) is not reported here."
    ),
    fix=(
        "Move the workload or datastore to a private subnet, set public: false, put it "
        "behind a declared public ingress, or declare a reviewed Kubernetes exposure: expose: "
        "{type: load-balancer, entry_point: {ports: [443], reason: ...}}."
    ),
    check=check,
    example=EXAMPLE,
    controls=("cis-aws:2.1.4", "cis-aws:2.3.3", "nist-800-53:AC-4", "nist-800-53:SC-7"),
)
