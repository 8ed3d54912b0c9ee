"""Storage and data in CloudFormation: ECR repositories, S3 buckets (and the access-log
bucket), secrets, user pools, queues, topics and log groups."""

from __future__ import annotations

import json

from generators.aws.cloudformation.template import (
    Json,
    Template,
    get_att,
    key_arn,
    policy,
    ref,
)
from generators.aws.naming import cfn_id
from generators.aws.plan.constants import ECR_LIFECYCLE, cloudwatch_retention
from generators.aws.plan.documents import bucket_policy
from generators.aws.plan.https import log_bucket_policy
from generators.aws.plan.records import BucketPlan, Named, SimpleResource
from generators.aws.plan.references import bucket_arn


def render_resources(t: Template) -> None:
    for r in t.s.resources:
        _simple(t, r)


def render_repositories(t: Template) -> None:
    for repo in t.s.repositories:
        t.add(
            repo.id.cfn,
            "AWS::ECR::Repository",
            {
                "RepositoryName": repo.id.name,
                "ImageTagMutability": "IMMUTABLE",
                "ImageScanningConfiguration": {"ScanOnPush": True},
                "EncryptionConfiguration": {"EncryptionType": "KMS", "KmsKey": key_arn()},
                "LifecyclePolicy": {
                    "LifecyclePolicyText": json.dumps(ECR_LIFECYCLE, sort_keys=True)
                },
            },
            description=t.s.resource_descriptions.get(repo.registry),
            retain=True,
        )
        t.output(
            cfn_id(repo.id.cfn, "uri"),
            f"ECR repository {repo.id.name}",
            get_att(repo.id, "RepositoryUri"),
        )


def render_buckets(t: Template) -> None:
    for b in t.s.buckets:
        _bucket(t, b)
    if t.s.access_log_bucket is not None:
        _log_bucket(t, t.s.access_log_bucket)


def render_secrets(t: Template) -> None:
    for sec in t.s.secrets:
        t.add(
            sec.id.cfn,
            "AWS::SecretsManager::Secret",
            {
                "Name": sec.id.name,
                "Description": f"Secret {sec.key} in store {sec.store}; "
                "its value is set outside blueprint",
                "KmsKeyId": key_arn(),
            },
            retain=True,
            skips=sec.skips,
        )


def _simple(t: Template, r: SimpleResource) -> None:
    kind = r.kind.value
    if kind == "user-pool":
        _user_pool(t, r)
    elif kind == "topic":
        t.add(
            r.id.cfn,
            "AWS::SNS::Topic",
            {"TopicName": r.id.name, "KmsMasterKeyId": key_arn()},
            description=r.description,
        )
        t.output(cfn_id(r.id.cfn, "arn"), f"SNS topic {r.key}", ref(r.id))
    elif kind == "logs":
        t.log_group(r.id, cloudwatch_retention(r.retention_days) if r.retention_days else None)
        t.resources[r.id.cfn].setdefault("Metadata", {})
        if r.description is not None:
            t.resources[r.id.cfn]["Metadata"]["Blueprint"] = {"Description": r.description}
        if not t.resources[r.id.cfn]["Metadata"]:
            del t.resources[r.id.cfn]["Metadata"]


def _bucket_properties(named: Named, *, kms: bool, expiry: int | None) -> Json:
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


def _bucket(t: Template, b: BucketPlan) -> None:
    assert t.s.access_log_bucket is not None
    props = _bucket_properties(b.id, kms=True, expiry=b.retention_days)
    props["LoggingConfiguration"] = {
        "DestinationBucketName": ref(t.s.access_log_bucket),
        "LogFilePrefix": f"{b.id.name}/",
    }
    if b.events:  # a job consumes its object events
        props["NotificationConfiguration"] = {
            "EventBridgeConfiguration": {"EventBridgeEnabled": True}
        }
    t.add(b.id.cfn, "AWS::S3::Bucket", props, description=b.description, retain=True, skips=b.skips)
    t.add(
        cfn_id(b.id.cfn, "policy"),
        "AWS::S3::BucketPolicy",
        {"Bucket": ref(b.id), "PolicyDocument": policy(bucket_policy(bucket_arn(b.id)))},
    )
    t.output(cfn_id(b.id.cfn, "name"), f"S3 bucket {b.key}", ref(b.id))


def _log_bucket(t: Template, named: Named) -> None:
    props = _bucket_properties(
        named, kms=False, expiry=cloudwatch_retention(t.s.log_retention_days)
    )
    t.add(named.cfn, "AWS::S3::Bucket", props, skips=t.s.access_log_bucket_skips, retain=True)
    doc = log_bucket_policy(t.s)
    assert doc is not None  # the plan has a log bucket
    t.add(
        cfn_id(named.cfn, "policy"),
        "AWS::S3::BucketPolicy",
        {"Bucket": ref(named), "PolicyDocument": policy(doc)},
    )


def _user_pool(t: Template, r: SimpleResource) -> None:
    t.add(
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
    t.output(cfn_id(r.id.cfn, "id"), f"Cognito user pool {r.key}", ref(r.id))
