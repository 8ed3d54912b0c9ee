"""IAM in CloudFormation: roles, groups with their managed policies, users."""

from __future__ import annotations

from generators.aws.cloudformation.template import Json, Template, cfn, key_arn, policy, ref
from generators.aws.naming import cfn_id
from generators.aws.plan.records import User


def render_identity(t: Template) -> None:
    for role in t.s.roles:
        props: Json = {
            "RoleName": role.id.name,
            "AssumeRolePolicyDocument": policy(role.trust),
        }
        if role.managed_policies:
            props["ManagedPolicyArns"] = [cfn(m) for m in role.managed_policies]
        if role.policy is not None:
            props["Policies"] = [
                {"PolicyName": role.id.name, "PolicyDocument": policy(role.policy)}
            ]
        t.add(role.id.cfn, "AWS::IAM::Role", props)
    for g in t.s.groups:
        t.add(g.id.cfn, "AWS::IAM::Group", {"GroupName": g.id.name}, description=g.description)
        if g.policy is not None:
            t.add(
                cfn_id(g.id.cfn, "policy"),
                "AWS::IAM::ManagedPolicy",
                {
                    "ManagedPolicyName": g.id.name,
                    "PolicyDocument": policy(g.policy),
                    "Groups": [ref(g.id)],
                },
            )
    for u in t.s.users:
        _user(t, u)


def _user(t: Template, u: User) -> None:
    props: Json = {"UserName": u.id.name, "Groups": [ref(g) for g in u.groups]}
    depends: list[str] = []
    if u.console:
        secret = cfn_id(u.id.cfn, "first", "password")
        secret_name = f"{t.s.name}/console/{u.id.name}"
        t.add(
            secret,
            "AWS::SecretsManager::Secret",
            {
                "Name": secret_name,
                "Description": f"First console password of {u.id.name}; changed at first sign-in",
                "KmsKeyId": key_arn(),
                "GenerateSecretString": {"PasswordLength": 32},
            },
        )
        props["LoginProfile"] = {
            "Password": f"{{{{resolve:secretsmanager:{secret_name}:SecretString}}}}",
            "PasswordResetRequired": True,
        }
        depends.append(secret)
    t.add(u.id.cfn, "AWS::IAM::User", props, depends_on=depends, skips=u.skips)
