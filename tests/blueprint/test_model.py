"""The model and the lookups the system view derives from it."""

from __future__ import annotations

import textwrap

import pytest
from pydantic import ValidationError

from blueprint.model import Access, Blueprint, Cloud, Grant, Image, Platform
from blueprint.view import SystemView
from tests.support import load_example, load_text


def bp(text: str) -> Blueprint:
    # The model's own semantics, whatever the targets can render (docs/support.md).
    return load_text(textwrap.dedent(text), support=False).blueprint


def test_models_are_immutable_and_reject_unknown_keys() -> None:
    blueprint = load_example("aws-fargate-api").blueprint
    with pytest.raises(ValidationError):
        blueprint.services["web"].replicas = 5  # type: ignore[misc]  # frozen on purpose
    with pytest.raises(ValidationError):
        Blueprint.model_validate({"name": "x", "servics": {}})


def test_platforms_know_their_cloud() -> None:
    assert {p: p.cloud for p in Platform} == {
        Platform.AWS_FARGATE: Cloud.AWS,
        Platform.AZURE_CONTAINER_APPS: Cloud.AZURE,
        Platform.AZURE_FUNCTIONS: Cloud.AZURE,
        Platform.KUBERNETES: Cloud.KUBERNETES,
        Platform.CLOUD_RUN: Cloud.GCP,
    }


@pytest.mark.parametrize(
    ("platforms", "default"),
    [
        ("aws: {region: eu-west-2}", Cloud.AWS),
        ("aws: {region: eu-west-2}\n  kubernetes: {}", Cloud.AWS),
        ("kubernetes: {}", Cloud.KUBERNETES),
        ("gcp: {project: my-project, region: europe-west1}", Cloud.GCP),
        ("aws: {region: eu-west-2}\n  gcp: {project: my-project, region: europe-west1}", None),
    ],
)
def test_default_cloud(platforms: str, default: Cloud | None) -> None:
    blueprint = bp(f"name: x\nplatforms:\n  {platforms}\n")
    assert blueprint.default_cloud() == default


def test_resources_and_networks_default_to_the_only_cloud_unless_they_name_one() -> None:
    blueprint = bp(
        """\
        name: x
        platforms:
          aws: {region: eu-west-2}
          kubernetes: {}
        networks:
          main: {cidr: 10.0.0.0/16, subnets: {a: {cidr: 10.0.0.0/24}}}
        resources:
          bucket: {kind: bucket}
          topic: {kind: topic, cloud: kubernetes}
        """
    )
    assert blueprint.resource_cloud("bucket") == Cloud.AWS
    assert blueprint.resource_cloud("topic") == Cloud.KUBERNETES
    assert blueprint.network_cloud("main") == Cloud.AWS
    assert blueprint.subnet_network("a") == "main"
    assert blueprint.subnet_network("b") is None


def test_the_aws_example_is_public_through_gateway_and_internal_balancer() -> None:
    blueprint = load_example("aws-fargate-api").blueprint
    assert SystemView.of(blueprint).ingress_to("web") == ("lb",)
    assert SystemView.of(blueprint).ingress_to("lb") == ("api",)
    assert SystemView.of(blueprint).is_public("web") is True


def test_a_service_behind_an_internal_balancer_only_is_not_public() -> None:
    blueprint = bp(
        """\
        name: x
        platforms: {aws: {region: eu-west-2}}
        networks:
          main: {cidr: 10.0.0.0/16, subnets: {a: {cidr: 10.0.0.0/24}}}
        ingress:
          lb: {kind: load-balancer, internal: true, subnets: [a], forwards: {80: web}}
          edge: {kind: load-balancer, internal: false, subnets: [a], forwards: {80: site}}
        services:
          web: {platform: aws-fargate, image: {registry: docker.io, repository: web, tag: "1"}}
          site: {platform: aws-fargate, image: {registry: docker.io, repository: site, tag: "1"}}
          worker: {platform: aws-fargate, image: {registry: docker.io, repository: w, tag: "1"}}
        """
    )
    assert [SystemView.of(blueprint).is_public(s) for s in ("web", "site", "worker")] == [
        False,
        True,
        False,
    ]


def test_is_public_terminates_on_ingress_cycles() -> None:
    blueprint = bp(
        """\
        name: x
        platforms: {kubernetes: {}}
        ingress:
          a: {kind: api-gateway, public: false, routes: {"GET /": b}}
          b: {kind: api-gateway, public: false, routes: {"GET /": a, "GET /web": web}}
        services:
          web: {platform: kubernetes}
        """
    )
    assert SystemView.of(blueprint).is_public("web") is False


