"""Workloads in CloudFormation: the ECS cluster, and per service its log group, task
definition, service and scaling."""

from __future__ import annotations

from generators.aws.cloudformation.template import (
    Json,
    Template,
    cfn,
    get_att,
    key_arn,
    listener_id,
    ref,
)
from generators.aws.naming import cfn_id
from generators.aws.plan.constants import HEALTH_GRACE_SECONDS
from generators.aws.plan.records import Named, ServicePlan
from generators.aws.plan.references import health_check
from generators.aws.values import REGION
from generators.common.quoting import cloudformation_literal


def render_clusters(t: Template) -> None:
    for c in t.s.clusters():
        _cluster(t, c)


def render_services(t: Template) -> None:
    for svc in t.s.services:
        _service(t, svc)


def _cluster(t: Template, c: Named) -> None:
    t.add(
        c.cfn,
        "AWS::ECS::Cluster",
        {
            "ClusterName": c.name,
            "ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}],
            "Configuration": {
                "ExecuteCommandConfiguration": {"KmsKeyId": key_arn(), "Logging": "DEFAULT"}
            },
        },
        description=t.s.resource_descriptions.get(c.name.removeprefix(t.s.name + "-")),
        skips=t.s.cluster_skips,
    )
    t.output(cfn_id(c.cfn, "name"), "ECS cluster", ref(c))


def _service(t: Template, svc: ServicePlan) -> None:
    t.log_group(svc.log_group)
    task = cfn_id(svc.id.cfn, "task")
    _task_definition(t, svc, task)
    _ecs_service(t, svc, task)
    if svc.scaling is not None:
        _scaling(t, svc, svc.scaling)


def _container(svc: ServicePlan) -> Json:
    container: Json = {
        "Name": svc.key,
        "Image": cfn(svc.image),
        "Essential": True,
        "ReadonlyRootFilesystem": True,
        "Privileged": False,
        "PortMappings": [{"ContainerPort": svc.port, "HostPort": svc.port, "Protocol": "tcp"}],
        "Environment": sorted(
            [{"Name": k, "Value": cloudformation_literal(v)} for k, v in svc.env]
            + [{"Name": k, "Value": cfn(v)} for k, v in svc.env_refs],
            key=lambda e: str(e["Name"]),
        ),
        "Secrets": sorted(
            [{"Name": env, "ValueFrom": ref(sec.id)} for env, sec in svc.secrets]
            + [{"Name": env, "ValueFrom": cfn(v)} for env, v in svc.secret_refs],
            key=lambda e: str(e["Name"]),
        ),
        "LogConfiguration": {
            "LogDriver": "awslogs",
            "Options": {
                "awslogs-group": ref(svc.log_group),
                "awslogs-region": REGION.cfn,
                "awslogs-stream-prefix": svc.key,
            },
        },
    }
    if svc.health_path is not None:
        check = health_check(svc)
        container["HealthCheck"] = {
            "Command": check["command"],
            "Interval": check["interval"],
            "Timeout": check["timeout"],
            "Retries": check["retries"],
            "StartPeriod": check["startPeriod"],
        }
    return container


def _task_definition(t: Template, svc: ServicePlan, task: str) -> None:
    t.add(
        task,
        "AWS::ECS::TaskDefinition",
        {
            "Family": svc.family,
            "RequiresCompatibilities": ["FARGATE"],
            "NetworkMode": "awsvpc",
            "Cpu": ref(svc.cpu.cfn),
            "Memory": ref(svc.memory.cfn),
            "ExecutionRoleArn": get_att(svc.execution_role.id, "Arn"),
            "TaskRoleArn": get_att(svc.task_role.id, "Arn"),
            "RuntimePlatform": {"OperatingSystemFamily": "LINUX", "CpuArchitecture": "X86_64"},
            "ContainerDefinitions": [_container(svc)],
        },
    )


def _ecs_service(t: Template, svc: ServicePlan, task: str) -> None:
    props: Json = {
        "ServiceName": svc.id.name,
        "Cluster": ref(svc.cluster),
        "TaskDefinition": ref(task),
        "DesiredCount": ref(svc.replicas.cfn),
        "LaunchType": "FARGATE",
        "PlatformVersion": "LATEST",
        "PropagateTags": "SERVICE",
        "EnableExecuteCommand": False,
        "NetworkConfiguration": {
            "AwsvpcConfiguration": {
                "Subnets": [ref(sub.id) for sub in svc.subnets],
                "SecurityGroups": [get_att(svc.sg.id, "GroupId")],
                "AssignPublicIp": "DISABLED",
            }
        },
        "DeploymentConfiguration": {"DeploymentCircuitBreaker": {"Enable": True, "Rollback": True}},
    }
    if svc.target_groups:
        props["HealthCheckGracePeriodSeconds"] = HEALTH_GRACE_SECONDS
        props["LoadBalancers"] = [
            {"TargetGroupArn": ref(tg.id), "ContainerName": svc.key, "ContainerPort": tg.port}
            for tg in svc.target_groups
        ]
    t.add(
        svc.id.cfn,
        "AWS::ECS::Service",
        props,
        depends_on=[listener_id(tg.lb, tg.listener_port) for tg in svc.target_groups],
        description=svc.description,
    )


def _scaling(t: Template, svc: ServicePlan, scaling: tuple[int, int, int]) -> None:
    target = cfn_id(svc.id.cfn, "scaling", "target")
    t.add(
        target,
        "AWS::ApplicationAutoScaling::ScalableTarget",
        {
            "ServiceNamespace": "ecs",
            "ScalableDimension": "ecs:service:DesiredCount",
            "ResourceId": {
                "Fn::Join": [
                    "",
                    ["service/", ref(svc.cluster), "/", get_att(svc.id, "Name")],
                ]
            },
            "MinCapacity": scaling[0],
            "MaxCapacity": scaling[1],
        },
    )
    t.add(
        cfn_id(svc.id.cfn, "scaling", "policy"),
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        {
            "PolicyName": f"{svc.key}-cpu",
            "PolicyType": "TargetTrackingScaling",
            "ScalingTargetId": ref(target),
            "TargetTrackingScalingPolicyConfiguration": {
                "TargetValue": scaling[2],
                "PredefinedMetricSpecification": {
                    "PredefinedMetricType": "ECSServiceAverageCPUUtilization"
                },
            },
        },
    )
