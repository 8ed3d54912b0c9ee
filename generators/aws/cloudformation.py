"""CloudFormation: the AWS system built as data and dumped as JSON (sorted keys, indent 2).

Deploy-time values become `Ref`/`Fn::GetAtt`/`Fn::Join` (never `Fn::Sub`), so no text from the
blueprint is ever read as a template. Free text (descriptions) lives in `Metadata`, which
accepts any JSON string.
"""

from __future__ import annotations

import json
from typing import Any

from generators.aws import terraform
from generators.aws.naming import cfn_id
from generators.aws.system import (
    CLOUDWATCH_RETENTION_DAYS,
    HEALTH_GRACE_SECONDS,
    ApiPlan,
    AwsSystem,
    BucketPlan,
    LoadBalancerPlan,
    Named,
    Network,
    PolicyDoc,
    SecurityGroup,
    ServicePlan,
    SimpleResource,
    Subnet,
    User,
    access_log_bucket_policy,
    bucket_arn,
    bucket_policy,
    cloudwatch_retention,
    health_check,
    key_policy,
)
from generators.aws.values import ACCOUNT, REGION, Attr, Value, value
from generators.common.quoting import cloudformation_literal

Json = dict[str, Any]
LOG_RETENTION_PARAMETER = "LogRetentionDays"

# Checks that cannot apply, skipped where the resource is defined (Metadata.checkov.skip).
LB_NETWORK_SKIPS = (
    ("CKV_AWS_91", "a network load balancer logs access only for TLS listeners and these are TCP"),
)
BUCKET_SKIPS = (("CKV_AWS_18", "this is the access-log bucket; logging it to itself would loop"),)


def ref(thing: Named | str) -> Json:
    return {"Ref": thing if isinstance(thing, str) else thing.cfn}


def get_att(thing: Named | str, name: str) -> Json:
    return {"Fn::GetAtt": [thing if isinstance(thing, str) else thing.cfn, name]}


