"""Which serving concepts of the support matrix (probe kinds, ports, storage, limits,
autoscaling signals) a service uses, and the key each is positioned at."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from blueprint.model import Blueprint, HttpIngress, Job, Platform, TopicTrigger
from blueprint.model.health import NO_TIMING, ProbeTiming
from blueprint.model.resources import Endpoint
from blueprint.model.workloads import Service
from blueprint.support.matrix import refused

if TYPE_CHECKING:
    from blueprint.support.usage import Usage

# The health check keys that are timings beyond interval_seconds and timeout_seconds.
_TIMINGS = ("startup", "readiness", "liveness")
_TIMING_FIELDS = tuple(ProbeTiming.model_fields)


def timing_declared(timing: ProbeTiming) -> bool:
    """Whether a probe timing sets anything: `timing.model_dump(exclude_none=True)` is not
    empty, without building the dump (5,000 health checks have three timings each)."""
    if timing is NO_TIMING:
        return False  # not in the blueprint: the default every health check shares
    return any(getattr(timing, field) is not None for field in _TIMING_FIELDS)


def _health_concepts(svc: Service) -> Iterator[tuple[str, str]]:
    health = svc.health
    if health is None:
        return
    if health.kind != "http":
        yield f"health-{health.kind}", "health"
    if health.headers:
        yield "health-http-headers", "health"
    if any(timing_declared(getattr(health, t)) for t in _TIMINGS):
        yield "health-timings", "health"


def serving_concepts(svc: Service) -> Iterable[tuple[str, str]]:
    """(concept id, key) for each serving concept `svc` uses."""
    return () if serves_plainly(svc) else each_serving_concept(svc)


def serves_plainly(svc: Service) -> bool:
    """Whether `svc` uses no serving concept: one port, no mount, an HTTP health check without
    headers or timings (most services), asked without the generator (5,000 services)."""
    health = svc.health
    scaling = svc.scaling
    return (
        svc.port is not None
        and (svc.service_port is None or svc.service_port == svc.port)
        and not svc.ports
        and svc.app_protocol is None
        and not svc.writable
        and svc.storage is None
        and (scaling is None or (scaling.memory_target_percent is None and scaling.metric is None))
        and (
            health is None
            or (
                health.kind == "http"
                and not health.headers
                and health.startup is NO_TIMING
                and health.readiness is NO_TIMING
                and health.liveness is NO_TIMING
            )
        )
    )


def each_serving_concept(svc: Service) -> Iterator[tuple[str, str]]:
    """`serving_concepts`, every question asked."""
    yield from _health_concepts(svc)
    if svc.port is None:
        yield "service-without-port", "port"
    if svc.service_port is not None and svc.service_port != svc.port:
        yield "service-port", "service_port"
    if svc.ports:
        yield "named-ports", "ports"
    if svc.app_protocol is not None or any(p.app_protocol for p in svc.ports):
        yield "app-protocol", "app_protocol" if svc.app_protocol else "ports"
    if svc.writable:
        yield "writable-paths", "writable"
    if svc.storage is not None:
        yield "storage", "storage"
    scaling = svc.scaling
    if scaling is not None and scaling.memory_target_percent is not None:
        yield "scaling-memory", "scaling"
    if scaling is not None and scaling.metric is not None:
        yield "scaling-metric", "scaling"


_SECRET_NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")


def kubernetes_tls_usages(bp: Blueprint) -> Iterator[Usage]:
    """TLS on an http ingress to Kubernetes pods that cannot be rendered: cert-manager needs its
    ClusterIssuer, an existing certificate is a Secret's name, and behind a Gateway the
    certificate belongs on the Gateway's listener."""
    from blueprint.support.usage import Usage  # usage.py imports this module

    settings = bp.platforms.kubernetes
    for name, ing in bp.ingress.items():
        if not isinstance(ing, HttpIngress) or ing.tls is None:
            continue
        tls = ing.tls
        if not any(
            t in bp.services and bp.services[t].platform is Platform.KUBERNETES
            for t in ing.routes.values()
        ):
            continue
        path = ("ingress", name, "tls")
        if settings is not None and settings.gateway is not None:
            cell = refused(
                f"HTTPRoutes attach to the Gateway {settings.gateway!r}, whose listener holds the "
                "certificate; remove tls here"
            )
            title = "tls on an http ingress behind a Gateway"
        elif tls.managed and tls.issuer is None:
            cell = refused(
                "cert-manager issues it through a ClusterIssuer; declare tls.issuer, or "
                "certificate: <an existing Secret's name>"
            )
            title = "a managed certificate without issuer"
        elif not tls.managed and not _SECRET_NAME.match(tls.certificate):
            cell = refused("on Kubernetes the certificate is the name of a Secret")
            title = f"certificate {tls.certificate!r}"
        else:
            continue
        yield Usage("ingress-tls", "kubernetes", f"ingress.{name}", path, cell=cell, title=title)


def job_scaling_usages(bp: Blueprint) -> Iterator[Usage]:
    """A worker scaled by its backlog: on Kubernetes KEDA reads a Kafka consumer group's lag,
    so the trigger must be a topic on a broker whose endpoint is declared."""
    from blueprint.support.usage import Usage  # usage.py imports this module

    for name, job in bp.jobs.items():
        if job.scaling is None or job.platform is not Platform.KUBERNETES:
            continue
        if kafka_source(bp, job) is None:
            yield Usage(
                "job-scaling",
                "kubernetes",
                f"jobs.{name}",
                ("jobs", name, "scaling"),
                cell=refused(
                    "KEDA reads the backlog of a topic on a broker with an endpoint (Kafka); "
                    "trigger it on such a topic"
                ),
                title="scaling of this worker",
            )


def kafka_source(bp: Blueprint, job: Job) -> tuple[str, Endpoint] | None:
    """(topic, its broker's endpoint) a worker consumes, when it is a topic on a broker with a
    declared endpoint."""
    trigger = job.trigger
    if not isinstance(trigger, TopicTrigger):
        return None
    topic = bp.resources.get(trigger.topic)
    broker = bp.resources.get(topic.broker) if topic and topic.broker else None
    if broker is None or broker.endpoint is None:
        return None
    return trigger.topic, broker.endpoint
