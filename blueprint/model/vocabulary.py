"""The small closed vocabularies of the model: platforms, clouds, resource kinds, access levels."""

from __future__ import annotations

from enum import StrEnum


class Cloud(StrEnum):
    AWS = "aws"
    AZURE = "azure"
    GCP = "gcp"
    KUBERNETES = "kubernetes"


class Platform(StrEnum):
    AWS_FARGATE = "aws-fargate"
    AZURE_CONTAINER_APPS = "azure-container-apps"
    AZURE_FUNCTIONS = "azure-functions"
    KUBERNETES = "kubernetes"
    CLOUD_RUN = "cloud-run"

    @property
    def cloud(self) -> Cloud:
        return PLATFORM_CLOUD[self]


PLATFORM_CLOUD: dict[Platform, Cloud] = {
    Platform.AWS_FARGATE: Cloud.AWS,
    Platform.AZURE_CONTAINER_APPS: Cloud.AZURE,
    Platform.AZURE_FUNCTIONS: Cloud.AZURE,
    Platform.KUBERNETES: Cloud.KUBERNETES,
    Platform.CLOUD_RUN: Cloud.GCP,
}

# The longest workload name each platform accepts once our prefixes and suffixes are added:
# Azure container apps allow 32 characters, AWS target groups 32 (we add "-tg"), Cloud Run 49.
PLATFORM_NAME_LIMIT: dict[Platform, int] = {
    Platform.AWS_FARGATE: 29,
    Platform.AZURE_CONTAINER_APPS: 32,
    Platform.AZURE_FUNCTIONS: 32,
    Platform.KUBERNETES: 63,
    Platform.CLOUD_RUN: 49,
}


class ResourceKind(StrEnum):
    BUCKET = "bucket"  # S3 bucket, Blob container, GCS bucket
    DATABASE = "database"  # RDS, Cosmos DB, Cloud SQL; `tables` lists its tables
    QUEUE = "queue"  # SQS, Storage queue, Pub/Sub subscription
    BROKER = "broker"  # a Kafka cluster, an Event Grid system topic's source
    TOPIC = "topic"  # a Kafka topic (with `broker`), Event Grid topic, SNS, Pub/Sub topic
    REGISTRY = "registry"  # ECR, ACR, Artifact Registry
    SECRET_STORE = "secret-store"  # Secrets Manager, Key Vault, Secret Manager
    USER_POOL = "user-pool"  # Cognito, Entra External ID
    OCR = "ocr"  # a managed OCR API: Textract, Computer Vision
    CLUSTER = "cluster"  # a container cluster control plane: ECS, AKS, GKE
    IAM = "iam"  # the identity service itself: roles, policies, users
    LOGS = "logs"  # a log store: CloudWatch Logs, Log Analytics


class Access(StrEnum):
    READ = "read"
    WRITE = "write"
    PULL = "pull"
    PUSH = "push"
    PUBLISH = "publish"
    SUBSCRIBE = "subscribe"
    INVOKE = "invoke"
    DEPLOY = "deploy"  # ship code that runs under the target's identity
    MANAGE = "manage"  # create and change the resource itself ("build" in the seed)
    PASS_ROLE = "pass-role"  # hand an identity to a workload
    ADMIN = "admin"  # everything on the resource, including its access policy
    ANY = "*"  # a wildcard: always reported by the policy engine


# Which access levels make sense on which kind of resource. ADMIN, MANAGE and ANY fit all kinds.
KIND_ACCESS: dict[ResourceKind, frozenset[Access]] = {
    ResourceKind.BUCKET: frozenset({Access.READ, Access.WRITE}),
    ResourceKind.DATABASE: frozenset({Access.READ, Access.WRITE}),
    ResourceKind.QUEUE: frozenset({Access.READ, Access.WRITE, Access.PUBLISH, Access.SUBSCRIBE}),
    ResourceKind.BROKER: frozenset({Access.PUBLISH, Access.SUBSCRIBE, Access.READ}),
    ResourceKind.TOPIC: frozenset({Access.PUBLISH, Access.SUBSCRIBE, Access.READ}),
    ResourceKind.REGISTRY: frozenset({Access.READ, Access.PULL, Access.PUSH}),
    ResourceKind.SECRET_STORE: frozenset({Access.READ, Access.WRITE}),
    ResourceKind.USER_POOL: frozenset({Access.READ, Access.WRITE}),
    ResourceKind.OCR: frozenset({Access.INVOKE}),
    ResourceKind.CLUSTER: frozenset({Access.READ, Access.DEPLOY}),
    ResourceKind.IAM: frozenset({Access.READ, Access.PASS_ROLE}),
    ResourceKind.LOGS: frozenset({Access.READ, Access.WRITE}),
}
UNIVERSAL_ACCESS = frozenset({Access.ADMIN, Access.MANAGE, Access.ANY})

# Access levels on a workload (service or job) rather than a resource.
WORKLOAD_ACCESS = frozenset({Access.INVOKE, Access.DEPLOY, Access.ADMIN, Access.ANY})

# Kinds that hold data: they must sit in private subnets and count for blast radius.
DATASTORE_KINDS = frozenset(
    {
        ResourceKind.BUCKET,
        ResourceKind.DATABASE,
        ResourceKind.QUEUE,
        ResourceKind.BROKER,
        ResourceKind.TOPIC,
        ResourceKind.SECRET_STORE,
    }
)


class Output(StrEnum):
    """What a workload's env can take from a resource: its address, name or credentials."""

    HOST = "host"
    PORT = "port"
    NAME = "name"
    USER = "user"
    PASSWORD = "password"  # a secret: rendered as a secret reference, never a value
    URL = "url"
    BOOTSTRAP = "bootstrap"  # a Kafka broker's bootstrap servers


# The outputs each kind of resource offers to connection wiring.
KIND_OUTPUTS: dict[ResourceKind, frozenset[Output]] = {
    ResourceKind.DATABASE: frozenset(
        {Output.HOST, Output.PORT, Output.NAME, Output.USER, Output.PASSWORD}
    ),
    ResourceKind.QUEUE: frozenset({Output.NAME, Output.URL}),
    ResourceKind.TOPIC: frozenset({Output.NAME}),
    ResourceKind.BROKER: frozenset({Output.BOOTSTRAP}),
    ResourceKind.BUCKET: frozenset({Output.NAME}),
    ResourceKind.SECRET_STORE: frozenset({Output.NAME, Output.URL}),
}
