"""What asynchronous work on AWS needs beyond what the support matrix says, refused at
validation with a position (the aws generator checks the same and would stop): Fargate jobs in
subnets, schedules EventBridge Scheduler can express, MSK Serverless in two zones, and
`can_assume` between principals that have AWS roles, one way."""

from __future__ import annotations

from collections.abc import Iterator

from blueprint.errors import Problem
from blueprint.model import Blueprint, Cloud, Platform, ResourceKind, ScheduleTrigger
from blueprint.support.usage import network_clouds, resource_clouds


def schedule_days_conflict(schedule: str) -> bool:
    """EventBridge Scheduler's cron takes a day of month or a day of week, not both."""
    _, _, dom, _, dow = schedule.split()
    return dom != "*" and dow != "*"


def private_zones(bp: Blueprint, subnets: tuple[str, ...]) -> set[str]:
    """The zones of the given subnets, or (none given) of every private subnet on AWS."""
    clouds = network_clouds(bp)
    zones: set[str] = set()
    for name, net in bp.networks.items():
        if clouds[name] is not Cloud.AWS:
            continue
        for sub_name, sub in net.subnets.items():
            if (sub_name in subnets) if subnets else not sub.public:
                zones.add(sub.zone)
    return zones


def problems(bp: Blueprint) -> list[Problem]:
    if bp.platforms.aws is None:
        return []
    return [*_jobs(bp), *_brokers(bp), *_can_assume(bp)]


def _jobs(bp: Blueprint) -> Iterator[Problem]:
    for name, job in bp.jobs.items():
        if job.platform is not Platform.AWS_FARGATE:
            continue
        if not job.subnets:
            yield Problem(
                ("jobs", name),
                f"missing required key 'subnets' in jobs.{name}; expected subnets: the private "
                "subnets a Fargate job runs in",
                at_key=True,
            )
        trigger = job.trigger
        if isinstance(trigger, ScheduleTrigger) and schedule_days_conflict(trigger.schedule):
            yield Problem(
                ("jobs", name, "trigger", "schedule"),
                f"found schedule {trigger.schedule!r} with both a day of month and a day of "
                "week, expected one of them '*' (EventBridge Scheduler cannot combine them)",
            )


def _brokers(bp: Blueprint) -> Iterator[Problem]:
    clouds = resource_clouds(bp)
    for name, res in bp.resources.items():
        if res.kind is not ResourceKind.BROKER or clouds[name] is not Cloud.AWS:
            continue
        zones = private_zones(bp, res.subnets)
        if len(zones) < 2:
            yield Problem(
                ("resources", name),
                f"found an MSK Serverless broker with private subnets in "
                f"{len(zones)} zone(s) ({', '.join(sorted(zones)) or 'none'}), expected private "
                "subnets in at least two zones (declare them, or subnets: on the broker)",
                at_key=True,
            )


def _can_assume(bp: Blueprint) -> Iterator[Problem]:
    principals = bp.identity.principals
    for name, p in principals.items():
        for i, other in enumerate(p.can_assume):
            if other == name or other not in principals:
                continue
            path = ("identity", "principals", name, "can_assume", i)
            q = principals[other]
            if p.kind == "root":
                yield Problem(
                    path,
                    f"found the root account assuming {other}, expected a user or a role (AWS "
                    "does not let the root user assume roles)",
                )
            elif q.kind == "root":
                yield Problem(
                    path,
                    f"found {other}, the root account, expected a principal with a role (nobody "
                    "assumes the root account)",
                )
            elif name in q.can_assume:
                yield Problem(
                    path,
                    f"found {other}, which can assume {name} too, expected one direction (two "
                    "roles trusting each other cannot be created one before the other)",
                )
            for who in (name, other):
                w = principals[who]
                if w.kind != "service" or w.workload is None:
                    continue
                workload = bp.services.get(w.workload) or bp.jobs.get(w.workload)
                if workload is not None and workload.platform is not Platform.AWS_FARGATE:
                    yield Problem(
                        path,
                        f"found {who}, the identity of {w.workload} on "
                        f"{workload.platform.value}, expected a principal with an AWS role (a "
                        "person, automation, or an aws-fargate workload's identity)",
                    )
