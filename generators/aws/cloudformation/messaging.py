"""Messaging in CloudFormation: SQS queues with their dead-letter queues and policies, SNS
subscriptions, MSK Serverless clusters."""

from __future__ import annotations

from generators.aws.cloudformation.template import Json, Template, get_att, key_arn, policy, ref
from generators.aws.naming import cfn_id
from generators.aws.plan.async_records import DEAD_LETTER_RETENTION_SECONDS, QueuePlan


def render_messaging(t: Template) -> None:
    for q in t.s.queues:
        _queue(t, q)
    for sub in t.s.subscriptions:
        t.add(
            sub.id.cfn,
            "AWS::SNS::Subscription",
            {
                "TopicArn": ref(sub.topic),
                "Protocol": "sqs",
                "Endpoint": get_att(sub.queue, "Arn"),
                "RawMessageDelivery": True,
            },
            depends_on=[cfn_id(sub.queue.cfn, "policy")],
        )
    for b in t.s.brokers:
        t.add(
            b.id.cfn,
            "AWS::MSK::ServerlessCluster",
            {
                "ClusterName": b.id.name,
                "ClientAuthentication": {"Sasl": {"Iam": {"Enabled": True}}},
                "VpcConfigs": [
                    {
                        "SubnetIds": [ref(s.id) for s in b.subnets],
                        "SecurityGroups": [get_att(b.sg.id, "GroupId")],
                    }
                ],
            },
            description=b.description,
        )
        t.output(
            cfn_id(b.id.cfn, "arn"),
            f"MSK Serverless cluster {b.key} (bootstrap brokers: aws kafka get-bootstrap-brokers)",
            ref(b.id),
        )


def _queue(t: Template, q: QueuePlan) -> None:
    props: Json = {
        "QueueName": q.id.name,
        "KmsMasterKeyId": key_arn(),
        "KmsDataKeyReusePeriodSeconds": 300,
        "MessageRetentionPeriod": q.retention_seconds,
    }
    if q.dead_letter is not None:
        t.add(
            q.dead_letter.cfn,
            "AWS::SQS::Queue",
            {
                "QueueName": q.dead_letter.name,
                "KmsMasterKeyId": key_arn(),
                "KmsDataKeyReusePeriodSeconds": 300,
                "MessageRetentionPeriod": DEAD_LETTER_RETENTION_SECONDS,
            },
            retain=True,
        )
        props["RedrivePolicy"] = {
            "deadLetterTargetArn": get_att(q.dead_letter, "Arn"),
            "maxReceiveCount": q.max_receive_count,
        }
    t.add(q.id.cfn, "AWS::SQS::Queue", props, description=q.description, retain=True)
    if q.policy is not None:
        t.add(
            cfn_id(q.id.cfn, "policy"),
            "AWS::SQS::QueuePolicy",
            {"Queues": [ref(q.id)], "PolicyDocument": policy(q.policy)},
        )
    if "/" not in q.key:
        t.output(cfn_id(q.id.cfn, "url"), f"SQS queue {q.key}", ref(q.id))
