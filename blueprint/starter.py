"""The starting blueprint `blueprint init` writes: a small live system for one platform, and a
commented example of every other top-level section (pure text, no I/O)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

SCHEMA_URL = "https://blueprint.dev/schema/blueprint.schema.json"
PLATFORMS = ("aws-fargate", "cloud-run", "azure-container-apps", "kubernetes")

# What each platform's generator renders today, read from the support matrix (the one place
# that says it). A database or a queue on a platform whose cloud refuses that kind would give a
# blueprint that validates but cannot render: init refuses the combination instead
# (tests/cli/test_init.py renders every accepted combination).
STARTER_KINDS = ("database", "queue")
# What a cell says is rendered but the starting blueprint cannot give it.
_STARTER_LIMITS: dict[tuple[str, str], str] = {
    ("cloud-run", "database"): (
        "Cloud SQL gets a private IP on a network, which the starting blueprint does not "
        "declare (add networks: and the database by hand; see docs/gcp.md)"
    ),
}


@cache
def unsupported() -> dict[tuple[str, str], str]:
    """(platform, kind) -> why init refuses it. Imported late: `blueprint --help` and every
    other command build the init parser without loading the model."""
    from blueprint.model import Platform
    from blueprint.support.matrix import BY_ID

    out: dict[tuple[str, str], str] = dict(_STARTER_LIMITS)
    for platform in PLATFORMS:
        cloud = Platform(platform).cloud.value
        for kind in STARTER_KINDS:
            cell = BY_ID[f"resource-{kind}"].cells[cloud]
            if cell.status == "refused":
                out[(platform, kind)] = (
                    f"the {cloud} generator does not render kind {kind}: {cell.text}"
                )
    return out


DATABASE = "appdb"
QUEUE = "jobqueue"
REGISTRY = "images"


class StarterError(ValueError):
    """A combination of options that would not give a renderable blueprint."""


@dataclass(frozen=True)
class Shape:
    name: str
    platform: str
    services: tuple[tuple[str, int], ...]
    database: bool = False
    queue: bool = False


def refusals(shape: Shape) -> list[str]:
    taken = _generated_names(shape)
    problems = [
        f"--service {name}: the starting blueprint uses the name {name!r} for its "
        f"{taken[name]}; choose another service name"
        for name, _ in shape.services
        if name in taken
    ]
    wanted = [k for k, on in (("database", shape.database), ("queue", shape.queue)) if on]
    return problems + [
        f"--{kind} with --platform {shape.platform}: {unsupported()[(shape.platform, kind)]}; "
        "leave it out and add it when the generator supports it"
        for kind in wanted
        if (shape.platform, kind) in unsupported()
    ]


def _generated_names(shape: Shape) -> dict[str, str]:
    """Names the starting blueprint gives to things other than services (one namespace)."""
    names = (
        {"gateway": "API gateway", "gateway-lb": "load balancer"}
        if shape.platform == "aws-fargate"
        else {"public": "HTTP ingress"}
    )
    if shape.platform != "kubernetes":
        names[REGISTRY] = "image registry"
    if shape.database:
        names[DATABASE] = "database"
    if shape.queue:
        names[QUEUE] = "queue"
    return names


def blueprint_text(shape: Shape) -> str:
    problems = refusals(shape)
    if problems:
        raise StarterError("; ".join(problems))
    parts = [
        f"# yaml-language-server: $schema={SCHEMA_URL}\n",
        "# Written by `blueprint init`. Check it with `blueprint check blueprint.yaml` and\n"
        "# render it with `blueprint render blueprint.yaml --out out`. Every key is described\n"
        "# in the schema (hover in an editor) and in the README.\n",
        f"name: {shape.name}\n",
        f"description: {shape.name}, started with blueprint init\n",
        _platforms(shape),
        _networks(shape),
        _ingress(shape),
        _services(shape),
        _jobs(shape),
        _resources(shape),
        _identity(shape),
        _policy(),
        _environments(shape),
        _gitops(shape),
        _monitoring(shape),
        _overrides(shape),
    ]
    return "".join(parts)


def _platforms(shape: Shape) -> str:
    body = {
        "aws-fargate": "  aws:\n    region: eu-west-2\n",
        "cloud-run": "  gcp:\n    project: example-project\n    region: europe-west2\n",
        "azure-container-apps": "  azure:\n    location: uksouth\n",
        "kubernetes": f"  kubernetes:\n    namespace: {shape.name}\n",
    }[shape.platform]
    return "# Where workloads run, with each cloud's settings.\nplatforms:\n" + body


def _calls_on_cloud_run(shape: Shape) -> bool:
    """Cloud Run services without a public ingress accept only requests from a VPC, so a Cloud
    Run caller needs all-traffic VPC egress (a subnet behind Cloud NAT) to reach them (BP2008)."""
    return shape.platform == "cloud-run" and len(shape.services) > 1


def _networks(shape: Shape) -> str:
    if _calls_on_cloud_run(shape):
        return (
            "# Networks: the entry service sends its calls through this VPC (Cloud NAT for the\n"
            "# rest), which the internal-only services behind it require.\n"
            "networks:\n"
            "  main:\n"
            "    cidr: 10.0.0.0/16\n"
            "    subnets:\n"
            "      run-a: {cidr: 10.0.0.0/24}\n"
            "      nat-a: {cidr: 10.0.1.0/24, public: true}\n"
            "    nat: nat-a\n"
        )
    if shape.platform != "aws-fargate":
        return (
            "# Networks: address space, subnets, NAT, peering (needed on AWS; optional here).\n"
            "# networks:\n"
            "#   main:\n"
            "#     cidr: 10.0.0.0/16\n"
            "#     subnets:\n"
            "#       private-a: {cidr: 10.0.0.0/19, zone: a}\n"
        )
    return (
        "# Networks: address space, subnets (public or private, zone), the NAT's subnet.\n"
        "networks:\n"
        "  main:\n"
        "    cidr: 10.0.0.0/16\n"
        "    subnets:\n"
        "      public-a: {cidr: 10.0.64.0/19, zone: a, public: true}\n"
        "      private-a: {cidr: 10.0.0.0/19, zone: a}\n"
        "      private-b: {cidr: 10.0.32.0/19, zone: b}\n"
        "    nat: public-a\n"
    )


def _ingress(shape: Shape) -> str:
    entry, port = shape.services[0]
    if shape.platform == "aws-fargate":
        return (
            "# Entry points: API gateways, load balancers, HTTP ingress.\n"
            "ingress:\n"
            "  gateway:\n"
            "    kind: api-gateway\n"
            "    public: true\n"
            "    routes:\n"
            '      "ANY /{proxy+}": gateway-lb\n'
            "  gateway-lb:\n"
            "    kind: load-balancer\n"
            "    type: network\n"
            "    internal: true\n"
            "    subnets: [private-a, private-b]\n"
            "    forwards:\n"
            f"      {port}: {entry}\n"
        )
    return (
        "# Entry points: API gateways, load balancers, HTTP ingress.\n"
        "ingress:\n"
        "  public:\n"
        "    kind: http\n"
        "    public: true\n"
        "    routes:\n"
        f"      /: {entry}\n"
    )


def _image(shape: Shape, service: str) -> str:
    if shape.platform == "kubernetes":
        return f'{{registry: ghcr.io, repository: example/{service}, tag: "0.1.0"}}'
    return f'{{registry: {REGISTRY}, repository: {service}, tag: "0.1.0"}}'


def _services(shape: Shape) -> str:
    out = ["# Long-running workloads: image, port, size, health, what they call and use.\n"]
    out.append("services:\n")
    for index, (service, port) in enumerate(shape.services):
        out.append(f"  {service}:\n")
        out.append(f"    platform: {shape.platform}\n")
        out.append(f"    image: {_image(shape, service)}\n")
        out.append(f"    port: {port}\n")
        out.append("    replicas: 2\n")
        if shape.platform == "aws-fargate":
            out.append("    subnets: [private-a, private-b]\n")
        elif index == 0 and _calls_on_cloud_run(shape):
            out.append("    subnets: [run-a]\n")
        out.append("    health: {path: /healthz}\n")
        out.append("    metrics: {path: /metrics}\n")
        out.append("    env:\n      LOG_LEVEL: info\n")
        if index == 0:
            out.extend(_wired_env(shape))
        if index == 0:
            out.append(
                "    # Secrets are references into a secret-store resource, never values:\n"
                "    # secrets:\n"
                "    #   API_TOKEN: {store: vault, key: api-token}\n"
            )
            callees = [name for name, _ in shape.services[1:]]
            if callees:
                out.append("    calls:\n")
                out.extend(f"      - {{service: {name}, latency: 0.1}}\n" for name in callees)
            uses = _uses(shape)
            if uses:
                out.append("    uses:\n")
                out.extend(f"      - {use}\n" for use in uses)
    return "".join(out)


def _wired_env(shape: Shape) -> list[str]:
    """Env values taken from the resources, where the platform renders them."""
    from blueprint.support.matrix import BY_ID

    if BY_ID["env-output"].cells[shape.platform].status != "rendered":
        return []
    out = []
    if shape.database:
        # Its address; credentials differ by platform (Entra ID and IAM tokens have none).
        out.append(f"      DATABASE_HOST: {{resource: {DATABASE}, output: host}}\n")
    if shape.queue:
        out.append(f"      QUEUE_NAME: {{resource: {QUEUE}, output: name}}\n")
    return out


# Kubernetes: a datastore outside the cluster, reached at its endpoint (egress is opened to it).
_ENDPOINTS = {"database": "5432", "queue": "5672"}


def _endpoint(shape: Shape, name: str, kind: str) -> str:
    if shape.platform != "kubernetes":
        return ""
    return f", endpoint: {{host: {name}.example.internal, port: {_ENDPOINTS[kind]}}}"


def _uses(shape: Shape) -> list[str]:
    uses = []
    if shape.database:
        uses += [f"{{resource: {DATABASE}, access: {a}}}" for a in ("read", "write")]
    if shape.queue:
        uses.append(f"{{resource: {QUEUE}, access: publish}}")
    return uses


def _jobs(shape: Shape) -> str:
    from blueprint.support.matrix import BY_ID

    cell = BY_ID["job-schedule"].cells[shape.platform]
    if cell.status == "refused":
        # Only what renders is suggested (docs/support.md).
        return (
            f"# Scheduled jobs are not rendered for {shape.platform} yet ({cell.text}); "
            "see docs/support.md.\n"
            "# jobs: {}\n"
        )
    return (
        "# Scheduled or event-driven workloads:\n"
        "# jobs:\n"
        "#   nightly:\n"
        f"#     platform: {shape.platform}\n"
        f"#     image: {_image(shape, 'nightly')}\n"
        + ("#     subnets: [private-a, private-b]\n" if shape.platform == "aws-fargate" else "")
        + '#     trigger: {schedule: "0 3 * * *"}\n'
    )


def _resources(shape: Shape) -> str:
    lines = []
    if shape.platform != "kubernetes":
        lines.append(f"  {REGISTRY}: {{kind: registry}}\n")
    if shape.database:
        endpoint = _endpoint(shape, DATABASE, "database")
        lines.append(f"  {DATABASE}: {{kind: database, tables: [items]{endpoint}}}\n")
    if shape.queue:
        lines.append(f"  {QUEUE}: {{kind: queue{_endpoint(shape, QUEUE, 'queue')}}}\n")
    head = "# Managed resources: buckets, databases, queues, topics, registries, secret stores.\n"
    if not lines:
        return head + "# resources:\n#   uploads: {kind: bucket}\n"
    return head + "resources:\n" + "".join(lines)


def _identity(shape: Shape) -> str:
    # A resource the blueprint declares once its commented examples are uncommented.
    resource = REGISTRY if shape.platform != "kubernetes" else "uploads"
    return (
        "# Who may do what: scopes (groups or roles) and principals.\n"
        "# identity:\n"
        "#   scopes:\n"
        f"#     developer: {{grants: [{{resource: {resource}, access: read}}]}}\n"
        "#   principals:\n"
        "#     alex: {kind: human, scopes: [developer], console: true, mfa: true}\n"
    )


def _policy() -> str:
    return (
        "# Severity overrides and waivers of accepted findings (`blueprint rules` lists ids).\n"
        "# policy:\n"
        "#   severity: {BP4003: warning}\n"
        "#   waivers:\n"
        "#     - {rule: BP3002, subject: services.web, owner: team, reason: accepted until\n"
        "#        the migration, expires: 2027-01-31}\n"
    )


def _environments(shape: Shape) -> str:
    first = shape.services[0][0]
    return (
        "# Overlays selected with --env NAME.\n"
        "environments:\n"
        "  dev:\n"
        "    services:\n"
        f"      {first}: {{replicas: 1}}\n"
        "  staging:\n"
        "    services:\n"
        f"      {first}: {{replicas: 3}}\n"
        "# A production overlay (named prod) also pins every image by digest, `digest:\n"
        "# sha256:...` beside its tag (rule BP5001), and spreads across two zones (BP3007).\n"
    )


def _gitops(shape: Shape) -> str:
    return (
        "# Where the committed out/ lives, for the Argo CD and Flux objects that apply it.\n"
        "# gitops:\n"
        f"#   repository: https://github.com/example/{shape.name}.git\n"
        "#   path: out\n"
    )


def _monitoring(shape: Shape) -> str:
    del shape
    return (
        "# Prometheus scraping and a Grafana dashboard for services with a metrics endpoint.\n"
        "# monitoring:\n"
        "#   scrape_interval_seconds: 15\n"
    )


def _overrides(shape: Shape) -> str:
    intro = (
        "# The escape hatch: what the model cannot say, in each target's own mechanism\n"
        '# (README, "Overrides"); `blueprint check` notes each one (BP6002).\n'
    )
    first = shape.services[0][0] if shape.services else None
    if shape.platform == "kubernetes" and first is not None:
        return intro + (
            "# overrides:\n"
            "#   kubernetes:\n"
            "#     workloads:\n"
            f"#       {first}:\n"
            f"#         labels: {{team: {shape.name}}}\n"
        )
    cloud = {"aws-fargate": "aws", "cloud-run": "gcp"}.get(shape.platform)
    if cloud is not None and first is not None:
        return intro + (
            "# overrides:\n"
            "#   terraform:\n"
            f"#     {cloud}:\n"
            "#       files:\n"
            '#         extra.tf: {content: "# resources the model cannot say\\n"}\n'
        )
    return intro + "# overrides: {}\n"


PRE_COMMIT = """\
# blueprint's hooks: re-render out/ and run the policy checks on every commit.
repos:
  - repo: https://github.com/blueprint-dev/blueprint
    rev: v0.1.0
    hooks:
      - id: blueprint-render
      - id: blueprint-check
"""


def parse_services(names: Sequence[str], ports: Sequence[int]) -> tuple[tuple[str, int], ...]:
    """Pairs --service and --port in order; a service without its own --port listens on 8080."""
    if len(ports) > len(names):
        raise StarterError(
            f"found {len(ports)} --port for {len(names)} --service, expected at most one "
            "--port per --service (they pair in order)"
        )
    return tuple((name, ports[i] if i < len(ports) else 8080) for i, name in enumerate(names))
