"""Kafka: a `broker` resource becomes an MSK Serverless cluster with IAM authentication in the
blueprint's private subnets; its topics are names IAM scopes to (`topic/<cluster>/*/<topic>`),
each consumer's group is its own name (`group/<cluster>/*/<workload>`)."""

from __future__ import annotations

from blueprint.model import Job, Platform, ResourceKind, TopicTrigger
from generators.aws.errors import UnsupportedBlueprintError
from generators.aws.naming import cfn_id, physical, tf_label
from generators.aws.plan.async_records import BrokerPlan
from generators.aws.plan.records import Named, Subnet
from generators.aws.plan.references import attr
from generators.aws.plan.state import PlanState
from generators.aws.values import Value, arn, value

CLUSTER_NAME_LIMIT = 64


def is_kafka(st: PlanState, name: str) -> bool:
    """A broker, or a topic on a broker, on AWS."""
    kinds = st.aws_resources()
    if name not in kinds:
        return False
    return kinds[name] is ResourceKind.BROKER or (
        kinds[name] is ResourceKind.TOPIC and st.bp.resources[name].broker is not None
    )


def broker_of(st: PlanState, name: str) -> str:
    """The broker a Kafka resource is, or is on."""
    res = st.bp.resources[name]
    return name if res.kind is ResourceKind.BROKER else str(res.broker)


def cluster_named(st: PlanState, broker: str) -> Named:
    return Named(
        tf_label(broker),
        cfn_id(broker, "cluster"),
        physical(st.bp.name, broker, limit=CLUSTER_NAME_LIMIT),
    )


def cluster_arn(st: PlanState, broker: str) -> Value:
    named = cluster_named(st, broker)
    return value(
        attr(
            "aws_msk_serverless_cluster",
            named,
            "arn",
            {"Ref": named.cfn},
            arn("kafka", f"cluster/{named.name}/00000000-0000-0000-0000-000000000000-s1").example(),
        )
    )


def kafka_arns(st: PlanState, target: str, on: str, holder: str) -> tuple[str | Value, ...]:
    """The ARNs a Kafka permission applies to: the cluster, the topic (every topic of the
    broker for a grant on the broker), or the holder's consumer group."""
    broker = broker_of(st, target)
    cluster = cluster_named(st, broker).name
    if on == "kafka-cluster":
        return (cluster_arn(st, broker),)
    if on == "kafka-topics":
        topic = "*" if target == broker else target
        return (arn("kafka", f"topic/{cluster}/*/{topic}"),)
    return (arn("kafka", f"group/{cluster}/*/{holder}"),)


def broker_users(st: PlanState, broker: str) -> tuple[str, ...]:
    """The AWS workloads that reach the broker: they use it or a topic on it, or consume one."""
    users: set[str] = set()
    for name in st.view.workloads_on(Platform.AWS_FARGATE):
        w = st.view.workload(name)
        used = {u.resource for u in w.uses}
        if isinstance(w, Job) and isinstance(w.trigger, TopicTrigger):
            used.add(w.trigger.topic)
        if principal := st.view.service_principal(name):
            used |= {g.resource for g in st.view.granted(principal)}
        if any(is_kafka(st, u) and broker_of(st, u) == broker for u in used):
            users.add(name)
    return tuple(sorted(users))


def plan_broker_arns(st: PlanState, name: str) -> None:
    """The ARNs grants on a broker or a topic on one resolve to (for analysers: the topics)."""
    broker = broker_of(st, name)
    cluster = cluster_named(st, broker).name
    st.resource_arns[name] = (
        [cluster_arn(st, broker)] if name == broker else [arn("kafka", f"topic/{cluster}/*/{name}")]
    )


def broker_subnets(st: PlanState, name: str) -> tuple[Subnet, ...]:
    """The broker's subnets (default: every private subnet of the one AWS network), in at least
    two zones as MSK Serverless requires."""
    res = st.bp.resources[name]
    owner = f"resources.{name}"
    if res.subnets:
        subnets = tuple(st.subnet(s, owner) for s in res.subnets)
    else:
        subnets = tuple(s for _, s in sorted(st.subnets.items()) if not s.public)
    if len({s.network for s in subnets}) != 1:
        raise UnsupportedBlueprintError(
            f"{owner}: an MSK Serverless cluster needs private subnets in exactly one AWS "
            "network; declare subnets: on the broker"
        )
    if len({s.az for s in subnets}) < 2:
        raise UnsupportedBlueprintError(
            f"{owner}: an MSK Serverless cluster needs private subnets in at least two "
            f"zones, found {', '.join(sorted({s.zone for s in subnets})) or 'none'}"
        )
    return subnets


def plan_brokers(st: PlanState) -> None:
    """One MSK Serverless cluster per broker on AWS, behind the security group security
    planning made (admitting exactly the workloads that use it, on 9098)."""
    for name, kind in st.aws_resources().items():
        if kind is not ResourceKind.BROKER:
            continue
        topics = tuple(
            sorted(
                t
                for t, r in st.bp.resources.items()
                if r.kind is ResourceKind.TOPIC and r.broker == name
            )
        )
        st.system.brokers.append(
            BrokerPlan(
                id=cluster_named(st, name),
                key=name,
                description=st.bp.resources[name].description,
                subnets=broker_subnets(st, name),
                sg=st.sgs[f"broker:{name}"],
                topics=topics,
            )
        )
