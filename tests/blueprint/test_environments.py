"""Environments: named overlays on replicas, sizes, image tags and digests, and severities."""

from __future__ import annotations

import textwrap

import pytest

from blueprint.errors import BlueprintError
from blueprint.model import Image, Scaling
from tests.support import load_text

DIGEST = "sha256:" + "a" * 64
OTHER_DIGEST = "sha256:" + "b" * 64

BLUEPRINT = textwrap.dedent(
    f"""\
    name: shop
    platforms: {{kubernetes: {{}}}}
    services:
      web:
        platform: kubernetes
        image: {{registry: ghcr.io, repository: shop/web, tag: "1.0"}}
        replicas: 3
        cpu: 0.5
        memory: 1024
      pinned:
        platform: kubernetes
        image: {{registry: ghcr.io, repository: shop/pinned, tag: "1.0", digest: "{DIGEST}"}}
      untouched:
        platform: kubernetes
        image: {{registry: ghcr.io, repository: shop/untouched, tag: "1.0"}}
    jobs:
      nightly:
        platform: kubernetes
        image: {{registry: ghcr.io, repository: shop/nightly, tag: "1.0"}}
        trigger: {{schedule: "0 3 * * *"}}
    policy:
      severity: {{BP1001: warning, BP2001: error}}
    environments:
      dev:
        services:
          web: {{replicas: 1, cpu: 0.25, memory: 256, tag: "1.1-dev"}}
          pinned: {{tag: "2.0"}}
        jobs:
          nightly: {{memory: 2048, digest: "{OTHER_DIGEST}"}}
        severity: {{BP2001: off, BP3001: note}}
      prod:
        services:
          web: {{scaling: {{min: 3, max: 10}}}}
          pinned: {{digest: "{OTHER_DIGEST}"}}
    """
)


def test_no_environment_is_the_blueprint_as_written() -> None:
    bp = load_text(BLUEPRINT).blueprint
    web = bp.services["web"]
    assert (web.replicas, web.cpu, web.memory, web.image) == (
        3,
        0.5,
        1024,
        Image(registry="ghcr.io", repository="shop/web", tag="1.0"),
    )


def test_dev_overlays_replicas_sizes_tags_digests_and_severities() -> None:
    bp = load_text(BLUEPRINT, environment="dev").blueprint
    web = bp.services["web"]
    assert (web.replicas, web.cpu, web.memory) == (1, 0.25, 256)
    assert web.image == Image(registry="ghcr.io", repository="shop/web", tag="1.1-dev")
    nightly = bp.jobs["nightly"]
    assert nightly.memory == 2048
    assert nightly.image == Image(
        registry="ghcr.io", repository="shop/nightly", tag="1.0", digest=OTHER_DIGEST
    )
    assert dict(bp.policy.severity) == {"BP1001": "warning", "BP2001": "off", "BP3001": "note"}
    assert bp.services["untouched"] == load_text(BLUEPRINT).blueprint.services["untouched"]


def test_a_tag_override_drops_the_base_digest_that_pinned_the_base_tag() -> None:
    bp = load_text(BLUEPRINT, environment="dev").blueprint
    assert bp.services["pinned"].image == Image(
        registry="ghcr.io", repository="shop/pinned", tag="2.0"
    )


def test_a_digest_override_keeps_the_tag() -> None:
    bp = load_text(BLUEPRINT, environment="prod").blueprint
    assert bp.services["pinned"].image == Image(
        registry="ghcr.io", repository="shop/pinned", tag="1.0", digest=OTHER_DIGEST
    )
    assert bp.services["web"].scaling == Scaling(min=3, max=10)
    assert bp.services["web"].replicas == 3


def test_an_unknown_environment_is_bad_input_with_a_hint() -> None:
    with pytest.raises(BlueprintError) as info:
        load_text(BLUEPRINT, environment="prd")
    assert [str(d) for d in info.value.diagnostics] == [
        "blueprint.yaml:23:1: unknown environment 'prd'; expected one of the declared "
        "environments: 'dev', 'prod' (did you mean 'prod'?)"
    ]


def test_an_image_override_for_a_workload_without_image_is_an_error() -> None:
    text = textwrap.dedent(
        """\
        name: shop
        platforms: {azure: {location: westeurope}}
        jobs:
          fn:
            platform: azure-functions
            runtime: python|3.11
            trigger: {schedule: "0 3 * * *"}
        environments:
          prod:
            jobs:
              fn: {tag: "2.0"}
        """
    )
    with pytest.raises(BlueprintError) as info:
        load_text(text)
    assert [str(d) for d in info.value.diagnostics] == [
        "blueprint.yaml:11:12: found an image tag override for jobs.fn, which has no image; "
        "expected overrides of what the workload declares"
    ]


_FARGATE = """\
name: x
platforms: {aws: {region: eu-west-2}}
networks:
  main: {cidr: 10.0.0.0/16, subnets: {app-a: {cidr: 10.0.0.0/24}}}
services:
  web:
    platform: aws-fargate
    image: {registry: ghcr.io, repository: web, tag: "1"}
    subnets: [app-a]
    cpu: 0.25
    memory: 512
environments:
  prod:
    services:
      web: {memory: 4096}
"""


def test_an_overlay_is_checked_as_the_model_checks_the_base() -> None:
    # The base is valid; with prod's memory the task is one Fargate does not run.
    load_text(_FARGATE, support=False)
    with pytest.raises(BlueprintError) as info:
        load_text(_FARGATE, environment="prod", support=False)
    assert [str(d) for d in info.value.diagnostics] == [
        "blueprint.yaml:15:7: found cpu 0.25 with memory 4096 on aws-fargate, expected memory "
        "512, 1024, 2048 with cpu 0.25 (in environment 'prod', with its overrides applied)"
    ]
