"""Asynchronous work on AWS, read back from both formats: queues with dead letters, SNS
subscriptions admitting exactly their topic, MSK Serverless admitting exactly its users, jobs
started by EventBridge with exactly the permissions that takes, and can_assume as trust."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint_file

from blueprint.errors import BlueprintError
from generators.aws.errors import UnsupportedBlueprintError
from generators.aws.plan.jobs import aws_cron
from tests.generators.aws.support import (
    call_argument,
    cloudformation,
    render_example,
    resources,
    write,
)
from tests.support import load_text

SINK = "aws-async-kitchen-sink"
ARN = "arn:${data.aws_partition.current.partition}"
REGION_ACCOUNT = "${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}"


def _tf(rtype: str) -> dict[str, dict[str, Any]]:
    return resources(render_example(SINK), rtype)


def _cfn(logical: str) -> dict[str, Any]:
    resource: dict[str, Any] = cloudformation(render_example(SINK))["Resources"][logical]
    return resource


def _statements(policy: str) -> dict[str, Any]:
    return {s["Sid"]: s for s in call_argument(policy)["Statement"]}


@pytest.mark.parametrize("example", ["aws-kafka-workers", SINK])
def test_cfn_lint_reports_nothing(example: str, tmp_path: Path) -> None:
    write(render_example(example), tmp_path)
    matches = lint_file(
        tmp_path / "aws" / "cloudformation" / "template.json",
        config=ManualArgs(regions=["eu-west-2"]),
    )
    assert [str(m) for m in matches] == []


def test_a_queue_has_a_dead_letter_queue_and_retries_as_its_worker_says() -> None:
    queues = _tf("aws_sqs_queue")
    orders = queues["orders"]
    assert call_argument(orders["redrive_policy"]) == {
        "deadLetterTargetArn": "${aws_sqs_queue.orders_dlq.arn}",
        "maxReceiveCount": 4,  # received once, retried 3 times (retry.attempts)
    }
    assert orders["kms_master_key_id"] == "${aws_kms_key.main.arn}"
    assert queues["orders_dlq"]["kms_master_key_id"] == "${aws_kms_key.main.arn}"
    assert queues["orders_dlq"]["message_retention_seconds"] == 14 * 86400
    cfn = _cfn("OrdersQueue")["Properties"]
    assert cfn["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": ["OrdersDeadLetterQueue", "Arn"]},
        "maxReceiveCount": 4,
    }


def test_each_subscriber_of_a_topic_gets_a_queue_admitting_exactly_that_topic() -> None:
    queues = _tf("aws_sqs_queue")
    # audit has no retry: its first failure is a dead letter; mailer retries twice.
    receives = {
        label: call_argument(q["redrive_policy"])["maxReceiveCount"]
        for label, q in queues.items()
        if label.startswith("events_") and label.endswith("_subscription")
    }
    assert receives == {"events_audit_subscription": 1, "events_mailer_subscription": 3}
    policy = _statements(_tf("aws_sqs_queue_policy")["events_audit_subscription"]["policy"])
    assert policy == {
        "TopicDelivers": {
            "Sid": "TopicDelivers",
            "Effect": "Allow",
            "Principal": {"Service": ["sns.amazonaws.com"]},
            "Action": ["sqs:SendMessage"],
            "Resource": ["${aws_sqs_queue.events_audit_subscription.arn}"],
            "Condition": {"ArnEquals": {"aws:SourceArn": "${aws_sns_topic.events.arn}"}},
        }
    }
    subscription = _tf("aws_sns_topic_subscription")["events_audit_subscription"]
    assert (subscription["protocol"], subscription["endpoint"]) == (
        "sqs",
        "${aws_sqs_queue.events_audit_subscription.arn}",
    )
    cfn = _cfn("EventsAuditSubscription")
    assert cfn["Properties"]["Endpoint"] == {"Fn::GetAtt": ["EventsAuditSubscriptionQueue", "Arn"]}
    assert cfn["DependsOn"] == ["EventsAuditSubscriptionQueuePolicy"]


def test_a_topic_subscriber_consumes_its_queue_not_the_topic() -> None:
    policy = _statements(_tf("aws_iam_role_policy")["audit_task"]["policy"])
    assert sorted(policy) == ["ConsumeSubscription", "DecryptSubscription"]
    assert policy["ConsumeSubscription"]["Resource"] == [
        "${aws_sqs_queue.events_audit_subscription.arn}"
    ]
    assert "sqs:ReceiveMessage" in policy["ConsumeSubscription"]["Action"]


def test_the_key_admits_the_services_that_encrypt_into_queues_for_this_account() -> None:
    key = call_argument(_tf("aws_kms_key")["main"]["policy"])
    (statement,) = [s for s in key["Statement"] if s["Sid"] == "ServicesEncryptQueueMessages"]
    assert statement["Principal"] == {"Service": ["events.amazonaws.com", "sns.amazonaws.com"]}
    assert statement["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]


def test_a_scheduled_job_runs_through_scheduler_with_its_own_narrow_role() -> None:
    schedule = _tf("aws_scheduler_schedule")["nightly"]
    assert schedule["schedule_expression"] == "cron(30 2 ? * 2-6 *)"
    (target,) = schedule["target"]
    assert target["role_arn"] == "${aws_iam_role.nightly_scheduler.arn}"
    assert target["retry_policy"][0]["maximum_retry_attempts"] == 2
    assert target["dead_letter_config"][0]["arn"] == "${aws_sqs_queue.nightly_dlq.arn}"
    role = _tf("aws_iam_role")["nightly_scheduler"]
    trust = call_argument(role["assume_role_policy"])["Statement"]
    assert [s["Principal"] for s in trust] == [{"Service": ["scheduler.amazonaws.com"]}]
    policy = _statements(_tf("aws_iam_role_policy")["nightly_scheduler"]["policy"])
    assert {sid: (s["Action"], s["Resource"]) for sid, s in policy.items()} == {
        "RunJobTask": (
            ["ecs:RunTask"],
            [f"{ARN}:ecs:{REGION_ACCOUNT}:task-definition/async-sink-nightly:*"],
        ),
        "PassJobRoles": (
            ["iam:PassRole"],
            ["${aws_iam_role.nightly_execution.arn}", "${aws_iam_role.nightly_task.arn}"],
        ),
        "SendDeadLetters": (["sqs:SendMessage"], ["${aws_sqs_queue.nightly_dlq.arn}"]),
        "EncryptDeadLetters": (
            ["kms:Decrypt", "kms:GenerateDataKey"],
            ["${aws_kms_key.main.arn}"],
        ),
    }
    assert policy["RunJobTask"]["Condition"] == {
        "ArnEquals": {"ecs:cluster": "${aws_ecs_cluster.main.arn}"}
    }
    assert policy["PassJobRoles"]["Condition"] == {
        "StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}
    }
    cfn = _cfn("NightlyJobSchedule")["Properties"]
    assert cfn["ScheduleExpression"] == "cron(30 2 ? * 2-6 *)"
    assert cfn["Target"]["RetryPolicy"]["MaximumRetryAttempts"] == 2


def test_an_object_event_job_runs_from_an_eventbridge_rule_on_its_bucket() -> None:
    rule = _tf("aws_cloudwatch_event_rule")["thumbnailer"]
    assert call_argument(rule["event_pattern"]) == {
        "source": ["aws.s3"],
        "detail-type": ["Object Created"],
        "detail": {"bucket": {"name": ["async-sink-uploads"]}},
    }
    assert _tf("aws_s3_bucket_notification") == {
        "uploads": {
            "bucket": "${aws_s3_bucket.uploads.id}",
            "eventbridge": True,
            "__is_block__": True,
        }
    }
    target = _tf("aws_cloudwatch_event_target")["thumbnailer"]
    assert target["retry_policy"][0]["maximum_retry_attempts"] == 0  # no retry declared
    dead_letters = _statements(_tf("aws_sqs_queue_policy")["thumbnailer_dlq"]["policy"])
    assert dead_letters["RuleSendsDeadLetters"]["Condition"] == {
        "ArnEquals": {"aws:SourceArn": f"{ARN}:events:{REGION_ACCOUNT}:rule/async-sink-thumbnailer"}
    }
    bucket = _cfn("UploadsBucket")["Properties"]
    assert bucket["NotificationConfiguration"] == {
        "EventBridgeConfiguration": {"EventBridgeEnabled": True}
    }


def test_a_queue_worker_is_a_service_scaled_on_its_backlog() -> None:
    service = _tf("aws_ecs_service")["order_worker"]
    assert service["desired_count"] == 1
    policy = _tf("aws_appautoscaling_policy")["order_worker"]
    (config,) = policy["target_tracking_scaling_policy_configuration"]
    (metric,) = config["customized_metric_specification"]
    assert (config["target_value"], metric["namespace"], metric["metric_name"]) == (
        50,
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
    )
    assert [(d["name"], d["value"]) for d in metric["dimensions"]] == [
        ("QueueName", "async-sink-orders")
    ]
    kafka = _cfn("ClickCounterJobScalingPolicy")["Properties"]
    dimensions = kafka["TargetTrackingScalingPolicyConfiguration"]["CustomizedMetricSpecification"]
    assert dimensions["Dimensions"] == [
        {"Name": "Cluster Name", "Value": "async-sink-stream"},
        {"Name": "Consumer Group", "Value": "click-counter"},
        {"Name": "Topic", "Value": "clicks"},
    ]


def test_msk_admits_exactly_the_workloads_that_use_it_with_iam_only() -> None:
    cluster = _tf("aws_msk_serverless_cluster")["stream"]
    assert cluster["client_authentication"][0]["sasl"][0]["iam"][0]["enabled"] is True
    assert cluster["vpc_config"][0]["subnet_ids"] == [
        "${aws_subnet.private_a.id}",
        "${aws_subnet.private_b.id}",
    ]
    ingress = {
        (r["from_port"], r["referenced_security_group_id"])
        for r in _tf("aws_vpc_security_group_ingress_rule").values()
        if r["security_group_id"] == "${aws_security_group.stream_broker.id}"
    }
    assert ingress == {
        (9098, "${aws_security_group.api_service.id}"),
        (9098, "${aws_security_group.click_counter_job.id}"),
    }


def test_kafka_actions_are_scoped_to_the_topic_the_cluster_and_the_own_group() -> None:
    producer = _statements(_tf("aws_iam_role_policy")["api_task"]["policy"])
    assert producer["PublishClicksKafkaTopics"]["Resource"] == [
        f"{ARN}:kafka:{REGION_ACCOUNT}:topic/async-sink-stream/*/clicks"
    ]
    assert producer["PublishClicksKafkaTopics"]["Action"] == [
        "kafka-cluster:CreateTopic",
        "kafka-cluster:DescribeTopic",
        "kafka-cluster:WriteData",
    ]
    consumer = _statements(_tf("aws_iam_role_policy")["click_counter_task"]["policy"])
    assert consumer["SubscribeClicksKafkaCluster"]["Resource"] == [
        "${aws_msk_serverless_cluster.stream.arn}"
    ]
    assert consumer["SubscribeClicksKafkaGroups"]["Resource"] == [
        f"{ARN}:kafka:{REGION_ACCOUNT}:group/async-sink-stream/*/click-counter"
    ]
    # MSK Serverless encrypts with a key AWS owns: no KMS statement for Kafka alone.
    assert not any("kafka" in a and "kms" in a for s in consumer.values() for a in s["Action"])


def test_can_assume_is_trust_on_the_assumed_role_and_assume_on_the_assumer() -> None:
    roles = _tf("aws_iam_role")
    nightly = call_argument(roles["nightly_task"]["assume_role_policy"])["Statement"]
    assert nightly[1]["Principal"] == {"AWS": ["${aws_iam_user.ops_user.arn}"]}
    auditor = call_argument(roles["auditor_assumable"]["assume_role_policy"])["Statement"]
    assert auditor == [
        {
            "Sid": "AssumedByPrincipals",
            "Effect": "Allow",
            "Principal": {
                "AWS": ["${aws_iam_user.deployer_user.arn}", "${aws_iam_user.ops_user.arn}"]
            },
            "Action": ["sts:AssumeRole"],
        }
    ]
    ops = _statements(_tf("aws_iam_policy")["ops_assume"]["policy"])
    assert ops["AssumeRoles"]["Resource"] == [
        f"{ARN}:iam::${{data.aws_caller_identity.current.account_id}}:role/async-sink-auditor-assumable",
        f"{ARN}:iam::${{data.aws_caller_identity.current.account_id}}:role/async-sink-nightly-task",
    ]
    membership = _tf("aws_iam_user_group_membership")["ops_user"]
    assert membership["groups"] == ["${aws_iam_group.ops_assume.name}"]


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        ("0 3 * * *", "cron(0 3 * * ? *)"),
        ("*/15 * * * *", "cron(*/15 * * * ? *)"),
        ("0 0 1 * *", "cron(0 0 1 * ? *)"),
        ("30 2 * * 1-5", "cron(30 2 ? * 2-6 *)"),
        ("0 9 * * 0,6", "cron(0 9 ? * 1,7 *)"),
        ("0 9 * * 7", "cron(0 9 ? * 1 *)"),
        ("0 9 * * mon-fri", "cron(0 9 ? * MON-FRI *)"),
    ],
)
def test_five_field_cron_becomes_scheduler_cron(schedule: str, expected: str) -> None:
    assert aws_cron(schedule, "jobs.x") == expected


def test_a_schedule_with_day_of_month_and_day_of_week_is_refused() -> None:
    with pytest.raises(UnsupportedBlueprintError) as raised:
        aws_cron("0 0 1 * 1", "jobs.x")
    assert str(raised.value) == (
        "jobs.x: found a schedule with both a day of month and a day of week, expected one of "
        "them '*' (EventBridge Scheduler cannot combine them)"
    )


def test_scaling_is_only_for_workers() -> None:
    with pytest.raises(BlueprintError) as raised:
        load_text(
            """\
            name: x
            platforms: {aws: {region: eu-west-2}}
            jobs:
              nightly:
                platform: aws-fargate
                image: {registry: ghcr.io, repository: x/nightly, tag: "1"}
                trigger: {schedule: "0 3 * * *"}
                scaling: {min: 1, max: 2}
            """
        )
    messages = [d.message for d in raised.value.diagnostics]
    assert any(
        "found scaling on a job with a schedule trigger, expected it only on a job with a topic "
        "trigger (a worker consuming a queue or topic)" in m
        for m in messages
    ), messages


_NETWORK = """\
name: x
platforms: {aws: {region: eu-west-2}}
networks:
  main:
    cidr: 10.0.0.0/16
    subnets:
      private-a: {cidr: 10.0.0.0/19, zone: a, egress: none}
