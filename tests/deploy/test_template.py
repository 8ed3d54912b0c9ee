"""What the test does with a template moto's CloudFormation cannot fully create (no moto
needed): severed references, listed types, probes."""

from __future__ import annotations

from typing import Any

from tests.deploy.template import Prepared, prepare


def _template(resources: dict[str, Any], outputs: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"Resources": resources, "Outputs": outputs or {}}


def test_a_reference_to_an_uncreated_resource_is_severed_and_listed() -> None:
    rendered = _template(
        {
            "Pool": {"Type": "AWS::Cognito::UserPool", "Properties": {}},
            "Queue": {
                "Type": "AWS::SQS::Queue",
                "DependsOn": ["Pool"],
                "Properties": {
                    "QueueName": {"Fn::Sub": "q-${Pool}-${Pool.Arn}-${AWS::Region}"},
                    "Tags": [{"Key": "pool", "Value": {"Fn::GetAtt": ["Pool", "Arn"]}}],
                },
            },
        },
        {"PoolId": {"Value": {"Ref": "Pool"}}, "QueueUrl": {"Value": {"Ref": "Queue"}}},
    )
    prepared = prepare(rendered, frozenset({"AWS::SQS::Queue"}))
    queue = prepared.template["Resources"]["Queue"]
    assert "DependsOn" not in queue
    assert queue["Properties"]["QueueName"] == {
        "Fn::Sub": "q-arn:aws:moto-stripped:::Pool-arn:aws:moto-stripped:::Pool/Arn-${AWS::Region}"
    }
    assert queue["Properties"]["Tags"][0]["Value"] == "arn:aws:moto-stripped:::Pool/Arn"
    assert prepared.dropped_outputs == ["PoolId"]
    assert sorted(prepared.severed) == [
        ("Queue", "${Pool.Arn}"),
        ("Queue", "${Pool}"),
        ("Queue", "Pool.Arn"),
    ]
    assert prepared.summary()[0] == (
        "not created (moto): Pool AWS::Cognito::UserPool: "
        "moto's CloudFormation has no Cognito model"
    )
    assert rendered["Resources"]["Queue"]["DependsOn"] == ["Pool"]  # the render is untouched


def test_an_unlisted_missing_type_fails_the_deployment() -> None:
    prepared = prepare(
        _template({"Thing": {"Type": "AWS::Made::Up", "Properties": {}}}), frozenset()
    )
    assert prepared.unlisted() == ["Thing: AWS::Made::Up"]


def test_applied_resources_are_probed_and_their_properties_kept() -> None:
    prepared: Prepared = prepare(
        _template(
            {
                "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "g"}},
                "Egress": {
                    "Type": "AWS::EC2::SecurityGroupEgress",
                    "Properties": {
                        "GroupId": {"Fn::GetAtt": ["Sg", "GroupId"]},
                        "IpProtocol": "tcp",
                        "FromPort": 80,
                        "ToPort": 80,
                        "CidrIp": "10.0.0.0/8",
                    },
                },
            }
        ),
        frozenset({"AWS::EC2::SecurityGroup"}),
    )
    assert set(prepared.template["Resources"]) == {"Sg"}
    assert prepared.to_apply["Egress"]["Properties"]["FromPort"] == 80
    assert prepared.probes == {'{"Fn::GetAtt":["Sg","GroupId"]}': "MotoProbe0"}
    assert prepared.template["Outputs"]["MotoProbe0"] == {
        "Value": {"Fn::GetAtt": ["Sg", "GroupId"]}
    }


def test_an_attribute_moto_cannot_give_is_severed_and_must_be_listed() -> None:
    rendered = _template(
        {
            "Db": {"Type": "AWS::RDS::DBInstance", "Properties": {}},
            "Task": {
                "Type": "AWS::ECS::TaskDefinition",
                "Properties": {
                    "Secret": {"Fn::GetAtt": ["Db", "MasterUserSecret.SecretArn"]},
                    "Host": {"Fn::GetAtt": ["Db", "Endpoint.Address"]},
                    "Url": {"Fn::Sub": "postgres://${Db.Endpoint.Address}/${Db.Unheard}"},
                },
            },
        }
    )
    prepared = prepare(
        rendered,
        frozenset({"AWS::RDS::DBInstance", "AWS::ECS::TaskDefinition"}),
        lambda rtype, attribute: attribute == "Endpoint.Address",
    )
    task = prepared.template["Resources"]["Task"]["Properties"]
    assert task["Secret"] == "arn:aws:moto-stripped:::Db/MasterUserSecret.SecretArn"
    assert task["Host"] == {"Fn::GetAtt": ["Db", "Endpoint.Address"]}
    assert task["Url"] == {
        "Fn::Sub": "postgres://${Db.Endpoint.Address}/arn:aws:moto-stripped:::Db/Unheard"
    }
    assert prepared.unlisted() == ["Db: AWS::RDS::DBInstance attribute Unheard"]
