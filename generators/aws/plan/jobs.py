"""Jobs on Fargate: a schedule starts a task through EventBridge Scheduler, an object event
through an EventBridge rule (each with its own role, retries and dead letters); a queue or
topic worker is an ECS service consuming SQS or MSK, scaled on its backlog where declared."""

from __future__ import annotations

from collections.abc import Callable

from blueprint.model import (
    Access,
    EventTrigger,
    Grant,
    Job,
    Platform,
    ResourceKind,
    ScheduleTrigger,
    TopicTrigger,
)
from generators.aws import actions
from generators.aws.errors import UnsupportedBlueprintError
from generators.aws.naming import cfn_id, physical, tf_label
from generators.aws.plan import checkov
from generators.aws.plan.async_records import EVENT_MAX_AGE_SECONDS, JobPlan, TriggerKind
from generators.aws.plan.identity import grants_policy
from generators.aws.plan.kafka import broker_of, broker_subnets, cluster_named, is_kafka
from generators.aws.plan.messaging import (
    dead_letter_named,
    needs_key,
    plan_dead_letters,
    plan_subscription,
    queue_arn,
)
from generators.aws.plan.records import (
    Condition,
    Named,
    PolicyDoc,
    Principal,
    Role,
    SecurityGroup,
    SgRule,
    Statement,
    Variable,
)
from generators.aws.plan.references import attr, get_att
from generators.aws.plan.state import PlanState
from generators.aws.plan.wiring import wire
from generators.aws.plan.workloads import execution_role, image, secret
from generators.aws.values import Value, arn, value

SCHEDULER = "scheduler.amazonaws.com"
EVENTS = "events.amazonaws.com"
ECS_TASKS = "ecs-tasks.amazonaws.com"
RULE_NAME_LIMIT = 64


def aws_jobs(st: PlanState) -> dict[str, Job]:
    return {n: st.bp.jobs[n] for n in st.view.workloads_on(Platform.AWS_FARGATE) if n in st.bp.jobs}


def job_groups(
    st: PlanState,
    groups: dict[str, Named],
    rules_of: Callable[[str], tuple[SgRule, ...]],
    jobs: dict[str, Job],
    brokers: list[str],
) -> None:
    """The security groups of jobs and brokers, from the rules security planning gathered."""
    for name, job in jobs.items():
        if not job.subnets:
            raise UnsupportedBlueprintError(f"jobs.{name}: a Fargate job needs subnets to run in")
        st.sgs[name] = SecurityGroup(
            groups[name],
            st.network_of(job.subnets, f"jobs.{name}"),
            f"Fargate job {name}",
            rules_of(name),
            checkov.SCHEDULED_JOB_SG_SKIPS if isinstance(job.trigger, ScheduleTrigger) else (),
        )
    for broker in brokers:
        subnets = broker_subnets(st, broker)
        st.sgs[f"broker:{broker}"] = SecurityGroup(
            groups[f"broker:{broker}"],
            subnets[0].network,
            f"MSK Serverless cluster {broker}",
            rules_of(f"broker:{broker}"),
            checkov.BROKER_SG_SKIPS,
        )
    st.system.security_groups = [st.sgs[k] for k in sorted(st.sgs)]


def aws_cron(schedule: str, owner: str) -> str:
    """A five-field cron as EventBridge Scheduler's six-field `cron()`: one of day of month and
    day of week must be `?`, and its days of week count from 1 (Sunday)."""
    minute, hour, dom, month, dow = schedule.split()
    if dow == "*":
        dow = "?"
    elif dom == "*":
        dom = "?"
        dow = _aws_days(dow)
    else:  # validation refuses it first (blueprint/support/aws_async.py)
        raise UnsupportedBlueprintError(
            f"{owner}: found a schedule with both a day of month and a day of week, expected one "
            "of them '*' (EventBridge Scheduler cannot combine them)"
        )
    return f"cron({minute} {hour} {dom} {month} {dow} *)"


def _aws_days(field: str) -> str:
    def day(token: str) -> str:
        return str(int(token) % 7 + 1) if token.isdigit() else token.upper()

    items = []
    for item in field.split(","):
        spec, _, step = item.partition("/")
        low, dash, high = spec.partition("-")
        spec = day(low) + (dash + day(high) if dash else "")
        items.append(spec + ("/" + step if step else ""))
    return ",".join(items)


def _sizing(name: str, job: Job) -> tuple[Variable, Variable]:
    return (
        Variable(
            tf_label(name, "cpu"),
            cfn_id(name, "cpu"),
            "number",
            round(job.cpu * 1024),
            f"CPU units (1024 = 1 vCPU) of job {name}",
        ),
        Variable(
            tf_label(name, "memory"),
            cfn_id(name, "memory"),
            "number",
            job.memory,
            f"Memory (MiB) of job {name}",
        ),
    )