"""


def _refusals(text: str) -> list[str]:
    with pytest.raises(BlueprintError) as raised:
        load_text(text)
    return [f"{d.line}:{d.col}: {d.message}" for d in raised.value.diagnostics]


def test_validation_refuses_what_asynchronous_work_on_aws_cannot_be() -> None:
    text = (
        _NETWORK
        + """\
jobs:
  nightly:
    platform: aws-fargate
    image: {registry: ghcr.io, repository: x/nightly, tag: "1"}
    subnets: [private-a]
    trigger: {schedule: "0 3 1 * 1"}
  lost:
    platform: aws-fargate
    image: {registry: ghcr.io, repository: x/lost, tag: "1"}
    trigger: {schedule: "0 3 * * *"}
resources:
  kafka: {kind: broker}
identity:
  principals:
    root: {kind: root, can_assume: [ops]}
    ops: {kind: human, can_assume: [ci]}
    ci: {kind: automation, can_assume: [ops]}
"""
    )
    assert _refusals(text) == [
        "13:25: found schedule '0 3 1 * 1' with both a day of month and a day of week, expected "
        "one of them '*' (EventBridge Scheduler cannot combine them)",
        "14:3: missing required key 'subnets' in jobs.lost; expected subnets: the private "
        "subnets a Fargate job runs in",
        "19:3: found an MSK Serverless broker with private subnets in 1 zone(s) (a), expected "
        "private subnets in at least two zones (declare them, or subnets: on the broker)",
        "22:37: found the root account assuming ops, expected a user or a role (AWS does not "
        "let the root user assume roles)",
        "23:37: found ci, which can assume ops too, expected one direction (two roles trusting "
        "each other cannot be created one before the other)",
        "24:41: found ops, which can assume ci too, expected one direction (two roles trusting "
        "each other cannot be created one before the other)",
    ]
