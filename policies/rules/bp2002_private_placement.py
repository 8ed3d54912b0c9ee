"""BP2002: workloads and datastores placed in public subnets."""

from __future__ import annotations

from collections.abc import Iterator

from policies.context import Context
from policies.graph import out_edges, short
from policies.rules.base import Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    g = ctx.graph
    for node in ctx.nodes("service", "job", "resource"):
        data = g.nodes[node]
        if data.get("kind") == "resource" and not data.get("datastore"):
            continue
        what = data.get("resource_kind") or data.get("kind")
        for subnet, _ in out_edges(g, node, "runs-in"):
            if not g.nodes[subnet].get("public"):
                continue
            sub = g.nodes[subnet]
            yield Hit(
                node,
                f"{what} {short(node)} sits in public subnet {sub['label']} ({sub['cidr']}); "
                "workloads and datastores belong in private subnets, behind an ingress",
                (node, subnet),
                (*node.split("."), "subnets"),
            )


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
resources:
  db: {kind: database, subnets: [public-a]}
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
resources:
  db: {kind: database, subnets: [private-a]}
""",
)


RULE = Rule(
    id="BP2002",
    name="private-placement",
    title="Workload or datastore in a public subnet",
    severity="error",
    rationale=(
        "A public subnet gives what it hosts a route from the internet; only entry points "
        "(load balancers, NAT) belong there. A workload or datastore in it is one security "
        "group mistake away from exposure."
    ),
    fix="Move it to a private subnet and reach it through a declared ingress.",
    check=check,
    example=EXAMPLE,
    controls=("cis-aws:2.3.3", "nist-800-53:SC-7"),
)
