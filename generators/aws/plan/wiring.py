"""Connection wiring: a workload's env values taken from resource outputs, as native
references (a Terraform attribute, `Fn::GetAtt`/`Ref`), and the database password as an ECS
secret read from the RDS-managed secret, never as a value."""

from __future__ import annotations

from dataclasses import dataclass

from blueprint.model import Output, ResourceKind, ResourceOutput
from generators.aws.errors import UnsupportedBlueprintError
from generators.aws.plan.databases import DatabasePlan, db_user
from generators.aws.plan.references import attr, get_att
from generators.aws.plan.state import PlanState
from generators.aws.values import Value, value


@dataclass(frozen=True)
class Wiring:
    env: tuple[tuple[str, Value], ...]  # plain environment entries from resource outputs
    secrets: tuple[tuple[str, Value], ...]  # ECS secrets: env name -> valueFrom
    secret_arns: tuple[Value, ...]  # what the execution role must read, exactly

    @property
    def empty(self) -> bool:
        return not (self.env or self.secrets)


def wire(st: PlanState, holder: str, outputs: dict[str, ResourceOutput]) -> Wiring:
    """The env outputs of workload `holder` (`services.web`), by env name."""
    env: list[tuple[str, Value]] = []
    secrets: list[tuple[str, Value]] = []
    arns: list[Value] = []
    with_password = {o.resource for o in outputs.values() if o.output is Output.PASSWORD}
    for env_name, out in sorted(outputs.items()):
        res = st.bp.resources[out.resource]
        if res.kind is ResourceKind.DATABASE:
            db = _database(st, out.resource)
            if out.output is Output.PASSWORD or (
                out.output is Output.USER and out.resource in with_password
            ):
                # The master user's credentials, from the secret RDS manages: whoever takes
                # the password connects as the user it belongs to.
                key = "password" if out.output is Output.PASSWORD else "username"
                secrets.append((env_name, value(db.secret_arn, f":{key}::")))
                if db.secret_arn not in arns:
                    arns.append(db.secret_arn)
            else:
                env.append((env_name, _database_output(db, out.output, holder)))
        else:
            env.append((env_name, _resource_output(st, out, holder)))
    return Wiring(tuple(env), tuple(secrets), tuple(arns))


def _database(st: PlanState, name: str) -> DatabasePlan:
    return next(d for d in st.system.databases if d.key == name)


def _database_output(db: DatabasePlan, output: Output, holder: str) -> Value:
    if output is Output.HOST:
        return db.host
    if output is Output.PORT:
        return value(str(db.port))
    if output is Output.NAME:
        return value(db.db_name)
    if output is Output.USER:
        return value(db_user(holder))  # its own user, with IAM authentication
    raise UnsupportedBlueprintError(f"{holder}: a database offers no {output.value}")


def _resource_output(st: PlanState, out: ResourceOutput, holder: str) -> Value:
    res = st.bp.resources[out.resource]
    if res.kind is ResourceKind.BUCKET and out.output is Output.NAME:
        bucket = next(b for b in st.system.buckets if b.key == out.resource)
        return value(attr("aws_s3_bucket", bucket.id, "id", {"Ref": bucket.id.cfn}, bucket.id.name))
    if res.kind is ResourceKind.SECRET_STORE and out.output is Output.NAME:
        return value(f"{st.bp.name}/{out.resource}/")  # the prefix of the store's secrets
    if res.kind is ResourceKind.QUEUE:
        queue = next(q.id for q in st.system.queues if q.key == out.resource)
        if out.output is Output.URL:
            return value(attr("aws_sqs_queue", queue, "url", {"Ref": queue.cfn}, ""))
        return value(attr("aws_sqs_queue", queue, "name", get_att(queue, "QueueName"), ""))
    if res.kind is ResourceKind.TOPIC and res.broker is not None and out.output is Output.NAME:
        return value(out.resource)  # a Kafka topic is named after its resource (kafka.py)
    simple = next((r for r in st.system.resources if r.key == out.resource), None)
    if simple is not None and res.kind is ResourceKind.TOPIC and out.output is Output.NAME:
        return value(attr("aws_sns_topic", simple.id, "name", get_att(simple.id, "TopicName"), ""))
    raise UnsupportedBlueprintError(
        f"{holder}: output {out.output.value} of {res.kind.value} {out.resource} is not "
        "rendered on AWS"
    )