def test_callers_of_lists_services_and_jobs_sorted() -> None:
    blueprint = load_example("azure-container-apps").blueprint
    assert SystemView.of(blueprint).callers_of("backend") == ("frontend", "ocr-fn")
    assert SystemView.of(blueprint).callers_of("frontend") == ()
    assert list(blueprint.workloads()) == ["frontend", "backend", "ocr-fn"]


def test_workload_grants_derive_from_uses_without_a_service_principal() -> None:
    blueprint = load_example("azure-container-apps").blueprint
    assert SystemView.of(blueprint).service_principal("backend") is None
    assert SystemView.of(blueprint).workload_grants("backend") == (
        Grant(resource="vault", access=Access.READ),
        Grant(resource="uploads", access=Access.WRITE),
        Grant(resource="documents", access=Access.READ),
    )


def test_workload_grants_are_the_service_principals_own_and_its_scopes() -> None:
    blueprint = bp(
        """\
        name: x
        platforms: {aws: {region: eu-west-2}}
        resources:
          data: {kind: bucket}
          logs: {kind: logs}
        services:
          web:
            platform: aws-fargate
            image: {registry: docker.io, repository: web, tag: "1"}
            uses: [{resource: data, access: read}]
        identity:
          scopes:
            logging: {grants: [{resource: logs, access: write}]}
          principals:
            web-role:
              kind: service
              workload: web
              scopes: [logging]
              grants: [{resource: data, access: "*"}]
        """
    )
    assert SystemView.of(blueprint).service_principal("web") == "web-role"
    assert SystemView.of(blueprint).workload_grants("web") == (
        Grant(resource="data", access=Access.ANY),
        Grant(resource="logs", access=Access.WRITE),
    )
    assert SystemView.of(blueprint).workload_grants("web")[0].is_wildcard


def test_company_iam_grants() -> None:
    blueprint = load_example("company-iam").blueprint
    assert SystemView.of(blueprint).granted("leo") == (
        Grant(resource="ecr", access=Access.READ),
        Grant(resource="s3", access=Access.READ),
    )
    assert SystemView.of(blueprint).granted("root") == ()


def test_images_from_a_host_are_external() -> None:
    assert Image(registry="ghcr.io", repository="a", tag="1").is_external
    assert not Image(registry="images", repository="a", tag="1").is_external


def test_subnet_egress_defaults() -> None:
    blueprint = load_example("aws-fargate-api").blueprint
    net = blueprint.networks["main"]
    assert net.has_internet_gateway()
    assert (net.subnet_egress("public-a"), net.subnet_egress("private-a")) == ("internet", "nat")


def test_a_one_mebibyte_cron_field_is_refused_by_its_length() -> None:
    from pydantic import ValidationError

    from blueprint.model.workloads import ScheduleTrigger

    with pytest.raises(ValidationError) as refused:
        ScheduleTrigger(schedule="1" * 2**20 + " * * * *")
    (error,) = refused.value.errors()
    assert error["msg"] == (
        "Value error, found a schedule of 1048584 characters, expected a five-field cron "
        "schedule such as '0 3 * * *' (at most 100 characters)"
    )


@pytest.mark.parametrize(
    "schedule",
    ["0 3 * * *", "*/15 * * * *", "0 9-17/2 * * mon-fri", "30 4 1,15 jan,jul 0", "0 0 31 12 7"],
)
def test_ordinary_cron_schedules_are_accepted(schedule: str) -> None:
    from blueprint.model.workloads import ScheduleTrigger

    assert ScheduleTrigger(schedule=schedule).schedule == schedule


@pytest.mark.parametrize(
    ("cpu", "memory"), [(0.25, 512), (0.5, 4096), (1, 2048), (4, 30720), (8, 61440), (16, 122880)]
)
def test_every_fargate_task_size_is_accepted(cpu: float, memory: int) -> None:
    from blueprint.model.workloads import Service

    service = Service.model_validate(
        {
            "platform": "aws-fargate",
            "image": {"registry": "ghcr.io", "repository": "a/b", "tag": "1"},
            "cpu": cpu,
            "memory": memory,
        }
    )
    assert (service.cpu, service.memory) == (cpu, memory)


def test_text_is_held_in_normalization_form_c() -> None:
    # HCL normalizes its string literals so: every target must send the same text.
    loaded = load_text(
        """\
        name: x
        description: "caf\\u0065\\u0301 \\U0002F861"
        platforms: {kubernetes: {}}
        services:
          web:
            platform: kubernetes
            image: {registry: ghcr.io, repository: web, tag: "1"}
            env: {GREETING: "e\\u0301"}
            health: {path: "/caf\\u0065\\u0301"}
        """
    )
    bp = loaded.blueprint
    assert bp.description == "caf\u00e9 \U000216ea"
    web = bp.services["web"]
    assert web.env == {"GREETING": "\u00e9"}
    assert web.health is not None and web.health.path == "/caf\u00e9"
