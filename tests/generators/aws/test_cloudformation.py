"""The CloudFormation output: cfn-lint clean, deterministic, and the same system as Terraform."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cfnlint.api import ManualArgs, lint_file

from tests.generators.aws.support import AWS_SYSTEMS, cloudformation, render_example, write


@pytest.mark.parametrize("example", ["aws-fargate-api", "aws-three-tier", *AWS_SYSTEMS])
def test_cfn_lint_reports_nothing(example: str, tmp_path: Path) -> None:
    write(render_example(example), tmp_path)
    matches = lint_file(
        tmp_path / "aws" / "cloudformation" / "template.json",
        config=ManualArgs(regions=["eu-west-2"]),
    )
    assert [str(m) for m in matches] == []


def test_template_is_dumped_deterministically() -> None:
    text = render_example("aws-fargate-api")["aws/cloudformation/template.json"]
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _types(template: dict[str, object]) -> dict[str, str]:
    return {k: v["Type"] for k, v in template["Resources"].items()}  # type: ignore[attr-defined]


def test_resources_mirror_the_seed() -> None:
    template = cloudformation(render_example("aws-fargate-api"))
    types = _types(template)
    counts: dict[str, int] = {}
    for t in types.values():
        counts[t] = counts.get(t, 0) + 1
    assert counts == {
        "AWS::ApiGatewayV2::Api": 1,
        "AWS::ApiGatewayV2::Authorizer": 1,
        "AWS::ApiGatewayV2::Integration": 1,
        "AWS::ApiGatewayV2::Route": 1,
        "AWS::ApiGatewayV2::Stage": 1,
        "AWS::ApiGatewayV2::VpcLink": 1,
        "AWS::Cognito::UserPool": 1,
        "AWS::Cognito::UserPoolClient": 1,
        "AWS::EC2::EIP": 1,
        "AWS::EC2::FlowLog": 1,
        "AWS::EC2::InternetGateway": 1,
        "AWS::EC2::NatGateway": 1,
        "AWS::EC2::Route": 2,
        "AWS::EC2::RouteTable": 2,
        "AWS::EC2::SecurityGroup": 3,
        "AWS::EC2::SecurityGroupEgress": 2,
        "AWS::EC2::SecurityGroupIngress": 2,
        "AWS::EC2::Subnet": 2,
        "AWS::EC2::SubnetRouteTableAssociation": 2,
        "AWS::EC2::VPC": 1,
        "AWS::EC2::VPCGatewayAttachment": 1,
        "AWS::ECR::Repository": 1,
        "AWS::ECS::Cluster": 1,
        "AWS::ECS::Service": 1,
        "AWS::ECS::TaskDefinition": 1,
        "AWS::ElasticLoadBalancingV2::Listener": 1,
        "AWS::ElasticLoadBalancingV2::LoadBalancer": 1,
        "AWS::ElasticLoadBalancingV2::TargetGroup": 1,
        "AWS::IAM::Role": 3,
        "AWS::KMS::Alias": 1,
        "AWS::KMS::Key": 1,
        "AWS::Logs::LogGroup": 3,
        "AWS::S3::Bucket": 2,
        "AWS::S3::BucketPolicy": 2,
    }
    assert "::/0" not in json.dumps(template)


def test_security_groups_and_roles() -> None:
    resources = cloudformation(render_example("aws-fargate-api"))["Resources"]
    web_sg = resources["WebServiceSg"]["Properties"]
    assert web_sg["SecurityGroupEgress"] == [
        {
            "CidrIp": "0.0.0.0/0",
            "Description": "to AWS APIs and registries over HTTPS",
            "FromPort": 443,
            "IpProtocol": "tcp",
            "ToPort": 443,
        }
    ]
    ingress = {
        k: (
            v["Properties"]["GroupId"],
            v["Properties"]["SourceSecurityGroupId"],
            v["Properties"]["FromPort"],
        )
        for k, v in resources.items()
        if v["Type"] == "AWS::EC2::SecurityGroupIngress"
    }
    assert sorted(ingress.values(), key=str) == sorted(
        [
            (
                {"Fn::GetAtt": ["LbLbSg", "GroupId"]},
                {"Fn::GetAtt": ["ApiVpcLinkSg", "GroupId"]},
                8080,
            ),
            (
                {"Fn::GetAtt": ["WebServiceSg", "GroupId"]},
                {"Fn::GetAtt": ["LbLbSg", "GroupId"]},
                8080,
            ),
        ],
        key=str,
    )
    # The VPC link and the load balancer may send only what the rules below say.
    assert (
        resources["ApiVpcLinkSg"]["Properties"]["SecurityGroupEgress"][0]["CidrIp"]
        == "127.0.0.1/32"
    )
    service = resources["WebService"]["Properties"]
    assert service["NetworkConfiguration"]["AwsvpcConfiguration"] == {
        "AssignPublicIp": "DISABLED",
        "SecurityGroups": [{"Fn::GetAtt": ["WebServiceSg", "GroupId"]}],
        "Subnets": [{"Ref": "PrivateASubnet"}],
    }
    task = resources["WebServiceTask"]["Properties"]
    assert task["ExecutionRoleArn"] == {"Fn::GetAtt": ["WebExecutionRole", "Arn"]}
    assert task["TaskRoleArn"] == {"Fn::GetAtt": ["WebTaskRole", "Arn"]}
    assert (task["Cpu"], task["Memory"]) == ({"Ref": "WebCpu"}, {"Ref": "WebMemory"})
    assert task["ContainerDefinitions"][0]["Image"] == {
        "Fn::Join": [
            "",
            [{"Fn::GetAtt": ["ImagesWebRepository", "RepositoryUri"]}, ":", {"Ref": "WebImageTag"}],
        ]
    }


def test_parameters_default_to_the_blueprint() -> None:
    params = cloudformation(render_example("aws-fargate-api"))["Parameters"]
    assert {k: (v["Type"], v["Default"]) for k, v in params.items()} == {
        "LogRetentionDays": ("Number", "365"),
        "WebCpu": ("Number", "512"),
        "WebImageTag": ("String", "1.4.2"),
        "WebMemory": ("Number", "1024"),
        "WebReplicas": ("Number", "3"),
    }
