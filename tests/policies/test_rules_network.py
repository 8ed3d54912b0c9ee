"""Network rules: a good and a bad case each, asserting whole findings."""

from __future__ import annotations

import pytest

from tests.policies.support import finding, findings, unchecked

HEAD = """\
name: t
platforms:
  aws: {region: eu-west-2}
"""
NET = (
    HEAD
    + """\
networks:
  main:
    cidr: 10.0.0.0/16
    nat: public-a
    subnets:
      public-a: {cidr: 10.0.64.0/19, public: true}
      private-a: {cidr: 10.0.0.0/19}
"""
)
WEB = """\
services:
  web:
    platform: aws-fargate
    replicas: 2
    subnets: [private-a]
"""

CASES = [
    pytest.param("BP2001", NET + WEB, [], id="BP2001-good-disjoint"),
    pytest.param(
        "BP2001",
        HEAD
        + """\
networks:
  a:
    cidr: 10.0.0.0/16
    peers: [b]
    subnets: {a1: {cidr: 10.0.0.0/24}}
  b:
    cidr: 10.0.0.0/8
    subnets: {b1: {cidr: 10.1.0.0/24}}
""",
        [
            finding(
                "BP2001",
                "error",
                "networks.a",
                "10.0.0.0/16 overlaps 10.0.0.0/8 (network b), which it peers with; peered "
                "address spaces must be disjoint",
                ("networks.a", "networks.b"),
                7,
                5,
            )
        ],
        id="BP2001-bad-peered-overlap",
    ),
    pytest.param("BP2002", NET + WEB, [], id="BP2002-good-private"),
    pytest.param(
        "BP2002",
        NET
        + """\
resources:
  db: {kind: database, subnets: [public-a]}
""",
        [
            finding(
                "BP2002",
                "error",
                "resources.db",
                "database db sits in public subnet public-a (10.0.64.0/19); workloads and "
                "datastores belong in private subnets, behind an ingress",
                ("resources.db", "networks.main.subnets.public-a"),
                12,
                24,
            )
        ],
        id="BP2002-bad-database-in-public-subnet",
    ),
    pytest.param("BP2003", NET + WEB, [], id="BP2003-good-nat-in-public"),
    pytest.param(
        "BP2003",
        HEAD
        + """\
networks:
  main:
    cidr: 10.0.0.0/16
    nat: private-b
    subnets:
      public-a: {cidr: 10.0.64.0/19, public: true}
      private-a: {cidr: 10.0.0.0/19, egress: internet}
      private-b: {cidr: 10.0.32.0/19}
""",
        [
            finding(
                "BP2003",
                "error",
                "networks.main.nat",
                "the NAT of network main sits in private subnet private-b (10.0.32.0/19); a "
                "NAT must be in a public subnet",
                ("networks.main.nat", "networks.main.subnets.private-b"),
                7,
                5,
            ),
            finding(
                "BP2003",
                "error",
                "networks.main.subnets.private-a",
                "private subnet private-a (10.0.0.0/19) routes to the internet gateway "
                "directly (egress: internet); route it through a NAT in a public subnet",
                ("networks.main.subnets.private-a", "networks.main.internet_gateway"),
                10,
                38,
            ),
        ],
        id="BP2003-bad-direct-egress-and-private-nat",
    ),
    pytest.param(
        "BP2004",
        NET
        + WEB
        + """\
ingress:
  lb:
    kind: load-balancer
    internal: false
    subnets: [public-a]
    forwards: {443: web}
""",
        [],
        id="BP2004-good-through-public-lb",
    ),
    pytest.param(
        "BP2004",
        NET
        + """\
services:
  web:
    platform: aws-fargate
    replicas: 2
    subnets: [public-a]
""",
        [
            finding(
                "BP2004",
                "error",
                "services.web",
                "service web is reachable from the internet around every public entry point: "
                "internet -> internet gateway -> public-a -> web",
                (
                    "internet",
                    "networks.main.internet_gateway",
                    "networks.main.subnets.public-a",
                    "services.web",
                ),
                12,
                3,
            )
        ],
        id="BP2004-bad-service-in-public-subnet",
    ),
    pytest.param(
        "BP2004",
        HEAD
        + """\
resources:
  site: {kind: bucket, public: true}
""",
        [
            finding(
                "BP2004",
                "error",
                "resources.site",
                "bucket site is reachable from the internet around every public entry point: "
                "internet -> site",
                ("internet", "resources.site"),
                5,
                3,
            )
        ],
        id="BP2004-bad-public-bucket",
    ),
    pytest.param(
        "BP2005",
        NET
        + WEB
        + """\
ingress:
  lb:
    kind: load-balancer
    internal: false
    subnets: [public-a]
    forwards: {443: web}
    allow_from: [{cidr: 0.0.0.0/0, ports: [80, 443]}, {cidr: "::/0", ports: [443]}]
""",
        [],
        id="BP2005-good-web-ports-on-entry",
    ),
    pytest.param(
        "BP2005",
        NET
        + """\
services:
  web:
    platform: aws-fargate
    replicas: 2
    subnets: [private-a]
    allow_from: [{cidr: 0.0.0.0/0, ports: [22, 8080]}]
""",
        [
            finding(
                "BP2005",
                "error",
                "services.web",
                "admits 0.0.0.0/0 on tcp port(s) 22 (SSH), 8080; web is not a public entry point",
                ("services.web", "0.0.0.0/0", "22", "8080"),
                16,
                18,
            )
        ],
        id="BP2005-bad-ssh-from-anywhere",
    ),
    pytest.param(
        "BP2006",
        NET
        + """\
services:
  web:
    platform: aws-fargate
    replicas: 2
    subnets: [private-a]
    calls: [{service: api}]
  api:
    platform: aws-fargate
    subnets: [private-a]
    allow_from: [{cidr: 10.0.0.0/19, ports: [8080]}]
""",
        [],
        id="BP2006-good-only-callers-in-range",
    ),
    pytest.param(
        "BP2006",
        NET
        + """\
services:
  web:
    platform: aws-fargate
    replicas: 2
    subnets: [private-a]
  api:
    platform: aws-fargate
    subnets: [private-a]
    allow_from: [{cidr: 10.0.0.0/16, ports: [8080]}]
""",
        [
            finding(
                "BP2006",
                "error",
                "services.api",
                "admits 10.0.0.0/16 on port(s) 8080, which lets in 1 workload(s) that declare "
                "no call to api: web",
                ("services.api", "10.0.0.0/16", "services.web"),
                19,
                18,
            )
        ],
        id="BP2006-bad-range-beyond-callers",
    ),
]


@pytest.mark.parametrize(("rule", "text", "expected"), CASES)
def test_network_rule(rule: str, text: str, expected: list[object]) -> None:
    assert findings(text, rule) == expected


def test_subnet_overlap_quotes_both_ranges() -> None:
    # The loader rejects this blueprint already; the rule proves the same on its own.
    text = (
        HEAD
        + """\
networks:
  main:
    cidr: 10.0.0.0/16
    subnets:
      private-a: {cidr: 10.0.0.0/23}
      private-b: {cidr: 10.0.1.0/24}
      outside: {cidr: 10.1.0.0/24}
"""
    )
    assert unchecked(text, "BP2001") == [
        finding(
            "BP2001",
            "error",
            "networks.main.subnets.private-b",
            "10.0.1.0/24 overlaps 10.0.0.0/23 (subnet private-a)",
            ("networks.main.subnets.private-b", "networks.main.subnets.private-a"),
            9,
            19,
        ),
        finding(
            "BP2001",
            "error",
            "networks.main.subnets.outside",
            "10.1.0.0/24 is outside its network's 10.0.0.0/16 (network main)",
            ("networks.main.subnets.outside", "networks.main"),
            10,
            17,
        ),
    ]
