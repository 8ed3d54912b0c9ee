"""What the gcp generator needs to render the data plane (Cloud SQL, Pub/Sub, jobs, custom
domains), said at validation with a position instead of half-way through a render."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from blueprint.errors import Problem
from blueprint.model import (
    Blueprint,
    Cloud,
    EventTrigger,
    HttpIngress,
    Job,
    Platform,
    ResourceKind,
    TopicTrigger,
)
from blueprint.model.vocabulary import Output
from blueprint.model.workloads import ResourceOutput
from blueprint.support.usage import ingress_clouds, network_clouds, resource_clouds

_PUBSUB_MIN_ID = 3


_CLOUD_RUN = Platform.CLOUD_RUN  # read once: an enum's class attributes are slow to read


def gcp_data_plane_problems(bp: Blueprint) -> Iterator[Problem]:
    clouds = resource_clouds(bp)
    yield from _databases(bp, clouds)
    yield from _topics(bp, clouds)
    for name, job in bp.jobs.items():
        if job.platform is _CLOUD_RUN:
            yield from _job_trigger(bp, name, job, clouds)
    for name, w in bp.workloads().items():
        if w.platform is _CLOUD_RUN:
            yield from _env_outputs(bp, name, w.env_outputs)
    for name, ing in bp.ingress.items():
        if not isinstance(ing, HttpIngress) or Cloud.GCP not in ingress_clouds(bp, name):
            continue
        base = ("ingress", name)
        if ing.host is not None and not ing.public:
            yield Problem(
                (*base, "host"),
                f"found host on the private ingress {name!r} on gcp, expected public: true (a "
                "host becomes a global external Application Load Balancer) or no host",
            )
        if ing.allow_from and ing.host is None:
            yield Problem(
                (*base, "allow_from"),
                f"found allow_from on ingress {name!r} without host on gcp, expected host: the "
                "name it serves (Cloud Armor filters sources on the load balancer a host gets; "
                "Cloud Run's own URL has no firewall)",
            )


def _topics(bp: Blueprint, clouds: Mapping[str, Cloud | None]) -> Iterator[Problem]:
    """Pub/Sub topic and subscription IDs have at least 3 characters."""
    for name, res in bp.resources.items():
        if clouds[name] is not Cloud.GCP or res.kind not in (
            ResourceKind.TOPIC,
            ResourceKind.QUEUE,
        ):
            continue
        if res.broker is None and len(name) < _PUBSUB_MIN_ID:
            yield Problem(
                ("resources", name),
                f"found {res.kind.value} name {name!r} on gcp, expected 3 characters or more "
                "(a Pub/Sub topic ID)",
                at_key=True,
            )


def _databases(bp: Blueprint, clouds: Mapping[str, Cloud | None]) -> Iterator[Problem]:
    """Cloud SQL has a private IP on a network on gcp: one must exist, and a database's
    subnets must be in one."""
    networks = sorted(n for n, c in network_clouds(bp).items() if c is Cloud.GCP)
    for name, res in bp.resources.items():
        if clouds[name] is not Cloud.GCP or res.kind is not ResourceKind.DATABASE:
            continue
        if not networks:
            yield Problem(
                ("resources", name),
                f"found database {name!r} on gcp without a network on gcp, expected a network "
                "(Cloud SQL gets a private IP on it through private services access, and no "
                "public IP)",
                at_key=True,
            )
            continue
        network = bp.subnet_network(res.subnets[0]) if res.subnets else None
        if network is not None and network not in networks:
            yield Problem(
                ("resources", name, "subnets", 0),
                f"found subnet {res.subnets[0]!r} of network {network!r}, which is not on "
                "gcp, for a database on gcp; expected a subnet of a network on gcp",
            )


def _env_outputs(bp: Blueprint, name: str, outputs: dict[str, ResourceOutput]) -> Iterator[Problem]:
    """The outputs Cloud Run cannot be given: a Cloud SQL password (IAM database authentication
    has none) and a secret store's name or URL (Secret Manager has no stores)."""
    section = "services" if name in bp.services else "jobs"
    for env, ref in outputs.items():
        res = bp.resources.get(ref.resource)
        if res is None:
            continue  # a reference error already
        path = (section, name, "env", env, "output")
        if res.kind is ResourceKind.DATABASE and ref.output is Output.PASSWORD:
            yield Problem(
                path,
                f"found output 'password' of database {ref.resource!r} for a workload on "
                "cloud-run, expected host, name, port or user: Cloud SQL uses IAM database "
                "authentication, so there is no password (the workload logs in as user with "
                "its identity's access token)",
            )
        elif res.kind is ResourceKind.SECRET_STORE:
            yield Problem(
                path,
                f"found output {ref.output.value!r} of secret store {ref.resource!r} for a "
                "workload on cloud-run, expected secrets: {ENV: {store, key}} (Secret Manager "
                "has no stores, only one secret per key)",
            )


def _job_trigger(
    bp: Blueprint, name: str, job: Job, clouds: Mapping[str, Cloud | None]
) -> Iterator[Problem]:
    trigger = job.trigger
    wanted: tuple[ResourceKind, ...]
    if isinstance(trigger, EventTrigger):
        wanted, resource, key = (ResourceKind.BUCKET,), trigger.resource, "resource"
    elif isinstance(trigger, TopicTrigger):
        wanted, resource, key = (ResourceKind.TOPIC, ResourceKind.QUEUE), trigger.topic, "topic"
    else:
        return
    res = bp.resources.get(resource)
    if res is None or res.kind not in wanted:
        return  # a reference error already
    where = clouds.get(resource)
    if where is not Cloud.GCP:
        kind = res.kind.value
        yield Problem(
            ("jobs", name, "trigger", key),
            f"found {kind} {resource!r} on {where.value if where else 'no cloud'} for a job on "
            f"cloud-run, expected a {kind} on gcp (Eventarc starts the job from it)",
        )
