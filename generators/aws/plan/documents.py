"""The fixed IAM documents: the console MFA policy, the key policy, the bucket policies."""

from __future__ import annotations

from generators.aws.plan.records import Condition, PolicyDoc, Principal, Statement
from generators.aws.values import ACCOUNT, REGION, Value, arn, value


def mfa_policy() -> PolicyDoc:
    """AWS's documented pattern: users manage their own password and MFA; everything else is
    denied until they sign in with MFA."""
    user = arn("iam", "user/${aws:username}", regional=False)
    mfa = arn("iam", "mfa/${aws:username}", regional=False)
    return PolicyDoc(
        (
            Statement(
                "ViewAccountMfaSettings",
                ("iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"),
                ("*",),
            ),
            Statement("ManageOwnVirtualMfaDevice", ("iam:CreateVirtualMFADevice",), (mfa,)),
            Statement(
                "ManageOwnPasswordAndMfa",
                (
                    "iam:ChangePassword",
                    "iam:EnableMFADevice",
                    "iam:GetUser",
                    "iam:ListMFADevices",
                    "iam:ResyncMFADevice",
                ),
                (user,),
            ),
            Statement(
                "DeactivateOwnMfaOnlyWithMfa",
                ("iam:DeactivateMFADevice",),
                (user,),
                conditions=(Condition("Bool", "aws:MultiFactorAuthPresent", ("true",)),),
            ),
            Statement(
                "DenyAllExceptListedWithoutMfa",
                (),
                ("*",),
                effect="Deny",
                not_actions=(
                    "iam:ChangePassword",
                    "iam:CreateVirtualMFADevice",
                    "iam:EnableMFADevice",
                    "iam:GetAccountPasswordPolicy",
                    "iam:GetUser",
                    "iam:ListMFADevices",
                    "iam:ListVirtualMFADevices",
                    "iam:ResyncMFADevice",
                    "sts:GetSessionToken",
                ),
                conditions=(Condition("BoolIfExists", "aws:MultiFactorAuthPresent", ("false",)),),
            ),
        )
    )


def key_policy(services: tuple[str, ...] = ()) -> PolicyDoc:
    """The account administers the key (IAM policies then delegate its use); CloudWatch Logs
    may use it for this account's log groups only; `services` (SNS, EventBridge), which put
    messages into the blueprint's encrypted queues, may use it on this account's behalf only."""
    root = arn("iam", "root", regional=False)
    queues = (
        (
            Statement(
                "ServicesEncryptQueueMessages",
                ("kms:Decrypt", "kms:GenerateDataKey"),
                ("*",),
                principals=(Principal("Service", services),),
                conditions=(Condition("StringEquals", "aws:SourceAccount", (value(ACCOUNT),)),),
            ),
        )
        if services
        else ()
    )
    return PolicyDoc(
        (
            Statement(
                "AccountAdministersKey",
                ("kms:*",),
                ("*",),
                principals=(Principal("AWS", (root,)),),
            ),
            Statement(
                "CloudWatchLogsUsesKey",
                (
                    "kms:Decrypt",
                    "kms:Encrypt",
                    "kms:GenerateDataKey",
                    "kms:ReEncryptFrom",
                    "kms:ReEncryptTo",
                ),
                ("*",),
                principals=(Principal("Service", (value("logs.", REGION, ".amazonaws.com"),)),),
                conditions=(
                    Condition(
                        "StringLike",
                        "kms:EncryptionContext:aws:logs:arn",
                        (arn("logs", "log-group:*"),),
                    ),
                ),
            ),
            *queues,
        )
    )


def tls_only(bucket_arn: Value) -> Statement:
    return Statement(
        "DenyInsecureTransport",
        ("s3:*",),
        (bucket_arn, value(bucket_arn, "/*")),
        effect="Deny",
        principals=(Principal("AWS", ("*",)),),
        conditions=(Condition("Bool", "aws:SecureTransport", ("false",)),),
    )


def bucket_policy(bucket_arn: Value) -> PolicyDoc:
    return PolicyDoc((tls_only(bucket_arn),))


def access_log_bucket_policy(
    log_bucket_arn: Value,
    sources: tuple[Value, ...],
    elb: tuple[tuple[str, str | Value], tuple[str, ...]] | None = None,
) -> PolicyDoc:
    """TLS only; S3 server access logging may write the logs of this account's buckets; with
    `elb` (its principal, and the load balancers' prefixes), Elastic Load Balancing may write
    the access logs of this account's load balancers under their prefixes."""
    statements = [tls_only(log_bucket_arn)]
    if sources:
        statements.append(
            Statement(
                "S3ServerAccessLogsDelivery",
                ("s3:PutObject",),
                (value(log_bucket_arn, "/*"),),
                principals=(Principal("Service", ("logging.s3.amazonaws.com",)),),
                conditions=(
                    Condition("ArnLike", "aws:SourceArn", sources),
                    Condition("StringEquals", "aws:SourceAccount", (value(ACCOUNT),)),
                ),
            )
        )
    if elb is not None:
        (principal_type, principal), prefixes = elb
        statements.append(
            Statement(
                "LoadBalancerAccessLogsDelivery",
                ("s3:PutObject",),
                tuple(
                    value(log_bucket_arn, f"/{prefix}/AWSLogs/", ACCOUNT, "/*")
                    for prefix in prefixes
                ),
                principals=(Principal(principal_type, (principal,)),),
            )
        )
    return PolicyDoc(tuple(statements))
