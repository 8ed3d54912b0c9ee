"""What each target needs to render what the model accepts: the facts a generator would
otherwise find out half-way through a render (an image to run, a registry or secret store in
the same cloud, one cloud per ingress). All problems at once, positioned."""

from __future__ import annotations

import re
from collections.abc import Iterator

from blueprint.errors import Problem
from blueprint.model import (
    PLATFORM_CLOUD,
    ApiGateway,
    Blueprint,
    Cloud,
    EventTrigger,
    LoadBalancer,
    Platform,
    ResourceKind,
)
from blueprint.model.workloads import Job
from blueprint.support.aws_async import problems as aws_async_problems
from blueprint.support.aws_data import aws_data_problems
from blueprint.support.gcp_targets import gcp_data_plane_problems
from blueprint.support.usage import ingress_clouds, network_clouds, resource_clouds

# Platforms that run a container image (a Function App deploys a code package instead).
_IMAGE_PLATFORMS = frozenset(
    {Platform.AWS_FARGATE, Platform.AZURE_CONTAINER_APPS, Platform.CLOUD_RUN, Platform.KUBERNETES}
)
# Clouds whose registry resources have a host blueprint can derive for a Kubernetes image.
_KUBERNETES_REGISTRY_CLOUDS = frozenset({Cloud.GCP, Cloud.AZURE})
_SETTINGS_HINT = {"aws": "region", "azure": "location", "gcp": "project and region"}
# Clouds whose workloads read secrets only from a secret store of their own cloud.
_SECRET_STORE_CLOUDS = frozenset({Cloud.AWS, Cloud.AZURE})
# Read once for the loops over every workload: an enum's class attributes are slow to read.
_FARGATE, _CLOUD_RUN = Platform.AWS_FARGATE, Platform.CLOUD_RUN
_AZURE_PLATFORMS = frozenset(p for p, cloud in PLATFORM_CLOUD.items() if cloud is Cloud.AZURE)


def target_problems(bp: Blueprint) -> list[Problem]:
    return [
        *_settings(bp),
        *_workloads(bp),
        *_aws(bp),
        *aws_async_problems(bp),
        *aws_data_problems(bp),
        *_azure(bp),
        *_gcp(bp),
        *_ingress(bp),
    ]


def _settings(bp: Blueprint) -> Iterator[Problem]:
    """A resource or network in a cloud whose target is not declared would render nowhere."""
    for section, entries in (("resources", bp.resources), ("networks", bp.networks)):
        for name, entry in entries.items():
            cloud = entry.cloud
            if cloud is None or cloud is Cloud.KUBERNETES:
                continue
            if getattr(bp.platforms, cloud.value) is None:
                yield Problem(
                    (section, name, "cloud"),
                    f"found cloud {cloud.value} without platforms.{cloud.value}, expected its "
                    f"settings under platforms.{cloud.value} ({_SETTINGS_HINT[cloud.value]}) so "
                    "that it is rendered",
                )


def _workloads(bp: Blueprint) -> Iterator[Problem]:
    clouds = resource_clouds(bp)
    for section, entries in (("services", bp.services), ("jobs", bp.jobs)):
        for name, w in entries.items():
            base = (section, name)
            cloud = PLATFORM_CLOUD[w.platform]
            if w.platform in _IMAGE_PLATFORMS and w.image is None:
                yield Problem(
                    base,
                    f"missing required key 'image' in {section}.{name}; expected image: "
                    f"{{registry, repository, tag}} (a workload on {w.platform.value} runs a "
                    "container image)",
                    at_key=True,
                )
            if w.image is not None and not w.image.is_external:
                where = clouds.get(w.image.registry)
                if cloud is Cloud.KUBERNETES:
                    if where is not None and where not in _KUBERNETES_REGISTRY_CLOUDS:
                        yield Problem(
                            (*base, "image", "registry"),
                            f"found registry {w.image.registry!r} on {where.value}, whose host "
                            "blueprint cannot tell (an ECR host needs the account id); expected "
                            "the registry host, such as "
                            "123456789012.dkr.ecr.eu-west-2.amazonaws.com",
                        )
                elif where is not None and where is not cloud:
                    yield Problem(
                        (*base, "image", "registry"),
                        f"found registry {w.image.registry!r} on {where.value} for a workload "
                        f"on {w.platform.value}, expected a registry on {cloud.value} or a "
                        "registry host such as ghcr.io",
                    )
            if w.secrets and cloud in _SECRET_STORE_CLOUDS:
                for env, ref in w.secrets.items():
                    where = clouds.get(ref.store)
                    if where is not None and where is not cloud:
                        yield Problem(
                            (*base, "secrets", env, "store"),
                            f"found secret store {ref.store!r} on {where.value} for a workload on "
                            f"{w.platform.value}, expected a secret store on {cloud.value}",
                        )