def cfn(data: Any) -> Any:
    """Plan data (with Value and Attr inside) as CloudFormation JSON."""
    if isinstance(data, Value):
        return data.cfn()
    if isinstance(data, Attr):
        return data.cfn
    if isinstance(data, dict):
        return {k: cfn(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [cfn(v) for v in data]
    return data


def policy(doc: PolicyDoc) -> Any:
    return cfn(doc.as_json())


def tags(**values: str) -> list[Json]:
    return [{"Key": k, "Value": v} for k, v in sorted(values.items())]


def key_arn() -> Json:
    return get_att("Key", "Arn")


class _Template:
    def __init__(self, s: AwsSystem) -> None:
        self.s = s
        self.resources: dict[str, Json] = {}
        self.parameters: dict[str, Json] = {}
        self.outputs: dict[str, Json] = {}

    def add(
        self,
        logical: str,
        type_: str,
        properties: Json,
        *,
        depends_on: list[str] | None = None,
        skips: tuple[tuple[str, str], ...] = (),
        description: str | None = None,
        retain: bool = False,
    ) -> None:
        if logical in self.resources:
            raise ValueError(f"two CloudFormation resources named {logical}")
        resource: Json = {"Type": type_, "Properties": properties}
        if depends_on:
            resource["DependsOn"] = sorted(depends_on)
        metadata: Json = {}
        if skips:
            metadata["checkov"] = {"skip": [{"id": i, "comment": c} for i, c in skips]}
        if description is not None:
            metadata["Blueprint"] = {"Description": description}
        if metadata:
            resource["Metadata"] = metadata
        if retain:
            resource["DeletionPolicy"] = "Retain"
            resource["UpdateReplacePolicy"] = "Retain"
        self.resources[logical] = resource

    def output(self, logical: str, description: str, val: Any) -> None:
        self.outputs[logical] = {"Description": description, "Value": cfn(val)}

    # -- building ----------------------------------------------------------------------------

    def build(self) -> Json:
        s = self.s
        self.build_parameters()
        if s.needs_key():
            self.add(
                "Key",
                "AWS::KMS::Key",
                {
                    "Description": f"Encrypts the logs, images, objects and secrets of {s.name}",
                    "EnableKeyRotation": True,
                    "PendingWindowInDays": 30,
                    "KeyPolicy": policy(key_policy()),
                },
                retain=True,
            )
            self.add(
                "KeyAlias",
                "AWS::KMS::Alias",
                {"AliasName": s.key.name, "TargetKeyId": ref("Key")},
            )
        for n in s.networks:
            self.build_network(n)
        for sg in s.security_groups:
            self.build_security_group(sg)
        for c in s.clusters():
            self.build_cluster(c)
        for lb in s.load_balancers:
            self.build_load_balancer(lb)
        for r in s.resources:
            self.build_simple(r)
        for api in s.apis:
            self.build_api(api)
        for svc in s.services:
            self.build_service(svc)
        for repo in s.repositories:
            self.add(
                repo.id.cfn,
                "AWS::ECR::Repository",
                {
                    "RepositoryName": repo.id.name,
                    "ImageTagMutability": "IMMUTABLE",
                    "ImageScanningConfiguration": {"ScanOnPush": True},
                    "EncryptionConfiguration": {"EncryptionType": "KMS", "KmsKey": key_arn()},
                    "LifecyclePolicy": {
                        "LifecyclePolicyText": json.dumps(terraform.ECR_LIFECYCLE, sort_keys=True)
                    },
                },
                description=s.resource_descriptions.get(repo.registry),
                retain=True,
            )
            self.output(
                cfn_id(repo.id.cfn, "uri"),
                f"ECR repository {repo.id.name}",
                get_att(repo.id, "RepositoryUri"),
            )
        for b in s.buckets:
            self.build_bucket(b)
        if s.access_log_bucket is not None:
            self.build_log_bucket(s.access_log_bucket)
        for sec in s.secrets:
            self.add(
                sec.id.cfn,
                "AWS::SecretsManager::Secret",
                {
                    "Name": sec.id.name,
                    "Description": f"Secret {sec.key} in store {sec.store}; "
                    "its value is set outside blueprint",
                    "KmsKeyId": key_arn(),
                },
                retain=True,
            )
        for role in s.roles:
            props: Json = {
                "RoleName": role.id.name,
                "AssumeRolePolicyDocument": policy(role.trust),
            }
            if role.policy is not None:
                props["Policies"] = [
                    {"PolicyName": role.id.name, "PolicyDocument": policy(role.policy)}
                ]
            self.add(role.id.cfn, "AWS::IAM::Role", props)
        for g in s.groups:
            self.add(
                g.id.cfn, "AWS::IAM::Group", {"GroupName": g.id.name}, description=g.description
            )
            if g.policy is not None:
                self.add(
                    cfn_id(g.id.cfn, "policy"),
                    "AWS::IAM::ManagedPolicy",
                    {
                        "ManagedPolicyName": g.id.name,
                        "PolicyDocument": policy(g.policy),
                        "Groups": [ref(g.id)],
                    },
                )
        for u in s.users:
            self.build_user(u)
        template: Json = {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Description": f"blueprint {s.name}: rendered by blueprint; do not edit",
            "Resources": self.resources,
        }
        if s.description is not None:
            template["Metadata"] = {"Blueprint": {"Name": s.name, "Description": s.description}}
        if self.parameters:
            template["Parameters"] = self.parameters
        if self.outputs:
            template["Outputs"] = self.outputs
        return template

    def build_parameters(self) -> None:
        for v in self.s.variables():
            param: Json = {
                "Type": "Number" if v.type == "number" else "String",
                "Default": str(v.default),
                "Description": v.description,
            }
            self.parameters[v.cfn] = param
        if self.uses_log_retention():
            self.parameters[LOG_RETENTION_PARAMETER] = {
                "Type": "Number",
                "Default": str(cloudwatch_retention(self.s.log_retention_days)),
                "AllowedValues": [str(d) for d in CLOUDWATCH_RETENTION_DAYS],
                "Description": "Days CloudWatch Logs keeps service, access and flow logs",
            }

    def uses_log_retention(self) -> bool:
        s = self.s
        return bool(
            s.networks
            or s.services
            or any(a.access_logs for a in s.apis)
            or any(r.kind.value == "logs" and r.retention_days is None for r in s.resources)
        )

    def log_group(self, named: Named, retention: Any = None) -> None:
        self.add(
            named.cfn,
            "AWS::Logs::LogGroup",
            {
                "LogGroupName": named.name,
                "RetentionInDays": retention
                if retention is not None
                else ref(LOG_RETENTION_PARAMETER),
                "KmsKeyId": key_arn(),
            },
        )

    def build_network(self, n: Network) -> None:
        vpc = n.id.cfn
        self.add(
            vpc,
            "AWS::EC2::VPC",
            {
                "CidrBlock": n.cidr,
                "EnableDnsHostnames": True,
                "EnableDnsSupport": True,
                "Tags": tags(Name=f"{self.s.name}-{n.key}"),
            },
        )
        self.log_group(n.flow_log_group)
        self.add(
            cfn_id(vpc, "flow", "log"),
            "AWS::EC2::FlowLog",
            {
                "ResourceId": ref(vpc),
                "ResourceType": "VPC",
                "TrafficType": "ALL",
                "LogDestinationType": "cloud-watch-logs",
                "LogGroupName": ref(n.flow_log_group),
                "DeliverLogsPermissionArn": get_att(n.flow_log_role.id, "Arn"),
            },
        )
        for sub in n.subnets:
            self.add(
                sub.id.cfn,
                "AWS::EC2::Subnet",
                {
                    "VpcId": ref(vpc),
                    "CidrBlock": sub.cidr,
                    # The zone in whatever region the stack is deployed to (cfn-lint W3010).
                    "AvailabilityZone": cfn(value(REGION, sub.zone)),
                    "MapPublicIpOnLaunch": False,
                    "Tags": tags(
                        Name=f"{self.s.name}-{sub.id.name}",
                        Tier="public" if sub.public else "private",
                    ),
                },
            )
        igw = cfn_id(vpc, "internet", "gateway")
        attachment = cfn_id(vpc, "gateway", "attachment")
        if n.internet_gateway:
            self.add(igw, "AWS::EC2::InternetGateway", {})
            self.add(
                attachment,
                "AWS::EC2::VPCGatewayAttachment",
                {"VpcId": ref(vpc), "InternetGatewayId": ref(igw)},
            )
        nat = cfn_id(vpc, "nat")
        if n.nat_subnet is not None:
            self.add(
                cfn_id(vpc, "nat", "eip"),
                "AWS::EC2::EIP",
                {"Domain": "vpc"},
                depends_on=[attachment],
            )
            self.add(
                nat,
                "AWS::EC2::NatGateway",
                {
                    "AllocationId": get_att(cfn_id(vpc, "nat", "eip"), "AllocationId"),
                    "SubnetId": ref(n.nat_subnet.id),
                },
            )
        for egress, subnets in n.route_tables():
            table = cfn_id(vpc, egress, "routes")
            self.add(
                table,
                "AWS::EC2::RouteTable",
                {"VpcId": ref(vpc), "Tags": tags(Name=f"{self.s.name}-{n.key}-{egress}")},
            )
            if egress == "internet":
                self.add(
                    cfn_id(table, "default"),
                    "AWS::EC2::Route",
                    {
                        "RouteTableId": ref(table),
                        "DestinationCidrBlock": "0.0.0.0/0",
                        "GatewayId": ref(igw),
                    },
                    depends_on=[attachment],
                )
            elif egress == "nat":
                self.add(
                    cfn_id(table, "default"),
                    "AWS::EC2::Route",
                    {
                        "RouteTableId": ref(table),
                        "DestinationCidrBlock": "0.0.0.0/0",
                        "NatGatewayId": ref(nat),
                    },
                )
            for sub in subnets:
                self.add(
                    cfn_id(sub.id.cfn, "routes"),
                    "AWS::EC2::SubnetRouteTableAssociation",
                    {"SubnetId": ref(sub.id), "RouteTableId": ref(table)},
                )
        self.output(cfn_id(vpc, "id"), f"VPC of network {n.key}", ref(vpc))

    def vpc_of(self, network: str) -> str:
        return next(n.id.cfn for n in self.s.networks if n.key == network)

    def build_security_group(self, sg: SecurityGroup) -> None:
        cidr_egress: list[Json] = []
        for rule in sg.rules:
            if rule.direction == "egress" and rule.peer_sg is None:
                cidr_egress.append(self.rule_props(rule, egress=True))
        if not cidr_egress:
            # Naming any egress replaces CloudFormation's default allow-all rule.
            cidr_egress = [
                {
                    "CidrIp": "127.0.0.1/32",
                    "IpProtocol": "-1",
                    "Description": "no egress but the rules attached below",
                }
            ]
        self.add(
            sg.id.cfn,
            "AWS::EC2::SecurityGroup",
            {
                "GroupName": sg.id.name,
                "GroupDescription": sg.description,
                "VpcId": ref(self.vpc_of(sg.network)),
                "SecurityGroupEgress": cidr_egress,
                "Tags": tags(Name=sg.id.name),
            },
        )
        for rule in sg.rules:
            if rule.direction == "egress" and rule.peer_sg is None:
                continue
            props = {
                "GroupId": get_att(sg.id, "GroupId"),
                **self.rule_props(rule, rule.direction == "egress"),
            }
            self.add(
                cfn_id(sg.id.cfn, *rule.key.split("_")),
                "AWS::EC2::SecurityGroupEgress"
                if rule.direction == "egress"
                else "AWS::EC2::SecurityGroupIngress",
                props,
            )

    @staticmethod
    def rule_props(rule: Any, egress: bool) -> Json:
        props: Json = {
            "IpProtocol": rule.protocol,
            "FromPort": rule.port,
            "ToPort": rule.port,
            "Description": rule.description,
        }
        if rule.peer_sg is not None:
            key = "DestinationSecurityGroupId" if egress else "SourceSecurityGroupId"
            props[key] = get_att(rule.peer_sg, "GroupId")
        elif rule.ipv6:
            props["CidrIpv6"] = rule.cidr
        else:
            props["CidrIp"] = rule.cidr
        return props

    def build_cluster(self, c: Named) -> None:
        self.add(
            c.cfn,
            "AWS::ECS::Cluster",
            {
                "ClusterName": c.name,
                "ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}],
                "Configuration": {
                    "ExecuteCommandConfiguration": {"KmsKeyId": key_arn(), "Logging": "DEFAULT"}
                },
            },
            description=self.s.resource_descriptions.get(c.name.removeprefix(self.s.name + "-")),
        )
        self.output(cfn_id(c.cfn, "name"), "ECS cluster", ref(c))

    def build_load_balancer(self, lb: LoadBalancerPlan) -> None:
        attributes = [{"Key": "deletion_protection.enabled", "Value": "true"}]
        if lb.type == "network":
            attributes.append({"Key": "load_balancing.cross_zone.enabled", "Value": "true"})
        else:
            attributes.append(
                {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"}
            )
        self.add(
            lb.id.cfn,
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            {
                "Name": lb.id.name,
                "Type": lb.type,
                "Scheme": "internal" if lb.internal else "internet-facing",
                "Subnets": [ref(sub.id) for sub in lb.subnets],
                "SecurityGroups": [get_att(lb.sg.id, "GroupId")],
                "LoadBalancerAttributes": attributes,
            },
            skips=LB_NETWORK_SKIPS if lb.type == "network" else (),
        )
        for tg in lb.target_groups:
            self.add(
                tg.id.cfn,
                "AWS::ElasticLoadBalancingV2::TargetGroup",
                {
                    "Name": tg.id.name,
                    "Port": tg.port,
                    "Protocol": tg.protocol,
                    "TargetType": "ip",
                    "VpcId": ref(self.vpc_of(lb.sg.network)),
                    "HealthCheckEnabled": True,
                    "HealthCheckProtocol": "HTTP",
                    "HealthCheckPath": tg.health_path,
                    "HealthCheckPort": str(tg.health_port) if tg.health_port else "traffic-port",
                    "HealthCheckIntervalSeconds": tg.health_interval,
                    "HealthCheckTimeoutSeconds": tg.health_timeout,
                    "HealthyThresholdCount": 3,
                    "UnhealthyThresholdCount": 3,
                    "Matcher": {"HttpCode": "200-399"},
                },
            )
            self.add(
                self.listener_id(lb.key, tg.listener_port),
                "AWS::ElasticLoadBalancingV2::Listener",
                {
                    "LoadBalancerArn": ref(lb.id),
                    "Port": tg.listener_port,
                    "Protocol": lb.listener_protocol,
                    "DefaultActions": [{"Type": "forward", "TargetGroupArn": ref(tg.id)}],
                },
            )
        self.output(
            cfn_id(lb.id.cfn, "dns"),
            f"DNS name of load balancer {lb.key}",
            get_att(lb.id, "DNSName"),
        )

    @staticmethod
    def listener_id(lb_key: str, port: int) -> str:
        return cfn_id(lb_key, str(port), "listener")

    def build_simple(self, r: SimpleResource) -> None:
        kind = r.kind.value
        if kind == "user-pool":
            self.add(
                r.id.cfn,
                "AWS::Cognito::UserPool",
                {
                    "UserPoolName": r.id.name,
                    "DeletionProtection": "ACTIVE",
                    "MfaConfiguration": "OPTIONAL",
                    "EnabledMfas": ["SOFTWARE_TOKEN_MFA"],
                    "UsernameAttributes": ["email"],
                    "AutoVerifiedAttributes": ["email"],
                    "Policies": {
                        "PasswordPolicy": {
                            "MinimumLength": 14,
                            "RequireLowercase": True,
                            "RequireNumbers": True,
                            "RequireSymbols": True,
                            "RequireUppercase": True,
                            "TemporaryPasswordValidityDays": 3,
                        }
                    },
                    "AccountRecoverySetting": {
                        "RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]
                    },
                },
                description=r.description,
                retain=True,
            )
            self.output(cfn_id(r.id.cfn, "id"), f"Cognito user pool {r.key}", ref(r.id))
        elif kind == "queue":
            self.add(
                r.id.cfn,
                "AWS::SQS::Queue",
                {
                    "QueueName": r.id.name,
                    "KmsMasterKeyId": key_arn(),
                    "KmsDataKeyReusePeriodSeconds": 300,
                    "MessageRetentionPeriod": min(r.retention_days or 4, 14) * 86400,
                },
                description=r.description,
                retain=True,
            )
            self.output(cfn_id(r.id.cfn, "url"), f"SQS queue {r.key}", ref(r.id))
        elif kind == "topic":
            self.add(
                r.id.cfn,
                "AWS::SNS::Topic",
                {"TopicName": r.id.name, "KmsMasterKeyId": key_arn()},
                description=r.description,
            )
            self.output(cfn_id(r.id.cfn, "arn"), f"SNS topic {r.key}", ref(r.id))
        elif kind == "logs":
            self.log_group(
                r.id, cloudwatch_retention(r.retention_days) if r.retention_days else None
            )
            self.resources[r.id.cfn].setdefault("Metadata", {})
            if r.description is not None:
                self.resources[r.id.cfn]["Metadata"]["Blueprint"] = {"Description": r.description}
            if not self.resources[r.id.cfn]["Metadata"]:
                del self.resources[r.id.cfn]["Metadata"]

    def build_api(self, api: ApiPlan) -> None:
        a = api.id.cfn
        self.add(a, "AWS::ApiGatewayV2::Api", {"Name": api.id.name, "ProtocolType": "HTTP"})
        link = cfn_id(a, "vpc", "link")
        self.add(
            link,
            "AWS::ApiGatewayV2::VpcLink",
            {
                "Name": api.id.name,
                "SubnetIds": [ref(sub.id) for sub in api.vpc_link_subnets],
                "SecurityGroupIds": [get_att(api.vpc_link_sg.id, "GroupId")],
            },
        )
        for lb_key, port in api.integrations:
            self.add(
                cfn_id(a, lb_key, str(port), "integration"),
                "AWS::ApiGatewayV2::Integration",
                {
                    "ApiId": ref(a),
                    "IntegrationType": "HTTP_PROXY",
                    "IntegrationMethod": "ANY",
                    "IntegrationUri": ref(self.listener_id(lb_key, port)),
                    "ConnectionType": "VPC_LINK",
                    "ConnectionId": ref(link),
                    "PayloadFormatVersion": "1.0",
                },
            )
        authorizer = cfn_id(a, "authorizer")
        client = cfn_id(a, "client")
        if api.user_pool is not None:
            pool = next(r.id for r in self.s.user_pools() if r.key == api.user_pool)
            self.add(
                client,
                "AWS::Cognito::UserPoolClient",
                {
                    "ClientName": api.id.name,
                    "UserPoolId": ref(pool),
                    "GenerateSecret": False,
                    "PreventUserExistenceErrors": "ENABLED",
                    "EnableTokenRevocation": True,
                    "ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
                },
            )
            self.add(
                authorizer,
                "AWS::ApiGatewayV2::Authorizer",
                {
                    "ApiId": ref(a),
                    "Name": api.id.name,
                    "AuthorizerType": "JWT",
                    "IdentitySource": ["$request.header.Authorization"],
                    "JwtConfiguration": {
                        "Audience": [ref(client), *api.audience],
                        "Issuer": cfn(
                            value(
                                "https://cognito-idp.",
                                REGION,
                                ".amazonaws.com/",
                                Attr("aws_cognito_user_pool.x.id", ref(pool), ""),
                            )
                        ),
                    },
                },
            )
            self.output(cfn_id(a, "client", "id"), f"Cognito app client of {api.key}", ref(client))
        for route in api.routes:
            props: Json = {
                "ApiId": ref(a),
                "RouteKey": route.key,
                "Target": {
                    "Fn::Join": [
                        "",
                        [
                            "integrations/",
                            ref(
                                cfn_id(a, route.target_lb, str(route.listener_port), "integration")
                            ),
                        ],
                    ]
                },
            }
            if api.user_pool is not None:
                props["AuthorizationType"] = "JWT"
                props["AuthorizerId"] = ref(authorizer)
            self.add(route.id.cfn, "AWS::ApiGatewayV2::Route", props)
        stage: Json = {
            "ApiId": ref(a),
            "StageName": "$default",
            "AutoDeploy": True,
            "DefaultRouteSettings": {"ThrottlingBurstLimit": 500, "ThrottlingRateLimit": 1000},
        }
        if api.access_logs is not None:
            self.log_group(api.access_logs)
            stage["AccessLogSettings"] = {
                "DestinationArn": get_att(api.access_logs, "Arn"),
                "Format": json.dumps(terraform.ACCESS_LOG_FORMAT, sort_keys=True),
            }
        self.add(cfn_id(a, "stage"), "AWS::ApiGatewayV2::Stage", stage)
        self.output(
            cfn_id(a, "endpoint"), f"HTTP API endpoint of {api.key}", get_att(a, "ApiEndpoint")
        )

    def build_service(self, svc: ServicePlan) -> None:
        self.log_group(svc.log_group)
        container: Json = {
            "Name": svc.key,
            "Image": cfn(svc.image),
            "Essential": True,
            "ReadonlyRootFilesystem": True,
            "Privileged": False,
            "PortMappings": [{"ContainerPort": svc.port, "HostPort": svc.port, "Protocol": "tcp"}],
            "Environment": [{"Name": k, "Value": cloudformation_literal(v)} for k, v in svc.env],
            "Secrets": [{"Name": env, "ValueFrom": ref(sec.id)} for env, sec in svc.secrets],
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
        task = cfn_id(svc.id.cfn, "task")
        self.add(
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
                "ContainerDefinitions": [container],
            },
        )
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
            "DeploymentConfiguration": {
                "DeploymentCircuitBreaker": {"Enable": True, "Rollback": True}
            },
        }
        if svc.target_groups:
            props["HealthCheckGracePeriodSeconds"] = HEALTH_GRACE_SECONDS
            props["LoadBalancers"] = [
                {"TargetGroupArn": ref(tg.id), "ContainerName": svc.key, "ContainerPort": tg.port}
                for tg in svc.target_groups
            ]
        self.add(
            svc.id.cfn,
            "AWS::ECS::Service",
            props,
            depends_on=[self.listener_id(tg.lb, tg.listener_port) for tg in svc.target_groups],
            description=svc.description,
        )
        if svc.scaling is not None:
            target = cfn_id(svc.id.cfn, "scaling", "target")
            self.add(
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
                    "MinCapacity": svc.scaling[0],
                    "MaxCapacity": svc.scaling[1],
                },
            )
            self.add(
                cfn_id(svc.id.cfn, "scaling", "policy"),
                "AWS::ApplicationAutoScaling::ScalingPolicy",
                {
                    "PolicyName": f"{svc.key}-cpu",
                    "PolicyType": "TargetTrackingScaling",
                    "ScalingTargetId": ref(target),
                    "TargetTrackingScalingPolicyConfiguration": {
                        "TargetValue": svc.scaling[2],
                        "PredefinedMetricSpecification": {
                            "PredefinedMetricType": "ECSServiceAverageCPUUtilization"
                        },
                    },
                },
            )

    def bucket_properties(self, named: Named, *, kms: bool, expiry: int | None) -> Json:
        if kms:
            encryption = {
                "BucketKeyEnabled": True,
                "ServerSideEncryptionByDefault": {
                    "SSEAlgorithm": "aws:kms",
                    "KMSMasterKeyID": key_arn(),
                },
            }
        else:
            encryption = {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
        rules: list[Json] = [
            {
                "Id": "abort-incomplete-uploads",
                "Status": "Enabled",
                "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
            }
        ]
        if expiry is not None:
            rules.append(
                {
                    "Id": "expire",
                    "Status": "Enabled",
                    "ExpirationInDays": expiry,
                    "NoncurrentVersionExpiration": {"NoncurrentDays": expiry},
                }
            )
        return {
            "BucketName": named.name,
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            },
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [encryption]},
            "VersioningConfiguration": {"Status": "Enabled"},
            "LifecycleConfiguration": {"Rules": rules},
        }

    def build_bucket(self, b: BucketPlan) -> None:
        assert self.s.access_log_bucket is not None
        props = self.bucket_properties(b.id, kms=True, expiry=b.retention_days)
        props["LoggingConfiguration"] = {
            "DestinationBucketName": ref(self.s.access_log_bucket),
            "LogFilePrefix": f"{b.id.name}/",
        }
        self.add(b.id.cfn, "AWS::S3::Bucket", props, description=b.description, retain=True)
        self.add(
            cfn_id(b.id.cfn, "policy"),
            "AWS::S3::BucketPolicy",
            {"Bucket": ref(b.id), "PolicyDocument": policy(bucket_policy(bucket_arn(b.id)))},
        )
        self.output(cfn_id(b.id.cfn, "name"), f"S3 bucket {b.key}", ref(b.id))

    def build_log_bucket(self, named: Named) -> None:
        props = self.bucket_properties(
            named, kms=False, expiry=cloudwatch_retention(self.s.log_retention_days)
        )
        self.add(named.cfn, "AWS::S3::Bucket", props, skips=BUCKET_SKIPS, retain=True)
        doc = access_log_bucket_policy(
            bucket_arn(named), tuple(bucket_arn(b.id) for b in self.s.buckets)
        )
        self.add(
            cfn_id(named.cfn, "policy"),
            "AWS::S3::BucketPolicy",
            {"Bucket": ref(named), "PolicyDocument": policy(doc)},
        )

    def build_user(self, u: User) -> None:
        props: Json = {"UserName": u.id.name, "Groups": [ref(g) for g in u.groups]}
        depends: list[str] = []
        if u.console:
            secret = cfn_id(u.id.cfn, "first", "password")
            secret_name = f"{self.s.name}/console/{u.id.name}"
            self.add(
                secret,
                "AWS::SecretsManager::Secret",
                {
                    "Name": secret_name,
                    "Description": f"First console password of {u.id.name}; "
                    "changed at first sign-in",
                    "KmsKeyId": key_arn(),
                    "GenerateSecretString": {"PasswordLength": 32},
                },
            )
            props["LoginProfile"] = {
                "Password": f"{{{{resolve:secretsmanager:{secret_name}:SecretString}}}}",
                "PasswordResetRequired": True,
            }
            depends.append(secret)
        self.add(u.id.cfn, "AWS::IAM::User", props, depends_on=depends)


def render(system: AwsSystem) -> dict[str, str]:
    template = _Template(system).build()
    text = json.dumps(template, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    return {"aws/cloudformation/template.json": text}


__all__ = ["ACCOUNT", "Subnet", "render"]