def _role_arn(role: Named) -> Value:
    return value(
        attr(
            "aws_iam_role",
            role,
            "arn",
            get_att(role, "Arn"),
            arn("iam", f"role/{role.name}", regional=False).example(),
        )
    )


def _cluster_arn(cluster: Named) -> Value:
    return value(
        attr(
            "aws_ecs_cluster",
            cluster,
            "arn",
            get_att(cluster, "Arn"),
            arn("ecs", f"cluster/{cluster.name}").example(),
        )
    )


def _invoker_role(
    st: PlanState,
    name: str,
    service: str,
    family: str,
    cluster: Named,
    task_roles: tuple[Role, Role],
    dead_letter: Named,
) -> Role:
    """The role EventBridge starts the task with: exactly RunTask on this job's task definition
    in its cluster, PassRole on its two roles to ECS tasks, and (Scheduler) its dead letters."""
    statements = [
        Statement(
            "RunJobTask",
            actions.RUN_TASK.actions,
            (arn("ecs", f"task-definition/{family}:*"),),
            conditions=(Condition("ArnEquals", "ecs:cluster", (_cluster_arn(cluster),)),),
        ),
        Statement(
            "PassJobRoles",
            actions.PASS_ROLE.actions,
            tuple(_role_arn(r.id) for r in task_roles),
            conditions=(Condition("StringEquals", "iam:PassedToService", (ECS_TASKS,)),),
        ),
    ]
    if service == SCHEDULER:
        # Scheduler sends dead letters as this role (a rule sends them as EventBridge itself).
        statements.append(
            Statement(
                "SendDeadLetters", actions.SEND_DEAD_LETTER.actions, (queue_arn(dead_letter),)
            )
        )
        statements.append(
            Statement("EncryptDeadLetters", ("kms:Decrypt", "kms:GenerateDataKey"), (st.key_arn(),))
        )
    kind = "scheduler" if service == SCHEDULER else "events"
    return Role(
        id=Named(
            tf_label(name, kind),
            cfn_id(name, kind, "role"),
            physical(st.bp.name, name, kind, limit=64),
        ),
        purpose=kind,
        trust_service=service,
        policy=PolicyDoc(tuple(statements)),
    )


def rule_name(st: PlanState, job: str) -> str:
    return physical(st.bp.name, job, limit=RULE_NAME_LIMIT)


def plan_jobs(st: PlanState) -> None:
    for name, job in aws_jobs(st).items():
        st.system.jobs.append(_plan_job(st, name, job))
    st.system.secrets = sorted(st.secrets.values(), key=lambda s: s.id.tf)


def _trigger(
    st: PlanState, name: str, job: Job, owner: str
) -> tuple[TriggerKind, dict[str, object], tuple[Statement, ...]]:
    """What starts the job: its kind, the JobPlan fields that say so, and the statements its
    task role needs to consume it beyond its grants."""
    trigger = job.trigger
    if isinstance(trigger, ScheduleTrigger):
        return (
            "schedule",
            {"schedule": aws_cron(trigger.schedule, owner), "rule": rule_name(st, name)},
            (),
        )
    if isinstance(trigger, EventTrigger):
        bucket = next((b for b in st.system.buckets if b.key == trigger.resource), None)
        if bucket is None:
            raise UnsupportedBlueprintError(
                f"{owner}: found an event trigger on {trigger.resource}, expected a bucket on AWS"
            )
        st.system.buckets = [b if b is not bucket else b.with_events() for b in st.system.buckets]
        detail = "Object Created" if trigger.event == "created" else "Object Deleted"
        return (
            "event",
            {"bucket": bucket.id, "rule": rule_name(st, name), "detail_type": detail},
            (),
        )
    topic = trigger.topic
    kind = st.aws_resources().get(topic)
    fields: dict[str, object] = {}
    if job.scaling is not None:
        fields["scaling"] = (job.scaling.min, job.scaling.max, job.scaling.backlog_target)
    if is_kafka(st, topic):
        return (
            "kafka",
            {**fields, "broker": cluster_named(st, broker_of(st, topic)), "topic": topic},
            (),
        )
    if kind is ResourceKind.QUEUE:
        return (
            "queue",
            {**fields, "queue": next(q.id for q in st.system.queues if q.key == topic)},
            (),
        )
    if kind is ResourceKind.TOPIC:
        queue = plan_subscription(st, topic, name, job)
        consume = (
            Statement("ConsumeSubscription", actions.CONSUME_QUEUE.actions, (queue_arn(queue),)),
            Statement("DecryptSubscription", ("kms:Decrypt",), (st.key_arn(),)),
        )
        return "queue", {**fields, "queue": queue}, consume
    raise UnsupportedBlueprintError(
        f"{owner}: found a topic trigger on {topic}, expected a queue or topic on AWS"
    )