def _aws(bp: Blueprint) -> Iterator[Problem]:
    net_clouds = network_clouds(bp)
    clouds = resource_clouds(bp)
    for name, net in bp.networks.items():
        if net_clouds[name] is not Cloud.AWS:
            continue
        base = ("networks", name)
        gateway = net.has_internet_gateway()
        if net.nat is not None and not gateway:
            yield Problem(
                (*base, "nat"),
                f"found a NAT gateway in network {name!r} without an internet gateway, expected "
                "internet_gateway: true (or a public subnet)",
            )
        for sub_name in net.subnets:
            egress = net.subnet_egress(sub_name)
            path = (*base, "subnets", sub_name, "egress")
            if egress == "nat" and net.nat is None:
                yield Problem(
                    path,
                    f"found egress nat in a network without nat, expected nat: SUBNET on "
                    f"networks.{name} or another egress",
                )
            if egress == "internet" and not gateway:
                yield Problem(
                    path,
                    "found egress internet in a network without an internet gateway, expected "
                    "internet_gateway: true or another egress",
                )
    fargate = {n: s for n, s in bp.services.items() if s.platform is _FARGATE}
    for name, svc in fargate.items():
        if not svc.subnets:
            yield Problem(
                ("services", name),
                f"missing required key 'subnets' in services.{name}; expected subnets: the "
                "private subnets a Fargate service runs in",
                at_key=True,
            )
    clusters = sorted(
        n
        for n, r in bp.resources.items()
        if r.kind is ResourceKind.CLUSTER and clouds[n] is Cloud.AWS
    )
    if len(clusters) > 1 and fargate:
        for extra in clusters[1:]:
            yield Problem(
                ("resources", extra),
                f"found a second ECS cluster {extra!r} (the first is {clusters[0]!r}), expected "
                "one cluster for the Fargate services to run on",
                at_key=True,
            )
    forwarded = {
        svc
        for ing in bp.ingress.values()
        if isinstance(ing, LoadBalancer)
        for svc in ing.forwards.values()
    }
    for name, ing in bp.ingress.items():
        if not isinstance(ing, ApiGateway) or Cloud.AWS not in ingress_clouds(bp, name):
            continue
        for route, target in ing.routes.items():
            if target in bp.services and target not in forwarded:
                yield Problem(
                    ("ingress", name, "routes", route),
                    f"found a route to service {target!r}, which no load balancer forwards to; "
                    "expected a route to a load-balancer ingress (an HTTP API reaches services "
                    "through a VPC link to a load balancer)",
                )


def _azure(bp: Blueprint) -> Iterator[Problem]:
    clouds = resource_clouds(bp)
    delegated: dict[str, str] = {}
    for name, w in bp.workloads().items():
        if w.platform in _AZURE_PLATFORMS:
            for subnet in w.subnets[:1]:
                delegated.setdefault(subnet, name)
            if isinstance(w, Job) and isinstance(w.trigger, EventTrigger):
                bucket = w.trigger.resource
                where = clouds.get(bucket)
                if where is not None and where is not Cloud.AZURE:
                    section = "jobs"
                    yield Problem(
                        (section, name, "trigger", "resource"),
                        f"found bucket {bucket!r} on {where.value} for a job on "
                        f"{w.platform.value}, expected a bucket on azure (a blob container)",
                    )
    for name, res in bp.resources.items():
        if clouds[name] is not Cloud.AZURE:
            continue
        for i, subnet in enumerate(res.subnets):
            if subnet in delegated:
                yield Problem(
                    ("resources", name, "subnets", i),
                    f"found subnet {subnet!r}, which is delegated to the Container Apps or "
                    f"Functions of {delegated[subnet]!r}; expected a separate subnet for "
                    "private endpoints",
                )


def _gcp(bp: Blueprint) -> Iterator[Problem]:
    yield from _gcp_secrets(bp)
    yield from gcp_data_plane_problems(bp)


def _gcp_secrets(bp: Blueprint) -> Iterator[Problem]:
    """Secret Manager has no stores and no dots in IDs, and Terraform labels no dashes: two
    secret keys that differ only by '.', '-' or '_' (or only by their store) become one."""
    seen: dict[str, tuple[str, str]] = {}
    for name, svc in bp.workloads().items():
        if svc.platform is not _CLOUD_RUN:
            continue
        section = "services" if name in bp.services else "jobs"
        for env, ref in svc.secrets.items():
            label = re.sub(r"[^A-Za-z0-9]", "_", ref.key)
            first = seen.setdefault(label, (ref.store, ref.key))
            if first != (ref.store, ref.key):
                yield Problem(
                    (section, name, "secrets", env, "key"),
                    f"found secret key {ref.key!r} of {ref.store!r}, which becomes the same "
                    f"Secret Manager secret as {first[1]!r} of {first[0]!r} on gcp; expected "
                    "keys that differ in more than '.', '-' and '_'",
                )


def _ingress(bp: Blueprint) -> Iterator[Problem]:
    for name in bp.ingress:
        clouds = ingress_clouds(bp, name)
        if len(clouds) > 1:
            yield Problem(
                ("ingress", name),
                f"found ingress {name!r} reaching {' and '.join(sorted(c.value for c in clouds))}, "
                "expected one ingress per cloud (its subnets and the services it reaches in one "
                "cloud)",
                at_key=True,
            )
