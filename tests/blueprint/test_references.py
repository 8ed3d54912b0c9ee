"""Cross-reference checks beyond the invalid corpus: each message exact, each position exact."""

from __future__ import annotations

import textwrap

import pytest

from blueprint.errors import BlueprintError
from tests.support import load_text


def problems(text: str) -> list[str]:
    with pytest.raises(BlueprintError) as info:
        load_text(textwrap.dedent(text))
    return [str(d) for d in info.value.diagnostics]


def test_grants_on_workloads_take_workload_access_levels() -> None:
    assert problems(
        """\
        name: x
        platforms: {kubernetes: {}}
        services:
          web: {platform: kubernetes}
        identity:
          principals:
            ci:
              kind: automation
              grants: [{resource: web, access: deploy}, {resource: web, access: read}]
        """
    ) == [
        "blueprint.yaml:9:73: found access 'read' on workload 'web', expected one of '*', "
        "'admin', 'deploy', 'invoke'"
    ]


def test_only_service_principals_name_a_workload() -> None:
    assert problems(
        """\
        name: x
        platforms: {kubernetes: {}}
        services:
          web: {platform: kubernetes, image: {registry: ghcr.io, repository: web, tag: "1"}}
        identity:
          principals:
            c: {kind: human, workload: web}
        """
    ) == [
        "blueprint.yaml:7:5: found workload: on a principal of kind 'human', expected it only "
        "on kind 'service'",
    ]


def test_principal_cross_references_are_all_reported() -> None:
    assert problems(
        """\
        name: x
        platforms: {kubernetes: {}}
        services:
          web: {platform: kubernetes}
        identity:
          principals:
            a: {kind: service, workload: web, can_assume: [a, z]}
            b: {kind: service, workload: web, scopes: [admins]}
        """
    ) == [
        "blueprint.yaml:7:52: found principal 'a' assuming itself, expected another principal",
        "blueprint.yaml:7:55: unknown principal 'z'; expected one of the declared principals: "
        "'a', 'b'",
        "blueprint.yaml:8:34: found a second service principal for workload 'web' (the first "
        "is 'a'), expected one",
        "blueprint.yaml:8:48: unknown scope 'admins'; expected one of the declared scopes: "
        "(none declared)",
    ]


def test_networks_peers_and_ipv6() -> None:
    assert problems(
        """\
        name: x
        platforms: {aws: {region: eu-west-2}}
        networks:
          main:
            cidr: 10.0.0.0/16
            peers: [main, other]
            subnets:
              v6: {cidr: "2001:db8::/64"}
        """
    ) == [
        "blueprint.yaml:6:13: found network 'main' peering with itself, expected another network",
        "blueprint.yaml:6:19: unknown network 'other'; expected one of the declared networks: "
        "'main'",
        "blueprint.yaml:8:18: found subnet 2001:db8::/64 outside its network 10.0.0.0/16 "
        "(network main), expected a range inside 10.0.0.0/16",
    ]


def test_several_clouds_need_resources_and_networks_to_name_theirs() -> None:
    assert problems(
        """\
        name: x
        platforms:
          aws: {region: eu-west-2}
          gcp: {project: my-project, region: europe-west1}
        networks:
          main: {cidr: 10.0.0.0/16, subnets: {a: {cidr: 10.0.0.0/24}}}
        resources:
          data: {kind: bucket}
          logs: {kind: logs, cloud: gcp}
        """
    ) == [
        "blueprint.yaml:6:3: found network 'main' without a cloud in a blueprint of several "
        "clouds, expected cloud: aws, azure or gcp",
        "blueprint.yaml:8:3: found resource 'data' without a cloud in a blueprint of several "
        "clouds, expected cloud: aws, azure, gcp or kubernetes",
    ]


def test_ingress_routes_and_issuers() -> None:
    assert problems(
        """\
        name: x
        platforms: {aws: {region: eu-west-2}}
        resources:
          pool: {kind: user-pool}
        ingress:
          api:
            kind: api-gateway
            auth: {issuer: poool}
            routes: {"GET /": api, "ANY /{proxy+}": wbe}
          site: {kind: http, routes: {/: api}}
        services:
          web: {platform: aws-fargate, image: {registry: docker.io, repository: web, tag: "1"}}
        """
    ) == [
        "blueprint.yaml:8:20: unknown resource 'poool'; expected one of the declared "
        "resources: 'pool' (did you mean 'pool'?)",
        "blueprint.yaml:9:23: found ingress 'api' routing to itself, expected a service or "
        "another ingress",
        "blueprint.yaml:9:45: unknown service or ingress 'wbe'; expected one of the declared "
        "services or ingress: 'api', 'site', 'web' (did you mean 'web'?)",
        "blueprint.yaml:10:34: unknown service 'api'; expected one of the declared services: 'web'",
    ]


def test_job_triggers_buffers_and_writes_take_the_right_kinds() -> None:
    assert problems(
        """\
        name: x
        platforms: {kubernetes: {}}
        resources:
          db: {kind: database, tables: [t]}
          q: {kind: queue}
          logs: {kind: logs}
        jobs:
          on-upload:
            platform: kubernetes
            trigger: {event: created, resource: db}
            buffer: logs
            writes: [{resource: q, table: t}]
        """
    ) == [
        "blueprint.yaml:10:41: found resource 'db' of kind database, expected a bucket for an "
        "object event trigger",
        "blueprint.yaml:11:13: found resource 'logs' of kind logs, expected a queue or topic "
        "for a write buffer",
        "blueprint.yaml:12:25: found resource 'q' of kind queue, expected a bucket or "
        "database for a write",
        "blueprint.yaml:12:35: unknown table 't'; expected one of the declared tables: "
        "(none declared)",
    ]


def test_a_registry_that_is_not_a_registry() -> None:
    assert problems(
        """\
        name: x
        platforms: {kubernetes: {}}
        resources:
          data: {kind: bucket}
        services:
          web: {platform: kubernetes, image: {registry: data, repository: web, tag: "1"}}
        """
    ) == [
        "blueprint.yaml:6:49: found resource 'data' of kind bucket, expected a registry for "
        "an image registry",
    ]


def test_thousands_of_broken_references_are_all_reported_hints_for_the_first_only() -> None:
    services = "".join(
        f"  s{i}: {{platform: kubernetes, calls: [{{service: s{i}x}}]}}\n" for i in range(60)
    )
    found = problems("name: x\nplatforms: {kubernetes: {}}\nservices:\n" + services)
    assert len(found) == 60
    assert sum("did you mean" in line for line in found) == 20
    assert found[0] == (
        "blueprint.yaml:4:48: unknown service 's0x'; expected one of the declared services: "
        + ", ".join(repr(n) for n in sorted(f"s{i}" for i in range(60))[:40])
        + ", … (20 more) (did you mean 's0'?)"
    )