def _grants(st: PlanState, name: str, job: Job) -> tuple[Grant, ...]:
    """The job's grants, with consuming its trigger: a queue or Kafka topic it receives from is
    granted `subscribe`; `subscribe` on the SNS topic it is subscribed to means consuming its
    subscription queue (the statements `_trigger` adds), not calling sns:Subscribe."""
    grants = st.view.workload_grants(name)
    trigger = job.trigger
    if not isinstance(trigger, TopicTrigger):
        return grants
    kind = st.aws_resources().get(trigger.topic)
    if kind is ResourceKind.TOPIC and not is_kafka(st, trigger.topic):
        return tuple(
            g for g in grants if (g.resource, g.access) != (trigger.topic, Access.SUBSCRIBE)
        )
    return (*grants, Grant(resource=trigger.topic, access=Access.SUBSCRIBE))


def _task_role(st: PlanState, name: str, statements: tuple[Statement, ...]) -> Role:
    return Role(
        id=Named(
            tf_label(name, "task"),
            cfn_id(name, "task", "role"),
            physical(st.bp.name, name, "task", limit=64),
        ),
        purpose="task",
        trust_service=ECS_TASKS,
        policy=PolicyDoc(statements) if statements else None,
    )


def _plan_job(st: PlanState, name: str, job: Job) -> JobPlan:
    owner = f"jobs.{name}"
    cpu, memory = _sizing(name, job)
    image_value, image_var = image(st, name, job, owner)
    secrets = tuple(
        (env, secret(st, ref.store, ref.key, owner)) for env, ref in sorted(job.secrets.items())
    )
    log_group = Named(tf_label(name), cfn_id(name, "logs"), f"/ecs/{st.bp.name}/{name}")
    wiring = wire(st, owner, job.env_outputs)
    exec_role = execution_role(
        st, name, job, log_group, [s for _, s in secrets], wiring.secret_arns
    )
    family = physical(st.bp.name, name, limit=255)
    cluster = st.system.cluster or Named("main", "Cluster", st.bp.name)
    kind, fields, extra = _trigger(st, name, job, owner)
    doc = grants_policy(st, _grants(st, name, job), owner, holder=name)
    statements = (*(doc.statements if doc else ()), *extra)
    task_role = _task_role(st, name, statements)
    if kind in ("schedule", "event"):
        dead_letter = _job_dead_letters(st, name, kind)
        service = SCHEDULER if kind == "schedule" else EVENTS
        invoker = _invoker_role(
            st, name, service, family, cluster, (exec_role, task_role), dead_letter
        )
        fields["invoker_role"] = invoker
        fields["dead_letter"] = dead_letter
        fields["retry_attempts"] = job.retry.attempts if job.retry else 0
        st.system.roles += [exec_role, task_role, invoker]
    else:
        st.system.roles += [exec_role, task_role]
    return JobPlan(
        id=Named(tf_label(name), cfn_id(name, "job"), name),
        key=name,
        description=job.description,
        trigger=kind,
        cpu=cpu,
        memory=memory,
        image=image_value,
        image_variable=image_var,
        env=tuple(sorted(job.plain_env.items())),
        secrets=secrets,
        env_refs=wiring.env,
        secret_refs=wiring.secrets,
        subnets=tuple(st.subnet(s, owner) for s in job.subnets),
        sg=st.sgs[name],
        cluster=cluster,
        family=family,
        log_group=log_group,
        execution_role=exec_role,
        task_role=task_role,
        **fields,  # type: ignore[arg-type]  # each key is a JobPlan field set for its trigger
    )


def _job_dead_letters(st: PlanState, name: str, kind: TriggerKind) -> Named:
    if kind == "schedule":
        return plan_dead_letters(st, name, f"Schedules of job {name} that could not start it")
    # A rule sends dead letters as EventBridge: the queue admits exactly this job's rule.
    queue = dead_letter_named(st, name)
    policy = PolicyDoc(
        (
            Statement(
                "RuleSendsDeadLetters",
                ("sqs:SendMessage",),
                (queue_arn(queue),),
                principals=(Principal("Service", (EVENTS,)),),
                conditions=(
                    Condition(
                        "ArnEquals",
                        "aws:SourceArn",
                        (arn("events", f"rule/{rule_name(st, name)}"),),
                    ),
                ),
            ),
        )
    )
    needs_key(st, EVENTS)
    return plan_dead_letters(
        st, name, f"Object events of job {name} that could not start it", policy
    )


__all__ = ["EVENT_MAX_AGE_SECONDS", "aws_jobs", "job_groups", "plan_jobs"]
