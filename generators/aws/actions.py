"""THE mapping (resource kind, access level) -> IAM actions, and on which ARN each applies.

One table, data only. `on` names the part of the resource an action is scoped to:

- "resource": the resource's own ARN (an ECR repository, an S3 bucket, an ECS cluster, ...);
- "objects": the objects in a bucket (`<bucket arn>/*`);
- "streams": the streams of a log group (`<log group arn>:log-stream:*`);
- "services": the ECS services of a cluster (`service/<cluster>/*`);
- "kafka-cluster", "kafka-topics", "kafka-groups": an MSK cluster, the topic (or, for a grant on
  the broker, every topic of it) and the holder's own consumer group;
- "dbuser": the database user the holder connects as with IAM authentication
  (`dbuser:<resource id>/<holder's name>`);
- "account": nothing narrower exists: the action supports no resource-level permission, so its
  resource is "*" (tests/generators/aws/test_actions.py checks this against AWS's data).

`resource_type` is the resource type in AWS's service authorization reference for that ARN,
which the test checks each action supports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from blueprint.model import Access, ResourceKind

On = Literal[
    "resource",
    "objects",
    "streams",
    "services",
    "task-definitions",
    "roles",
    "account",
    "kafka-cluster",
    "kafka-topics",
    "kafka-groups",
    "dbuser",
]


@dataclass(frozen=True)
class Permission:
    actions: tuple[str, ...]
    on: On
    resource_type: str  # "" for on="account"


def _p(on: On, resource_type: str, *actions: str) -> Permission:
    return Permission(tuple(sorted(actions)), on, resource_type)


_ECR_PULL = ("ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer")
_ECR_TOKEN = _p("account", "", "ecr:GetAuthorizationToken")
_ECR_MANAGE = (
    "ecr:CreateRepository",
    "ecr:DeleteLifecyclePolicy",
    "ecr:DeleteRepository",
    "ecr:DescribeRepositories",
    "ecr:GetLifecyclePolicy",
    "ecr:ListTagsForResource",
    "ecr:PutImageScanningConfiguration",
    "ecr:PutImageTagMutability",
    "ecr:PutLifecyclePolicy",
    "ecr:TagResource",
    "ecr:UntagResource",
)
_ECR_POLICY = ("ecr:DeleteRepositoryPolicy", "ecr:GetRepositoryPolicy", "ecr:SetRepositoryPolicy")
_ECR_PUSH = (
    "ecr:CompleteLayerUpload",
    "ecr:InitiateLayerUpload",
    "ecr:PutImage",
    "ecr:UploadLayerPart",
)

_S3_READ_OBJECTS = ("s3:GetObject", "s3:GetObjectVersion")
_S3_READ_BUCKET = ("s3:GetBucketLocation", "s3:ListBucket")
_S3_WRITE_OBJECTS = ("s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject")
_S3_MANAGE = (
    "s3:CreateBucket",
    "s3:DeleteBucket",
    "s3:GetBucketLocation",
    "s3:GetBucketLogging",
    "s3:GetBucketPublicAccessBlock",
    "s3:GetBucketTagging",
    "s3:GetBucketVersioning",
    "s3:GetEncryptionConfiguration",
    "s3:ListBucket",
    "s3:PutBucketLogging",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutBucketTagging",
    "s3:PutBucketVersioning",
    "s3:PutEncryptionConfiguration",
)
# Lifecycle rules expire objects: that is deleting data, so it belongs with admin, not manage.
_S3_LIFECYCLE = ("s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration")
_S3_POLICY = ("s3:DeleteBucketPolicy", "s3:GetBucketPolicy", "s3:PutBucketPolicy")

_ECS_READ_CLUSTER = ("ecs:DescribeClusters",)
_ECS_LIST = _p("account", "", "ecs:DescribeTaskDefinition", "ecs:ListServices")
_ECS_MANAGE = (
    "ecs:CreateCluster",
    "ecs:DeleteCluster",
    "ecs:DescribeClusters",
    "ecs:PutClusterCapacityProviders",
    "ecs:TagResource",
    "ecs:UntagResource",
    "ecs:UpdateCluster",
    "ecs:UpdateClusterSettings",
)

_SECRET_READ = ("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue")
_SECRET_WRITE = ("secretsmanager:PutSecretValue", "secretsmanager:UpdateSecret")

_COGNITO_READ = (
    "cognito-idp:AdminGetUser",
    "cognito-idp:DescribeUserPool",
    "cognito-idp:ListUsers",
)
_COGNITO_WRITE = (
    "cognito-idp:AdminCreateUser",
    "cognito-idp:AdminDeleteUser",
    "cognito-idp:AdminDisableUser",
    "cognito-idp:AdminUpdateUserAttributes",
)

_SQS_READ = ("sqs:GetQueueAttributes", "sqs:GetQueueUrl")
_SQS_SUBSCRIBE = (
    *_SQS_READ,
    "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessage",
    "sqs:ReceiveMessage",
)
_SQS_PUBLISH = (*_SQS_READ, "sqs:SendMessage")

_SNS_READ = ("sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic")

_LOGS_READ_GROUP = ("logs:DescribeLogStreams", "logs:FilterLogEvents")
_LOGS_WRITE = ("logs:CreateLogStream", "logs:PutLogEvents")

_ROLE_READ = (
    "iam:GetRole",
    "iam:GetRolePolicy",
    "iam:ListAttachedRolePolicies",
    "iam:ListRolePolicies",
)

ACTIONS: dict[tuple[ResourceKind, Access], tuple[Permission, ...]] = {
    # ECR: a registry resource is the set of its repositories.
    (ResourceKind.REGISTRY, Access.PULL): (_p("resource", "repository", *_ECR_PULL), _ECR_TOKEN),
    (ResourceKind.REGISTRY, Access.READ): (
        _p(
            "resource",
            "repository",
            *_ECR_PULL,
            "ecr:DescribeImages",
            "ecr:DescribeRepositories",
            "ecr:ListImages",
        ),
        _ECR_TOKEN,
    ),
    (ResourceKind.REGISTRY, Access.PUSH): (
        _p("resource", "repository", *_ECR_PULL, *_ECR_PUSH),
        _ECR_TOKEN,
    ),
    (ResourceKind.REGISTRY, Access.MANAGE): (_p("resource", "repository", *_ECR_MANAGE),),
    (ResourceKind.REGISTRY, Access.ADMIN): (
        _p(
            "resource",
            "repository",
            *_ECR_MANAGE,
            *_ECR_POLICY,
            *_ECR_PULL,
            *_ECR_PUSH,
            "ecr:BatchDeleteImage",
            "ecr:DescribeImages",
            "ecr:ListImages",
        ),
        _ECR_TOKEN,
    ),
    # S3
    (ResourceKind.BUCKET, Access.READ): (
        _p("resource", "bucket", *_S3_READ_BUCKET),
        _p("objects", "object", *_S3_READ_OBJECTS),
    ),
    (ResourceKind.BUCKET, Access.WRITE): (_p("objects", "object", *_S3_WRITE_OBJECTS),),
    (ResourceKind.BUCKET, Access.MANAGE): (_p("resource", "bucket", *_S3_MANAGE),),
    (ResourceKind.BUCKET, Access.ADMIN): (
        _p(
            "resource",
            "bucket",
            *_S3_MANAGE,
            *_S3_LIFECYCLE,
            *_S3_POLICY,
            "s3:ListBucketVersions",
        ),
        _p("objects", "object", *_S3_READ_OBJECTS, *_S3_WRITE_OBJECTS),
    ),
    # ECS: a cluster resource and the services on it.
    (ResourceKind.CLUSTER, Access.READ): (
        _p("resource", "cluster", *_ECS_READ_CLUSTER),
        _p("services", "service", "ecs:DescribeServices"),
        _ECS_LIST,
    ),
    (ResourceKind.CLUSTER, Access.DEPLOY): (
        _p("resource", "cluster", *_ECS_READ_CLUSTER),
        _p("services", "service", "ecs:DescribeServices", "ecs:UpdateService"),
        _p("task-definitions", "task-definition", "ecs:RegisterTaskDefinition"),
        _ECS_LIST,
    ),
    (ResourceKind.CLUSTER, Access.MANAGE): (
        _p("resource", "cluster", *_ECS_MANAGE),
        _p("account", "", "ecs:ListClusters"),
    ),
    (ResourceKind.CLUSTER, Access.ADMIN): (
        _p("resource", "cluster", *_ECS_MANAGE),
        _p(
            "services",
            "service",
            "ecs:CreateService",
            "ecs:DeleteService",
            "ecs:DescribeServices",
            "ecs:UpdateService",
        ),
        _p("task-definitions", "task-definition", "ecs:RegisterTaskDefinition"),
        _p(
            "account",
            "",
            "ecs:DeregisterTaskDefinition",
            "ecs:DescribeTaskDefinition",
            "ecs:ListClusters",
            "ecs:ListServices",
        ),
    ),
    # Secrets Manager: a secret store is the secrets under its name prefix.
    (ResourceKind.SECRET_STORE, Access.READ): (_p("resource", "Secret", *_SECRET_READ),),
    (ResourceKind.SECRET_STORE, Access.WRITE): (_p("resource", "Secret", *_SECRET_WRITE),),
    (ResourceKind.SECRET_STORE, Access.MANAGE): (
        _p(
            "resource",
            "Secret",
            "secretsmanager:CreateSecret",
            "secretsmanager:DeleteSecret",
            "secretsmanager:DescribeSecret",
            "secretsmanager:TagResource",
            "secretsmanager:UpdateSecret",
        ),
    ),
    (ResourceKind.SECRET_STORE, Access.ADMIN): (
        _p(
            "resource",
            "Secret",
            *_SECRET_READ,
            *_SECRET_WRITE,
            "secretsmanager:CreateSecret",
            "secretsmanager:DeleteSecret",
            "secretsmanager:TagResource",
        ),
    ),
    # Cognito user pools.
    (ResourceKind.USER_POOL, Access.READ): (_p("resource", "userpool", *_COGNITO_READ),),
    (ResourceKind.USER_POOL, Access.WRITE): (_p("resource", "userpool", *_COGNITO_WRITE),),
    (ResourceKind.USER_POOL, Access.ADMIN): (
        _p("resource", "userpool", *_COGNITO_READ, *_COGNITO_WRITE),
    ),
    # SQS
    (ResourceKind.QUEUE, Access.READ): (_p("resource", "queue", *_SQS_READ),),
    (ResourceKind.QUEUE, Access.SUBSCRIBE): (_p("resource", "queue", *_SQS_SUBSCRIBE),),
    (ResourceKind.QUEUE, Access.WRITE): (_p("resource", "queue", *_SQS_PUBLISH),),
    (ResourceKind.QUEUE, Access.PUBLISH): (_p("resource", "queue", *_SQS_PUBLISH),),
    # SNS
    (ResourceKind.TOPIC, Access.READ): (_p("resource", "topic", *_SNS_READ),),
    (ResourceKind.TOPIC, Access.PUBLISH): (_p("resource", "topic", "sns:Publish"),),
    (ResourceKind.TOPIC, Access.SUBSCRIBE): (_p("resource", "topic", *_SNS_READ, "sns:Subscribe"),),
    # RDS and Aurora: IAM authentication as the holder's own database user. IAM cannot tell a
    # read from a write; the grants inside the database do.
    (ResourceKind.DATABASE, Access.READ): (_p("dbuser", "db-user", "rds-db:connect"),),
    (ResourceKind.DATABASE, Access.WRITE): (_p("dbuser", "db-user", "rds-db:connect"),),
    # CloudWatch Logs: a log group.
    (ResourceKind.LOGS, Access.READ): (
        _p("resource", "log-group", *_LOGS_READ_GROUP),
        _p("streams", "log-stream", "logs:GetLogEvents"),
    ),
    (ResourceKind.LOGS, Access.WRITE): (_p("streams", "log-stream", *_LOGS_WRITE),),
    # Textract has no resource-level permissions.
    (ResourceKind.OCR, Access.INVOKE): (
        _p("account", "", "textract:AnalyzeDocument", "textract:DetectDocumentText"),
    ),
    # IAM: the roles this blueprint creates.
    (ResourceKind.IAM, Access.READ): (_p("roles", "role", *_ROLE_READ),),
    (ResourceKind.IAM, Access.PASS_ROLE): (_p("roles", "role", "iam:PassRole"),),
}

# Kafka on MSK with IAM authentication: a grant on a topic on a broker (or on the broker: every
# topic of it). Publishers may create their topic: MSK Serverless has no topic resource in
# Terraform or CloudFormation, so the applications create the topics they write.
_KAFKA_CONNECT = _p("kafka-cluster", "cluster", "kafka-cluster:Connect")
KAFKA_ACTIONS: dict[Access, tuple[Permission, ...]] = {
    Access.READ: (
        _p("kafka-cluster", "cluster", "kafka-cluster:Connect", "kafka-cluster:DescribeCluster"),
        _p("kafka-topics", "topic", "kafka-cluster:DescribeTopic"),
    ),
    Access.PUBLISH: (
        _KAFKA_CONNECT,
        _p(
            "kafka-topics",
            "topic",
            "kafka-cluster:CreateTopic",
            "kafka-cluster:DescribeTopic",
            "kafka-cluster:WriteData",
        ),
    ),
    Access.SUBSCRIBE: (
        _KAFKA_CONNECT,
        _p("kafka-topics", "topic", "kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"),
        _p("kafka-groups", "group", "kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"),
    ),
    Access.ANY: (
        _p("kafka-cluster", "cluster", "kafka-cluster:*"),
        _p("kafka-topics", "topic", "kafka-cluster:*"),
        _p("kafka-groups", "group", "kafka-cluster:*"),
    ),
}

# What EventBridge (Scheduler or a rule) needs to start a job's task: run exactly its task
# definition, pass exactly its two roles, and send dead letters to its queue.
RUN_TASK = _p("task-definitions", "task-definition", "ecs:RunTask")
PASS_ROLE = _p("roles", "role", "iam:PassRole")
SEND_DEAD_LETTER = _p("resource", "queue", "sqs:SendMessage")
# A worker consuming its trigger queue.
CONSUME_QUEUE = _p("resource", "queue", *_SQS_SUBSCRIBE)
# A principal that may assume another's role.
ASSUME_ROLE = _p("roles", "role", "sts:AssumeRole")

# Access on a workload (an ECS service) rather than a resource.
WORKLOAD_ACTIONS: dict[Access, tuple[Permission, ...]] = {
    Access.DEPLOY: (
        _p("services", "service", "ecs:DescribeServices", "ecs:UpdateService"),
        _p("task-definitions", "task-definition", "ecs:RegisterTaskDefinition"),
        _p("roles", "role", "iam:PassRole"),
        _p("account", "", "ecs:DescribeTaskDefinition"),
    ),
    Access.ADMIN: (
        _p(
            "services",
            "service",
            "ecs:CreateService",
            "ecs:DeleteService",
            "ecs:DescribeServices",
            "ecs:UpdateService",
        ),
        _p("task-definitions", "task-definition", "ecs:RegisterTaskDefinition"),
        _p("roles", "role", "iam:PassRole"),
        _p("account", "", "ecs:DeregisterTaskDefinition", "ecs:DescribeTaskDefinition"),
    ),
}

# What reading or writing data encrypted with the blueprint's KMS key takes on that key.
KMS_FOR_ACCESS: dict[Access, tuple[str, ...]] = {
    Access.READ: ("kms:Decrypt",),
    Access.SUBSCRIBE: ("kms:Decrypt",),
    Access.WRITE: ("kms:Decrypt", "kms:GenerateDataKey"),
    Access.PUBLISH: ("kms:Decrypt", "kms:GenerateDataKey"),
    Access.ADMIN: ("kms:Decrypt", "kms:GenerateDataKey"),
}
KMS_RESOURCE_TYPE = "key"

# Kinds whose data is encrypted with the blueprint's KMS key.
KMS_ENCRYPTED_KINDS = frozenset(
    {
        ResourceKind.BUCKET,
        ResourceKind.SECRET_STORE,
        ResourceKind.QUEUE,
        ResourceKind.TOPIC,
    }
)

# Every access on a kind: the service's wildcard on the resource (reported by the policy engine).
ANY_ACTION: dict[ResourceKind, tuple[Permission, ...]] = {
    ResourceKind.REGISTRY: (_p("resource", "repository", "ecr:*"),),
    ResourceKind.BUCKET: (_p("resource", "bucket", "s3:*"), _p("objects", "object", "s3:*")),
    ResourceKind.CLUSTER: (_p("resource", "cluster", "ecs:*"),),
    ResourceKind.SECRET_STORE: (_p("resource", "Secret", "secretsmanager:*"),),
    ResourceKind.USER_POOL: (_p("resource", "userpool", "cognito-idp:*"),),
    ResourceKind.QUEUE: (_p("resource", "queue", "sqs:*"),),
    ResourceKind.TOPIC: (_p("resource", "topic", "sns:*"),),
    ResourceKind.LOGS: (_p("resource", "log-group", "logs:*"),),
    ResourceKind.DATABASE: (_p("dbuser", "db-user", "rds-db:*"),),
    ResourceKind.OCR: (_p("account", "", "textract:*"),),
    ResourceKind.IAM: (_p("roles", "role", "iam:*"),),
}

# The execution role's needs: pull its image, write its logs, read its secrets.
EXECUTION_PULL = (_p("resource", "repository", *_ECR_PULL), _ECR_TOKEN)
EXECUTION_LOGS = _p("streams", "log-stream", *_LOGS_WRITE)
EXECUTION_SECRETS = _p("resource", "Secret", "secretsmanager:GetSecretValue")


def all_permissions() -> tuple[Permission, ...]:
    rows = [p for perms in ACTIONS.values() for p in perms]
    rows += [p for perms in WORKLOAD_ACTIONS.values() for p in perms]
    rows += [p for perms in ANY_ACTION.values() for p in perms]
    rows += [*EXECUTION_PULL, EXECUTION_LOGS, EXECUTION_SECRETS]
    rows += [p for perms in KAFKA_ACTIONS.values() for p in perms]
    rows += [RUN_TASK, PASS_ROLE, SEND_DEAD_LETTER, CONSUME_QUEUE, ASSUME_ROLE]
    rows += [
        Permission(tuple(actions), "resource", KMS_RESOURCE_TYPE)
        for actions in KMS_FOR_ACCESS.values()
    ]
    return tuple(rows)
