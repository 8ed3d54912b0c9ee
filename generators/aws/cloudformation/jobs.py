"""Jobs in CloudFormation: per job its log group and task definition, and what starts it: an
EventBridge Scheduler schedule, an EventBridge rule on its bucket's object events, or (a
worker) an ECS service with its backlog scaling."""

from __future__ import annotations

from generators.aws.cloudformation.template import Json, Template, cfn, get_att, key_arn, ref
from generators.aws.naming import cfn_id
from generators.aws.plan.async_records import (
    EVENT_MAX_AGE_SECONDS,
    JobPlan,
    backlog_metric,
    event_pattern,
)
from generators.aws.values import REGION
from generators.common.quoting import cloudformation_literal


def render_jobs(t: Template) -> None:
    for job in t.s.jobs:
        t.log_group(job.log_group)
        task = cfn_id(job.id.cfn, "task")
        t.add(
            task,
            "AWS::ECS::TaskDefinition",
            {
                "Family": job.family,
                "RequiresCompatibilities": ["FARGATE"],
                "NetworkMode": "awsvpc",
                "Cpu": ref(job.cpu.cfn),
                "Memory": ref(job.memory.cfn),
                "ExecutionRoleArn": get_att(job.execution_role.id, "Arn"),
                "TaskRoleArn": get_att(job.task_role.id, "Arn"),
                "RuntimePlatform": {"OperatingSystemFamily": "LINUX", "CpuArchitecture": "X86_64"},
                "ContainerDefinitions": [_container(job)],
            },
        )
        if job.trigger == "schedule":
            _schedule(t, job, task)
        elif job.trigger == "event":
            _rule(t, job, task)
        else:
            _worker(t, job, task)


def _container(job: JobPlan) -> Json:
    return {
        "Name": job.key,
        "Image": cfn(job.image),
        "Essential": True,
        "ReadonlyRootFilesystem": True,
        "Privileged": False,
        "Environment": sorted(
            [{"Name": k, "Value": cloudformation_literal(v)} for k, v in job.env]
            + [{"Name": k, "Value": cfn(v)} for k, v in job.env_refs],
            key=lambda e: str(e["Name"]),
        ),
        "Secrets": sorted(
            [{"Name": env, "ValueFrom": ref(sec.id)} for env, sec in job.secrets]
            + [{"Name": env, "ValueFrom": cfn(v)} for env, v in job.secret_refs],
            key=lambda e: str(e["Name"]),
        ),
        "LogConfiguration": {
            "LogDriver": "awslogs",
            "Options": {
                "awslogs-group": ref(job.log_group),
                "awslogs-region": REGION.cfn,
                "awslogs-stream-prefix": job.key,
            },
        },
    }


def _network(job: JobPlan) -> Json:
    return {
        "AwsvpcConfiguration": {
            "Subnets": [ref(sub.id) for sub in job.subnets],
            "SecurityGroups": [get_att(job.sg.id, "GroupId")],
            "AssignPublicIp": "DISABLED",
        }
    }


def _retry(job: JobPlan) -> Json:
    return {
        "MaximumRetryAttempts": job.retry_attempts,
        "MaximumEventAgeInSeconds": EVENT_MAX_AGE_SECONDS,
    }


def _schedule(t: Template, job: JobPlan, task: str) -> None:
    assert job.invoker_role is not None and job.dead_letter is not None
    t.add(
        cfn_id(job.id.cfn, "schedule"),
        "AWS::Scheduler::Schedule",
        {
            "Name": job.rule,
            "ScheduleExpression": job.schedule,
            "ScheduleExpressionTimezone": "UTC",
            "KmsKeyArn": key_arn(),
            "FlexibleTimeWindow": {"Mode": "OFF"},
            "Target": {
                "Arn": get_att(job.cluster, "Arn"),
                "RoleArn": get_att(job.invoker_role.id, "Arn"),
                "EcsParameters": {
                    "TaskDefinitionArn": ref(task),
                    "LaunchType": "FARGATE",
                    "PlatformVersion": "LATEST",
                    "NetworkConfiguration": _network(job),
                },
                "RetryPolicy": _retry(job),
                "DeadLetterConfig": {"Arn": get_att(job.dead_letter, "Arn")},
            },
        },
        description=job.description,
    )


def _rule(t: Template, job: JobPlan, task: str) -> None:
    assert job.invoker_role is not None and job.dead_letter is not None
    assert job.bucket is not None and job.rule is not None
    t.add(
        cfn_id(job.id.cfn, "rule"),
        "AWS::Events::Rule",
        {
            "Name": job.rule,
            "Description": f"Starts job {job.key} on {job.detail_type} in {job.bucket.name}",
            "State": "ENABLED",
            "EventPattern": event_pattern(job),
            "Targets": [
                {
                    "Id": job.key,
                    "Arn": get_att(job.cluster, "Arn"),
                    "RoleArn": get_att(job.invoker_role.id, "Arn"),
                    "EcsParameters": {
                        "TaskDefinitionArn": ref(task),
                        "TaskCount": 1,
                        "LaunchType": "FARGATE",
                        "PlatformVersion": "LATEST",
                        # EventBridge spells it AwsVpcConfiguration; ECS and Scheduler do not.
                        "NetworkConfiguration": {
                            "AwsVpcConfiguration": _network(job)["AwsvpcConfiguration"]
                        },
                    },
                    "RetryPolicy": _retry(job),
                    "DeadLetterConfig": {"Arn": get_att(job.dead_letter, "Arn")},
                }
            ],
        },
        description=job.description,
    )


def _worker(t: Template, job: JobPlan, task: str) -> None:
    t.add(
        job.id.cfn,
        "AWS::ECS::Service",
        {
            "ServiceName": job.id.name,
            "Cluster": ref(job.cluster),
            "TaskDefinition": ref(task),
            "DesiredCount": job.desired_count,
            "LaunchType": "FARGATE",
            "PlatformVersion": "LATEST",
            "PropagateTags": "SERVICE",
            "EnableExecuteCommand": False,
            "NetworkConfiguration": _network(job),
            "DeploymentConfiguration": {
                "DeploymentCircuitBreaker": {"Enable": True, "Rollback": True}
            },
        },
        description=job.description,
    )
    if job.scaling is None:
        return
    target = cfn_id(job.id.cfn, "scaling", "target")
    t.add(
        target,
        "AWS::ApplicationAutoScaling::ScalableTarget",
        {
            "ServiceNamespace": "ecs",
            "ScalableDimension": "ecs:service:DesiredCount",
            "ResourceId": {
                "Fn::Join": ["", ["service/", ref(job.cluster), "/", get_att(job.id, "Name")]]
            },
            "MinCapacity": job.scaling[0],
            "MaxCapacity": job.scaling[1],
        },
    )
    metric = backlog_metric(job)
    t.add(
        cfn_id(job.id.cfn, "scaling", "policy"),
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        {
            "PolicyName": f"{job.key}-backlog",
            "PolicyType": "TargetTrackingScaling",
            "ScalingTargetId": ref(target),
            "TargetTrackingScalingPolicyConfiguration": {
                "TargetValue": job.scaling[2],
                "CustomizedMetricSpecification": {
                    "Namespace": metric.namespace,
                    "MetricName": metric.name,
                    "Statistic": metric.statistic,
                    "Dimensions": [{"Name": n, "Value": v} for n, v in metric.dimensions],
                },
            },
        },
    )
