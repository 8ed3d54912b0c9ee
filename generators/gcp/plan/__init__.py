"""What the GCP side of a blueprint is, derived once from the system view: one small planning
function per concern (network, ingress, workloads, identity, storage), typed records in
`records`. The Knative YAML, the Config Connector object and the Terraform are three
renderings of this one plan."""

from __future__ import annotations

from blueprint.model import Job, Platform, Service
from blueprint.view import SystemView
from generators.gcp.plan.buckets import buckets
from generators.gcp.plan.cloudsql import cloud_sql_instances
from generators.gcp.plan.identity import bindings
from generators.gcp.plan.ingress import custom_domains
from generators.gcp.plan.jobs import cloud_run_jobs, run_job
from generators.gcp.plan.network import networks
from generators.gcp.plan.pubsub import subscriptions, topics
from generators.gcp.plan.records import (
    PUBLIC_MEMBER,
    Binding,
    GcpPlan,
    Probe,
    Repository,
    RunService,
    Secret,
    SecretEnv,
    Subnetwork,
    VpcEgress,
    VpcNetwork,
)
from generators.gcp.plan.storage import repositories, secrets_of
from generators.gcp.plan.workloads import container_spec, probe_spec, run_service


def cloud_run_services(view: SystemView) -> dict[str, Service]:
    bp = view.blueprint
    return {n: bp.services[n] for n in view.workloads_on(Platform.CLOUD_RUN) if n in bp.services}


def build_plan(view: SystemView) -> GcpPlan:
    bp = view.blueprint
    settings = bp.platforms.gcp
    if settings is None:
        raise ValueError("cloud-run services need platforms.gcp (project and region)")
    project, region = settings.project, settings.region
    services = cloud_run_services(view)
    jobs = cloud_run_jobs(view)
    workloads: dict[str, Service | Job] = {**services, **jobs}
    secrets = secrets_of(workloads)
    repos = repositories(view, workloads)
    subs = subscriptions(view)
    run_jobs = tuple(
        run_job(view, name, job, project, region, subs) for name, job in sorted(jobs.items())
    )
    known = {r.name for r in repos}
    found = tuple(
        b
        for b in bindings(view, workloads, secrets, subs, run_jobs)
        if b.target_kind != "repository" or b.target in known
    )
    return GcpPlan(
        blueprint=bp.name,
        project=project,
        region=region,
        services=tuple(
            run_service(view, name, svc, project, region) for name, svc in sorted(services.items())
        ),
        repositories=repos,
        secrets=secrets,
        networks=networks(view),
        bindings=found,
        databases=cloud_sql_instances(view, project),
        topics=topics(view),
        subscriptions=subs,
        buckets=buckets(view, project),
        jobs=run_jobs,
        domains=custom_domains(view),
    )


__all__ = [
    "PUBLIC_MEMBER",
    "Binding",
    "GcpPlan",
    "Probe",
    "Repository",
    "RunService",
    "Secret",
    "SecretEnv",
    "Subnetwork",
    "VpcEgress",
    "VpcNetwork",
    "build_plan",
    "container_spec",
    "probe_spec",
]
