"""Cloud Run jobs: each job on cloud-run, with what starts it: Cloud Scheduler for a schedule,
Eventarc and a workflow for a topic (the job then pulls its subscription) or an object event
on a bucket (the object's bucket and name passed as environment overrides)."""

from __future__ import annotations

import math

from blueprint.model import EventTrigger, Job, Platform, ScheduleTrigger, TopicTrigger
from blueprint.view import SystemView
from generators.common.quoting import kubelet_literal
from generators.gcp import naming
from generators.gcp.plan.network import vpc_egress
from generators.gcp.plan.outputs import env_outputs
from generators.gcp.plan.records import (
    ObjectRun,
    RunJob,
    ScheduleRun,
    SecretEnv,
    Subscription,
    TopicRun,
)

# A task's timeout when the blueprint does not say (Cloud Run's default); retries of a failed
# task when no `retry` is declared, and the most Cloud Run allows.
TASK_TIMEOUT_SECONDS = 600
DEFAULT_RETRIES, MAX_RETRIES = 3, 10
# Jobs run on the second generation execution environment: at least 1 vCPU and 512 MiB.
MIN_CPU, MIN_MEMORY = 1.0, 512


def cloud_run_jobs(view: SystemView) -> dict[str, Job]:
    bp = view.blueprint
    return {n: bp.jobs[n] for n in view.workloads_on(Platform.CLOUD_RUN) if n in bp.jobs}


def run_job(
    view: SystemView,
    name: str,
    job: Job,
    project: str,
    region: str,
    subscriptions: tuple[Subscription, ...],
) -> RunJob:
    if job.image is None:
        raise ValueError(f"cloud-run job {name!r} needs an image")
    return RunJob(
        name=name,
        description=job.description,
        image=naming.image_reference(job.image, project, region),
        repository=None if job.image.is_external else job.image.registry,
        cpu=naming.cpu_quantity(max(float(math.ceil(job.cpu)), MIN_CPU)),
        memory=naming.memory_quantity(max(job.memory, MIN_MEMORY)),
        timeout_seconds=TASK_TIMEOUT_SECONDS,
        max_retries=min(job.retry.attempts, MAX_RETRIES) if job.retry else DEFAULT_RETRIES,
        service_account_id=naming.service_account_id(name),
        service_account_email=naming.service_account_email(name, project),
        trigger_account_id=naming.trigger_account_id(name),
        env=tuple((k, kubelet_literal(v)) for k, v in sorted(job.plain_env.items())),
        secrets=tuple(
            SecretEnv(env=env, secret=naming.secret_id(ref.key))
            for env, ref in sorted(job.secrets.items())
        ),
        vpc=vpc_egress(view, name),
        trigger=_trigger(name, job, subscriptions),
        outputs=env_outputs(view, name, job, project),
    )


def _trigger(
    name: str, job: Job, subscriptions: tuple[Subscription, ...]
) -> ScheduleRun | TopicRun | ObjectRun:
    trigger = job.trigger
    if isinstance(trigger, ScheduleTrigger):
        return ScheduleRun(trigger.schedule)
    if isinstance(trigger, EventTrigger):
        return ObjectRun(trigger.resource, trigger.event)
    assert isinstance(trigger, TopicTrigger)
    (sub,) = (s for s in subscriptions if s.topic == trigger.topic and name in s.pullers)
    return TopicRun(trigger.topic, sub.name)
