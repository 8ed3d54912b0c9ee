"""What AWS refuses at validation for databases, HTTPS and connection wiring: one positioned
line per problem, exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path

from tests.support import run_cli

BAD = """\
name: bad
platforms:
  aws: {region: eu-west-2}
networks:
  main:
    cidr: 10.0.0.0/16
    subnets:
      public-a: {cidr: 10.0.0.0/24, zone: a, public: true}
      public-b: {cidr: 10.0.1.0/24, zone: b, public: true}
      app-a: {cidr: 10.0.10.0/24, zone: a}
    nat: public-a
ingress:
  plain:
    kind: load-balancer
    type: application
    internal: false
    subnets: [public-a, public-b]
    forwards: {443: web}
  both:
    kind: load-balancer
    type: application
    internal: false
    subnets: [public-a, public-b]
    forwards: {443: web, 80: web}
    host: shop.example.com
    tls: {zone: example.com, certificate: my-cert}
  nlb:
    kind: load-balancer
    type: network
    subnets: [app-a]
    forwards: {8443: web}
    host: nlb.example.com
    tls: {}
  named:
    kind: load-balancer
    type: application
    subnets: [public-a, public-b]
    forwards: {8080: web}
    host: named.example.com
services:
  web:
    platform: aws-fargate
    image: {registry: ghcr.io, repository: x/web, tag: "1"}
    port: 8080
    subnets: [app-a]
    env:
      VAULT: {resource: vault, output: url}
    uses:
      - {resource: db, access: write}
      - {resource: open, access: read}
      - {resource: vault, access: read}
resources:
  db: {kind: database, engine: mysql, version: "16"}
  open: {kind: database, subnets: [public-a, app-a]}
  vault: {kind: secret-store}
"""

EXPECTED = [
    "18:16: ingress.plain: port 443 without tls on an internet-facing load balancer is not "
    "rendered for aws: expected tls: {certificate: managed, zone: ZONE} and host, the "
    "certificate the HTTPS listener serves (plaintext on the TLS port) (see docs/support.md)",
    "24:30: found port 80 in forwards of load balancer 'both' with tls, expected no listener on "
    "80 (it only redirects to HTTPS on 443)",
    "26:43: found certificate 'my-cert' on aws, expected managed or an ACM certificate ARN "
    "(arn:aws:acm:REGION:ACCOUNT:certificate/ID)",
    "33:10: found tls on network load balancer 'nlb', expected type: application (an "
    "application load balancer's HTTPS listener serves the certificate)",
    "39:11: found host 'named.example.com' without tls on 'named', expected tls: {certificate: "
    "managed, zone: ZONE} (AWS serves a host with its certificate and writes its record in the "
    "zone)",
    "47:40: found output 'url' of secret-store 'vault' on aws-fargate, expected another output "
    "(Secrets Manager has no URL; use name)",
    "53:3: found database 'db' in subnets of one zone (a), expected private subnets in at least "
    "two zones (an RDS DB subnet group spans two)",
    "53:48: found version '16' for engine mysql on aws, expected one of 5.7, 8.0, 8.4 (or one of "
    "their minor versions)",
    "54:36: found public subnet 'public-a' for database 'open', expected private subnets only "
    "(a database is never reachable from the internet)",
]


def test_aws_refuses_what_it_cannot_render_safely(tmp_path: Path) -> None:
    path = tmp_path / "blueprint.yaml"
    path.write_text(BAD, encoding="utf-8")
    expected = "".join(f"{path}:{line}\n" for line in EXPECTED)
    assert run_cli("validate", str(path)) == (2, "", expected)
    out = tmp_path / "out"
    assert run_cli("render", str(path), "--out", str(out)) == (2, "", expected)
    assert not out.exists()


def test_tls_on_443_makes_the_internet_facing_listener_renderable(tmp_path: Path) -> None:
    fixed = (
        BAD.replace(
            "    forwards: {443: web}\n",
            "    forwards: {443: web}\n    host: plain.example.com\n    tls: {}\n",
        )
        .replace("forwards: {443: web, 80: web}", "forwards: {443: web}")
        .replace("    type: network\n", "    type: application\n")
        .replace("forwards: {8443: web}", "forwards: {443: web}")
        .replace("    host: named.example.com\n", "")
        .replace("output: url", "output: name")
        .replace("tls: {zone: example.com, certificate: my-cert}", "tls: {zone: example.com}")
        .replace(
            '  db: {kind: database, engine: mysql, version: "16"}',
            '  db: {kind: database, engine: mysql, version: "8.0", subnets: [app-a, app-b]}',
        )
        .replace("subnets: [public-a, app-a]}", "subnets: [app-a, app-b]}")
        .replace(
            "      app-a: {cidr: 10.0.10.0/24, zone: a}\n",
            "      app-a: {cidr: 10.0.10.0/24, zone: a}\n"
            "      app-b: {cidr: 10.0.11.0/24, zone: b}\n",
        )
    )
    path = tmp_path / "blueprint.yaml"
    path.write_text(fixed, encoding="utf-8")
    assert run_cli("validate", str(path))[0] == 0


def test_a_kafka_topic_name_is_wired_and_bootstrap_is_refused(tmp_path: Path) -> None:
    blueprint = tmp_path / "blueprint.yaml"
    text = """\
name: wired
platforms: {aws: {region: eu-west-2}}
networks:
  main:
    cidr: 10.0.0.0/16
    subnets:
      app-a: {cidr: 10.0.0.0/24, zone: a}
      app-b: {cidr: 10.0.1.0/24, zone: b}
resources:
  kafka: {kind: broker}
  events: {kind: topic, broker: kafka}
services:
  web:
    platform: aws-fargate
    image: {registry: ghcr.io, repository: shop/web, tag: "1"}
    subnets: [app-a]
    env:
      TOPIC: {resource: events, output: name}
    uses: [{resource: events, access: publish}]
"""
    blueprint.write_text(text)
    code, _, err = run_cli("render", str(blueprint), "--out", str(tmp_path / "out"))
    assert (code, err) == (0, "")
    ecs = (tmp_path / "out/aws/terraform/ecs.tf").read_text()
    assert 'name  = "TOPIC"\n          value = "events"' in ecs
    blueprint.write_text(
        text.replace(
            "TOPIC: {resource: events, output: name}", "K: {resource: kafka, output: bootstrap}"
        ).replace("{resource: events, access: publish}", "{resource: kafka, access: publish}")
    )
    code, _, err = run_cli("validate", str(blueprint))
    assert (code, err) == (
        2,
        f"{blueprint}:18:36: found output 'bootstrap' of broker 'kafka' on aws-fargate, expected "
        "another output (CloudFormation gives no attribute for MSK Serverless bootstrap brokers; "
        "the task can read them with kafka:GetBootstrapBrokers)\n",
    )
