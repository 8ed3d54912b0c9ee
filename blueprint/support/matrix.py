"""The support matrix: for every concept the model can express and every target, whether it is
rendered (and as what), rendered with a note (part of it is not), or refused (and why).

This is the one place that says what blueprint renders. Validation refuses the refused cells a
blueprint uses (`refusals.py`), `blueprint check` reports the noted ones, `docs/support.md` is
generated from it, and a test renders a minimal blueprint for every cell. When a generator learns
a concept, its cell here changes and everything else follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from blueprint.model import Access, Cloud, Platform, ResourceKind

Status = Literal["rendered", "noted", "refused"]
Axis = Literal["platform", "cloud"]

PLATFORMS: tuple[str, ...] = tuple(p.value for p in Platform)
CLOUDS: tuple[str, ...] = tuple(c.value for c in Cloud)
DOCS = "docs/support.md"


@dataclass(frozen=True)
class Cell:
    status: Status
    text: str  # what it becomes (rendered, noted) or why not (refused)
    yet: bool = False  # refused only until a generator renders it

    def message(self, subject: str, title: str, target: str) -> str:
        """The validation error (refused) or the note (noted) for one use of a concept."""
        if self.status == "refused" and self.yet:
            return f"{subject}: {title} is not rendered for {target} yet (see {DOCS})"
        if self.status == "refused":
            return f"{subject}: {title} is not rendered for {target}: {self.text} (see {DOCS})"
        return f"{subject}: {title} is not fully rendered for {target}: {self.text}"


def rendered(text: str) -> Cell:
    return Cell("rendered", text)


def noted(text: str) -> Cell:
    return Cell("noted", text)


def refused(text: str) -> Cell:
    return Cell("refused", text)


def not_yet(text: str) -> Cell:
    return Cell("refused", text, yet=True)


@dataclass(frozen=True)
class Concept:
    id: str
    title: str  # as it reads in a message: "kind database", "a job with a schedule trigger"
    section: str  # the heading it is listed under in docs/support.md
    axis: Axis
    cells: dict[str, Cell]  # target -> cell; a target not listed does not apply


def _kind(kind: ResourceKind, aws: Cell, azure: Cell, gcp: Cell, kubernetes: Cell) -> Concept:
    return Concept(
        f"resource-{kind.value}",
        f"kind {kind.value}",
        "Resources",
        "cloud",
        {"aws": aws, "azure": azure, "gcp": gcp, "kubernetes": kubernetes},
    )


_EXTERNAL = rendered(
    "an external endpoint: nothing is created; the workloads that use it get egress to it"
)

CONCEPTS: tuple[Concept, ...] = (
    # -- workloads ---------------------------------------------------------------------------
    Concept(
        "service",
        "a service",
        "Workloads",
        "platform",
        {
            "aws-fargate": rendered("an ECS service and task definition"),
            "azure-container-apps": rendered("a container app"),
            "azure-functions": refused(
                "a Function App runs triggered code, not a long-running service with a port; "
                "run it on azure-container-apps"
            ),
            "cloud-run": rendered("a Cloud Run service"),
            "kubernetes": rendered("a Deployment and a Service (Helm release and manifests)"),
        },
    ),
    Concept(
        "job-schedule",
        "a job with a schedule trigger",
        "Workloads",
        "platform",
        {
            "aws-fargate": rendered(
                "an EventBridge Scheduler schedule running an ECS task, with its own role, "
                "retries and a dead-letter queue"
            ),
            "azure-container-apps": rendered("a Container Apps job with a schedule trigger"),
            "azure-functions": noted(
                "the Function App is rendered; the schedule is its timer trigger, which lives "
                "in the function's code"
            ),
            "cloud-run": rendered(
                "a Cloud Run job started by Cloud Scheduler with its own service account"
            ),
            "kubernetes": rendered("a CronJob"),
        },
    ),
    Concept(
        "job-topic",
        "a job with a topic trigger",
        "Workloads",
        "platform",
        {
            "aws-fargate": rendered(
                "an ECS service consuming SQS (a queue, or a topic's subscription queue, with a "
                "dead-letter queue) or MSK"
            ),
            "azure-container-apps": rendered(
                "an event-driven Container Apps job: a KEDA scaler on its Service Bus queue or "
                "subscription, or event hub, authenticated with the job's identity"
            ),
            "azure-functions": rendered(
                "a Function App with an identity-based trigger connection to the account or "
                "namespace of its queue or topic, and the role that reads it"
            ),
            "cloud-run": rendered(
                "a Cloud Run job with a pull subscription, started by Eventarc through a workflow"
            ),
            "kubernetes": rendered("a Deployment"),
        },
    ),
    Concept(
        "job-event",
        "a job with an object event trigger",
        "Workloads",
        "platform",
        {
            "aws-fargate": rendered(
                "S3 events through an EventBridge rule running an ECS task, with retries and a "
                "dead-letter queue"
            ),
            "azure-container-apps": rendered(
                "an Event Grid system topic delivering the event into a queue; a Container "
                "Apps job scaled on it by KEDA with the job's identity"
            ),
            "azure-functions": rendered(
                "an Event Grid system topic delivering BlobCreated into a queue the Function "
                "App consumes"
            ),
            "cloud-run": rendered(
                "a Cloud Run job started by an Eventarc trigger on the bucket through a workflow "
                "(the object's bucket and name as environment overrides)"
            ),
            "kubernetes": noted(
                "a Deployment; nothing subscribes it to the bucket's events (the image must)"
            ),
        },
    ),
    Concept(
        "job-scaling",
        "autoscaling of a worker (scaling on a job)",
        "Workloads",
        "platform",
        {
            "aws-fargate": rendered(
                "Application Auto Scaling target tracking on the queue's waiting messages or the "
                "Kafka consumer lag"
            ),
            "azure-container-apps": not_yet("a KEDA scale rule is planned"),
            "azure-functions": not_yet("the Functions scale controller settings are planned"),
            "cloud-run": not_yet("instance bounds are planned"),
            "kubernetes": rendered(
                "a KEDA ScaledObject with a kafka trigger on the topic's broker"
            ),
        },
    ),
    Concept(
        "health",
        "a health check",
        "Workloads",
        "platform",
        {
            "aws-fargate": rendered("a container health check and the target group's check"),
            "azure-container-apps": rendered("liveness and readiness probes"),
            "cloud-run": rendered("startup and liveness probes"),
            "kubernetes": rendered("liveness and readiness probes"),
        },
    ),
    Concept(
        "metrics",
        "a metrics endpoint",
        "Workloads",
        "platform",
        {
            "aws-fargate": rendered("a Prometheus scrape job and a Grafana dashboard"),
            "azure-container-apps": rendered("a Prometheus scrape job and a Grafana dashboard"),
            "cloud-run": rendered("a Prometheus scrape job and a Grafana dashboard"),
            "kubernetes": rendered("a ServiceMonitor and a Grafana dashboard"),
        },
    ),
    Concept(
        "scaling",
        "autoscaling (scaling)",
        "Workloads",
        "platform",
        {
            "aws-fargate": rendered("Application Auto Scaling target tracking on CPU"),
            "azure-container-apps": rendered("min and max replicas and a CPU scale rule"),
            "cloud-run": rendered("min and max instances"),
            "kubernetes": rendered("a HorizontalPodAutoscaler"),
        },
    ),
    Concept(
        "secrets",
        "secret references",
        "Workloads",
        "platform",
        {
            "aws-fargate": rendered("Secrets Manager ARNs in the task definition"),
            "azure-container-apps": rendered("Key Vault references"),
            "azure-functions": rendered("Key Vault references in app settings"),
            "cloud-run": rendered("Secret Manager references"),
            "kubernetes": rendered("secretKeyRef to a Secret named after the store"),
        },
    ),
    Concept(
        "env-output",
        "an env value from a resource output",
        "Workloads",
        "platform",
        {
            "aws-fargate": rendered(
                "a Terraform attribute or Fn::GetAtt/Ref; a database password as an ECS secret "
                "from the RDS-managed secret"
            ),
            "azure-container-apps": rendered(
                "a Bicep reference to the resource (not password: Entra ID tokens only)"
            ),
            "azure-functions": rendered(
                "a Bicep reference to the resource in an app setting (not password: Entra ID "
                "tokens only)"
            ),
            "cloud-run": rendered(
                "Terraform references to the resource's attributes; the same values in the YAML "
                "(a database's password is refused: IAM database authentication has none)"
            ),
            "kubernetes": rendered(
                "a value for what the blueprint states (name, an endpoint's host, port and "
                "bootstrap), else a secretKeyRef into <workload>-<resource>, filled by an "
                "ExternalSecret when a secret store is declared"
            ),
        },
    ),
    Concept(
        "subnets",
        "placement in subnets",
        "Workloads",
        "platform",
        {
            "aws-fargate": rendered("the ECS service's subnets"),
            "azure-container-apps": rendered("a Container Apps environment in the subnet"),
            "azure-functions": rendered("VNet integration"),
            "cloud-run": rendered("Direct VPC egress"),
            "kubernetes": noted("pods run in the cluster's own network; the subnets are not used"),
        },
    ),
    Concept(
        "service-allow-from",
        "allow_from on a service",
        "Workloads",
        "platform",
        {
            "aws-fargate": rendered("security group rules"),
            "azure-container-apps": refused(
                "Container Apps filter traffic at their ingress; put allow_from on the http "
                "ingress that reaches it"
            ),
            "cloud-run": refused(
                "Cloud Run has no firewall of its own; put allow_from on the http ingress with a "
                "host in front of it (Cloud Armor on its load balancer)"
            ),
            "kubernetes": rendered("NetworkPolicy ingress rules"),
        },
    ),
    Concept(
        "expose",
        "expose type node-port or load-balancer",
        "Workloads",
        "platform",
        {
            "aws-fargate": refused(
                "expose is a Kubernetes Service type; use a load-balancer ingress"
            ),
            "azure-container-apps": refused(
                "expose is a Kubernetes Service type; use an http ingress"
            ),
            "cloud-run": refused("expose is a Kubernetes Service type; use an http ingress"),
            "kubernetes": rendered("a NodePort or LoadBalancer Service"),
        },
    ),
    # -- resources ---------------------------------------------------------------------------
    _kind(
        ResourceKind.BUCKET,
        rendered("an S3 bucket (KMS, versioning, TLS only, access logs)"),
        rendered("a blob container"),
        rendered("a Cloud Storage bucket (uniform access, public access prevention, versions)"),
        _EXTERNAL,
    ),
    _kind(
        ResourceKind.DATABASE,
        rendered(
            "an RDS instance or Aurora cluster in private subnets: KMS, IAM authentication, "
            "the master password managed by RDS in Secrets Manager, logs to CloudWatch"
        ),
        rendered("a Cosmos DB database, a container per table"),
        rendered("a Cloud SQL instance: private IP only, IAM database authentication, PITR"),
        _EXTERNAL,
    ),
    _kind(
        ResourceKind.QUEUE,
        rendered("an SQS queue with a dead-letter queue (KMS)"),
        rendered("a Service Bus queue when a Container Apps job consumes it, else a storage queue"),
        rendered("a Pub/Sub topic and one subscription its consumers share, dead-lettered"),
        _EXTERNAL,
    ),
    _kind(
        ResourceKind.BROKER,
        rendered("MSK Serverless with IAM authentication in private subnets"),
        rendered("an Event Hubs namespace with its Kafka endpoint, local auth off"),
        not_yet("Managed Service for Apache Kafka is planned"),
        _EXTERNAL,
    ),
    _kind(
        ResourceKind.TOPIC,
        rendered("an SNS topic (KMS), an SQS subscription queue per subscriber job"),
        rendered("a Service Bus topic, a subscription per subscriber"),
        rendered("a Pub/Sub topic, a dead-lettered subscription per subscriber"),
        _EXTERNAL,
    ),
    Concept(
        "resource-topic-on-broker",
        "a topic on a broker",
        "Resources",
        "cloud",
        {
            "aws": rendered(
                "a topic on MSK Serverless: kafka-cluster actions scoped to its topic ARN"
            ),
            "azure": rendered("an event hub, a consumer group per consumer"),
            "kubernetes": _EXTERNAL,
        },
    ),
    _kind(
        ResourceKind.REGISTRY,
        rendered("ECR repositories"),
        rendered("an Azure Container Registry"),
        rendered("an Artifact Registry repository"),
        rendered("an external registry; images name their registry host"),
    ),
    _kind(
        ResourceKind.SECRET_STORE,
        rendered("Secrets Manager secrets, one per referenced key (no value)"),
        rendered("a Key Vault"),
        rendered("Secret Manager secrets, one per referenced key (no value)"),
        rendered("Secrets named after the store, provided by your secret operator"),
    ),
    _kind(
        ResourceKind.USER_POOL,
        rendered("a Cognito user pool"),
        not_yet("Entra External ID is planned"),
        not_yet("Identity Platform is planned"),
        _EXTERNAL,
    ),
    _kind(
        ResourceKind.OCR,
        rendered("IAM grants on Textract (a managed API: nothing to create)"),
        rendered("a Computer Vision account"),
        not_yet("the Vision API is planned"),
        _EXTERNAL,
    ),
    _kind(
        ResourceKind.CLUSTER,
        rendered("the ECS cluster services run on"),
        not_yet("AKS is planned"),
        not_yet("GKE is planned"),
        rendered("the cluster itself: a grant on it mounts the ServiceAccount token"),
    ),
    _kind(
        ResourceKind.IAM,
        rendered("IAM grants on the account's IAM (nothing to create)"),
        not_yet("Entra role management grants are planned"),
        not_yet("IAM admin grants are planned"),
        _EXTERNAL,
    ),
    _kind(
        ResourceKind.LOGS,
        rendered("a CloudWatch log group"),
        not_yet("a Log Analytics workspace is planned"),
        not_yet("a Cloud Logging bucket is planned"),
        _EXTERNAL,
    ),
    Concept(
        "database-engine-postgres",
        "a postgres database (engine postgres)",
        "Resources",
        "cloud",
        {
            "aws": rendered("an RDS for PostgreSQL instance"),
            "azure": rendered(
                "Azure Database for PostgreSQL flexible server: Entra ID only, a delegated "
                "subnet and private DNS zone"
            ),
            "gcp": rendered("Cloud SQL for PostgreSQL (IAM database authentication)"),
            "kubernetes": _EXTERNAL,
        },
    ),
    Concept(
        "database-engine-mysql",
        "a mysql database (engine mysql)",
        "Resources",
        "cloud",
        {
            "aws": rendered("an RDS for MySQL instance"),
            "azure": rendered(
                "Azure Database for MySQL flexible server: Entra ID only, a delegated subnet "
                "and private DNS zone"
            ),
            "gcp": rendered("Cloud SQL for MySQL (IAM database authentication)"),
            "kubernetes": _EXTERNAL,
        },
    ),
    Concept(
        "database-engine-aurora-postgresql",
        "an Aurora PostgreSQL database (engine aurora-postgresql)",
        "Resources",
        "cloud",
        {
            "aws": rendered("an Aurora PostgreSQL cluster and its instances"),
            "azure": refused("Aurora is an AWS engine; use engine postgres"),
            "gcp": refused("Aurora is an AWS engine; use engine postgres"),
            "kubernetes": _EXTERNAL,
        },
    ),
    Concept(
        "database-engine-redis",
        "a redis database (engine redis)",
        "Resources",
        "cloud",
        {
            "aws": refused("ElastiCache is not rendered; run Redis elsewhere or use postgres"),
            "azure": not_yet("Azure Cache for Redis is planned"),
            "gcp": not_yet("Memorystore is planned"),
            "kubernetes": _EXTERNAL,
        },
    ),
    Concept(
        "resource-endpoint",
        "an external endpoint (endpoint)",
        "Resources",
        "cloud",
        {
            "aws": noted("the cloud creates the resource; its endpoint comes from it"),
            "azure": noted("the cloud creates the resource; its endpoint comes from it"),
            "gcp": noted("the cloud creates the resource; its endpoint comes from it"),
            "kubernetes": rendered("egress to exactly its CIDR (or any address) and port"),
        },
    ),
    Concept(
        "resource-public",
        "a public resource (public: true)",
        "Resources",
        "cloud",
        {
            "aws": refused("buckets stay private behind a public access block"),
            "azure": refused("storage accounts allow no public blob access"),
            "gcp": not_yet("public Artifact Registry repositories are planned"),
            "kubernetes": noted("an external endpoint: blueprint does not change its exposure"),
        },
    ),
    Concept(
        "resource-subnets",
        "a resource in subnets",
        "Resources",
        "cloud",
        {
            "aws": not_yet("VPC endpoints are planned"),
            "azure": rendered("a private endpoint and private DNS zone; public access off"),
            "gcp": noted(
                "a Cloud SQL database's subnets choose the network its private IP is on (from "
                "the private services range, not the subnet); other kinds do not use them"
            ),
            "kubernetes": noted("an external endpoint: its subnets only inform the checks"),
        },
    ),
    Concept(
        "resource-retention",
        "data retention (retention_days)",
        "Resources",
        "cloud",
        {
            "aws": noted(
                "rendered for buckets, log groups and queues (SQS keeps at most 14 days), not "
                "for this kind or length"
            ),
            "azure": not_yet("lifecycle management policies are planned"),
            "gcp": not_yet("cleanup policies are planned"),
            "kubernetes": noted("an external endpoint: blueprint does not set its retention"),
        },
    ),
    # -- networks ----------------------------------------------------------------------------
    Concept(
        "network",
        "a network",
        "Networks",
        "cloud",
        {
            "aws": rendered("a VPC, subnets, route tables, flow logs"),
            "azure": rendered("a VNet, subnets and an NSG per subnet"),
            "gcp": rendered("a VPC network, subnetworks and a deny-all ingress firewall"),
        },
    ),
    Concept(
        "nat",
        "a NAT gateway (nat)",
        "Networks",
        "cloud",
        {
            "aws": rendered("a NAT gateway with its EIP"),
            "azure": not_yet("a NAT gateway is planned"),
            "gcp": rendered("a Cloud Router and Cloud NAT"),
        },
    ),
    Concept(
        "peering",
        "network peering (peers)",
        "Networks",
        "cloud",
        {
            "aws": not_yet("VPC peering is planned"),
            "azure": not_yet("VNet peering is planned"),
            "gcp": not_yet("VPC peering is planned"),
        },
    ),
    # -- ingress -----------------------------------------------------------------------------
    Concept(
        "ingress-api-gateway",
        "an ingress of kind api-gateway",
        "Ingress",
        "cloud",
        {
            "aws": rendered("an HTTP API with a VPC link to its load balancers"),
            "azure": not_yet("API Management is planned"),
            "gcp": not_yet("API Gateway is planned"),
            "kubernetes": refused("use an ingress of kind http (a Kubernetes Ingress)"),
        },
    ),
    Concept(
        "ingress-load-balancer",
        "an ingress of kind load-balancer",
        "Ingress",
        "cloud",
        {
            "aws": rendered("a network or application load balancer, listeners, target groups"),
            "azure": noted(
                "no load balancer is created; the container app's own ingress serves the port"
            ),
            "gcp": noted(
                "no load balancer is created; only the Cloud Run ingress setting follows from it"
            ),
            "kubernetes": noted(
                "no load balancer is created; NetworkPolicies admit it (use expose or http)"
            ),
        },
    ),
    Concept(
        "ingress-http",
        "an ingress of kind http",
        "Ingress",
        "cloud",
        {
            "aws": refused("use an ingress of kind load-balancer with type application"),
            "azure": rendered("the container app's external ingress"),
            "gcp": rendered("Cloud Run ingress and, when public, allUsers as invoker"),
            "kubernetes": rendered("an Ingress per routed service"),
        },
    ),
    Concept(
        "ingress-host",
        "a custom host (host)",
        "Ingress",
        "cloud",
        {
            "aws": rendered(
                "the certificate's name and a Route 53 alias in the tls zone (on a load "
                "balancer or an HTTP API custom domain)"
            ),
            "azure": rendered(
                "a managed certificate and custom domain on the app at `/`; the validation "
                "records as outputs, or in the Azure DNS zone tls.zone names"
            ),
            "gcp": rendered(
                "a global external Application Load Balancer with serverless NEGs, a "
                "Google-managed certificate and an HTTP to HTTPS redirect"
            ),
            "kubernetes": rendered("the Ingress host"),
        },
    ),
    Concept(
        "ingress-lb-host",
        "a host or tls on a load balancer",
        "Ingress",
        "cloud",
        {
            "azure": refused("no load balancer is created; put host on an http ingress"),
            "gcp": refused("no load balancer is created; put host on an http ingress"),
            "kubernetes": refused("no load balancer is created; put host on an http ingress"),
        },
    ),
    Concept(
        "ingress-tls",
        "TLS (tls)",
        "Ingress",
        "cloud",
        {
            "aws": rendered(
                "an ACM certificate (DNS validation in the zone, or an existing ARN), an HTTPS "
                "listener with a TLS 1.3 policy and an HTTP redirect, or an API custom domain"
            ),
            "azure": rendered(
                "a Container Apps managed certificate; its DNS records in the Azure DNS zone "
                "tls.zone names"
            ),
            "gcp": rendered(
                "a Google-managed certificate (or the named certificate) on the host's load "
                "balancer, and its A record in the zone when one is named"
            ),
            "kubernetes": rendered(
                "the Ingress TLS section: cert-manager's cluster-issuer annotation, or the "
                "existing Secret named by certificate"
            ),
        },
    ),
    Concept(
        "ingress-tls-secret",
        "a TLS secret (tls_secret)",
        "Ingress",
        "cloud",
        {
            "azure": refused("Container Apps use managed certificates, not Kubernetes secrets"),
            "gcp": refused("Cloud Run uses managed certificates, not Kubernetes secrets"),
            "kubernetes": rendered("the Ingress TLS section"),
        },
    ),
    Concept(
        "ingress-https",
        "port 443 without tls on an internet-facing load balancer",
        "Ingress",
        "cloud",
        {
            "aws": refused(
                "expected tls: {certificate: managed, zone: ZONE} and host, the certificate "
                "the HTTPS listener serves (plaintext on the TLS port)"
            ),
        },
    ),
    Concept(
        "ingress-private",
        "a private ingress (public: false)",
        "Ingress",
        "cloud",
        {
            "aws": refused("HTTP APIs are always public"),
            "azure": rendered("internal ingress"),
            "gcp": rendered("ingress internal-and-cloud-load-balancing"),
            "kubernetes": noted("an Ingress has no portable field for it; your controller decides"),
        },
    ),
    Concept(
        "ingress-allow-from",
        "allow_from on an ingress",
        "Ingress",
        "cloud",
        {
            "aws": rendered("the load balancer's security group rules"),
            "azure": rendered("IP security restrictions on the container app's ingress"),
            "gcp": rendered("a Cloud Armor policy on the load balancer of the ingress's host"),
            "kubernetes": noted("an Ingress has no portable field for it; your controller decides"),
        },
    ),
    Concept(
        "api-allow-from",
        "allow_from on an api-gateway",
        "Ingress",
        "cloud",
        {
            "aws": refused(
                "HTTP APIs have no resource policy or WAF; put the rule on its load balancer"
            ),
        },
    ),
    Concept(
        "api-auth",
        "JWT auth on an api-gateway",
        "Ingress",
        "cloud",
        {"aws": rendered("a JWT authorizer on the Cognito user pool, with an app client")},
    ),
    # -- identity ----------------------------------------------------------------------------
    Concept(
        "people",
        "a grant to a person or automation identity",
        "Identity",
        "cloud",
        {
            "aws": rendered("IAM users in a group per scope, a policy per group"),
            "azure": noted("people and automation identities are rendered for aws only"),
            "gcp": noted("people and automation identities are rendered for aws only"),
            "kubernetes": noted("people and automation identities are rendered for aws only"),
        },
    ),
    Concept(
        "can-assume",
        "can_assume between principals",
        "Identity",
        "cloud",
        {
            "aws": rendered(
                "the assumed principal's role trusts exactly the principals that may assume it; "
                "each of them may call sts:AssumeRole on that role only"
            ),
            "azure": noted("the rules check it; nothing is rendered for it"),
            "gcp": noted("the rules check it; nothing is rendered for it"),
            "kubernetes": noted("the rules check it; nothing is rendered for it"),
        },
    ),
    Concept(
        "cross-cloud-grant",
        "a grant on a resource of another cloud",
        "Identity",
        "cloud",
        {
            "aws": noted("the workload's role gets no access on another cloud"),
            "azure": refused("the workload's identity can be granted Azure resources only"),
            "gcp": noted("the workload's service account gets no access on another cloud"),
            "kubernetes": noted("a Kubernetes workload has no cloud identity to grant"),
        },
    ),
    Concept(
        "wildcard-grant",
        "a wildcard grant",
        "Identity",
        "cloud",
        {
            "aws": rendered("a statement on '*' (BP1001 reports it)"),
            "azure": refused("Azure renders only named grants of one built-in role"),
            "gcp": noted("never rendered; BP1001 reports it"),
            "kubernetes": noted("never rendered; BP1001 reports it"),
        },
    ),
)


def _serving(
    id_: str, title: str, fargate: Cell, container_apps: Cell, cloud_run: Cell, kubernetes: Cell
) -> Concept:
    return Concept(
        id_,
        title,
        "Workloads",
        "platform",
        {
            "aws-fargate": fargate,
            "azure-container-apps": container_apps,
            "cloud-run": cloud_run,
            "kubernetes": kubernetes,
        },
    )


# What a service serves and keeps (blueprint/model/health.py and serving.py): probe kinds,
# ports, storage, limits and autoscaling signals beyond CPU.
SERVING: tuple[Concept, ...] = (
    _serving(
        "health-http-headers",
        "HTTP headers on a health check",
        not_yet("the target group's health check sends no custom headers"),
        not_yet("httpHeaders on the container app's probes are planned"),
        not_yet("httpHeaders on the Cloud Run probes are planned"),
        rendered("httpHeaders on the httpGet probes"),
    ),
    _serving(
        "health-grpc",
        "a gRPC health check",
        not_yet("a gRPC target group health check is planned"),
        refused("Container Apps probes are HTTP or TCP; declare kind http or tcp"),
        not_yet("grpc startup and liveness probes are planned"),
        rendered("grpc probes (the gRPC health checking protocol)"),
    ),
    _serving(
        "health-tcp",
        "a TCP health check",
        not_yet("a TCP target group health check is planned"),
        not_yet("tcpSocket probes are planned"),
        not_yet("a tcpSocket startup probe is planned"),
        rendered("tcpSocket probes"),
    ),
    _serving(
        "health-exec",
        "a command health check",
        not_yet("an ECS container health check command is planned"),
        refused("Container Apps probes are HTTP or TCP; declare kind http or tcp"),
        refused("Cloud Run probes are HTTP, gRPC or TCP; declare one of those kinds"),
        rendered("exec probes"),
    ),
    _serving(
        "health-timings",
        "startup, readiness or liveness timings",
        not_yet("per-probe timings are planned"),
        not_yet("per-probe timings are planned"),
        not_yet("per-probe timings are planned"),
        rendered("the startup, readiness and liveness probes' timings"),
    ),
    _serving(
        "service-port",
        "a service_port apart from port",
        refused("ECS reaches the container port; a load balancer sets its own listener port"),
        refused("a container app's ingress maps its own port to the target port"),
        refused("Cloud Run serves HTTPS on 443 and routes to the container port"),
        rendered("the Service port, targeting the named container port"),
    ),
    _serving(
        "named-ports",
        "more named ports (ports)",
        not_yet("more port mappings are planned"),
        not_yet("additional port mappings are planned"),
        refused("a Cloud Run service receives requests on one port"),
        rendered("named container and Service ports"),
    ),
    _serving(
        "app-protocol",
        "an application protocol (app_protocol)",
        not_yet("the target group protocol version is planned"),
        not_yet("the ingress transport is planned"),
        not_yet("the h2c port name is planned"),
        rendered("the Service port's appProtocol"),
    ),
    _serving(
        "service-without-port",
        "a service without a port",
        not_yet("an ECS service without port mappings is planned"),
        not_yet("a container app without ingress is planned"),
        refused("Cloud Run routes requests to a port; run it on another platform"),
        rendered("a Deployment without a Service or probes on a port"),
    ),
    _serving(
        "writable-paths",
        "writable paths",
        not_yet("task volumes are planned"),
        not_yet("EmptyDir volumes are planned"),
        not_yet("in-memory volumes are planned"),
        rendered("emptyDir volumes with a size limit under the read-only root"),
    ),
    _serving(
        "storage",
        "persistent storage",
        not_yet("EFS volumes are planned"),
        not_yet("Azure Files volumes are planned"),
        refused("Cloud Run instances have no persistent volumes; use a bucket or a database"),
        rendered("a StatefulSet with a volume claim per replica and a headless Service"),
    ),
    Concept(
        "limits",
        "limits apart from requests",
        "Workloads",
        "platform",
        {
            "aws-fargate": refused("a Fargate task's size is both its reservation and its limit"),
            "azure-container-apps": refused(
                "a container app's cpu and memory are its fixed allocation"
            ),
            "azure-functions": refused("a Function App's plan sets its size"),
            "cloud-run": refused("Cloud Run sets limits only; cpu and memory are those limits"),
            "kubernetes": rendered("container limits apart from its requests"),
        },
    ),
    _serving(
        "scaling-memory",
        "autoscaling on memory",
        not_yet("memory target tracking is planned"),
        not_yet("a memory scale rule is planned"),
        refused("Cloud Run scales on requests and CPU"),
        rendered("a memory utilisation metric on the HorizontalPodAutoscaler"),
    ),
    _serving(
        "scaling-metric",
        "autoscaling on a custom metric",
        not_yet("custom metric target tracking is planned"),
        not_yet("a custom scale rule is planned"),
        refused("Cloud Run scales on requests and CPU"),
        rendered("a Pods metric on the HorizontalPodAutoscaler"),
    ),
)

_NO_KUBERNETES_OBJECTS = refused(
    "only workloads on the kubernetes platform are rendered as Kubernetes objects"
)

# The escape hatch (blueprint/model/overrides.py): each target's native mechanism.
OVERRIDES: tuple[Concept, ...] = (
    Concept(
        "override-labels",
        "an extra Kubernetes label or annotation",
        "Overrides",
        "cloud",
        {
            "aws": _NO_KUBERNETES_OBJECTS,
            "azure": _NO_KUBERNETES_OBJECTS,
            "gcp": _NO_KUBERNETES_OBJECTS,
            "kubernetes": rendered(
                "extra labels on every object of the workload, extra annotations on its "
                "Deployment or CronJob, in the chart values and the manifests alike"
            ),
        },
    ),
    Concept(
        "override-patches",
        "a Kubernetes patch",
        "Overrides",
        "cloud",
        {
            "aws": _NO_KUBERNETES_OBJECTS,
            "azure": _NO_KUBERNETES_OBJECTS,
            "gcp": _NO_KUBERNETES_OBJECTS,
            "kubernetes": rendered(
                "kustomize patches (strategic merge or JSON 6902) applied to the manifests and, "
                "as objectEdits in the values, identically to the Helm render"
            ),
        },
    ),
    Concept(
        "override-terraform",
        "an extra Terraform file",
        "Overrides",
        "cloud",
        {
            "aws": rendered("files in aws/terraform/, written as given"),
            "gcp": rendered("files in gcp/terraform/, written as given"),
        },
    ),
    Concept(
        "override-cloudformation",
        "a CloudFormation resource merge",
        "Overrides",
        "cloud",
        {
            "aws": rendered(
                "a JSON merge (RFC 7386) onto the named resources of template.json; a merge onto "
                "an unknown logical id or changing a Type is refused at validation"
            )
        },
    ),
    Concept(
        "override-bicep",
        "an extra Bicep module",
        "Overrides",
        "cloud",
        {
            "azure": rendered(
                "modules written as given next to main.bicep and deployed from it with the "
                "declared params"
            )
        },
    ),
)
CONCEPTS = CONCEPTS + SERVING + OVERRIDES

BY_ID: dict[str, Concept] = {c.id: c for c in CONCEPTS}

# The files each cloud's Terraform generator may write: override files take other names (a test
# keeps these equal to the generators' FILES).
TERRAFORM_FILES: dict[str, frozenset[str]] = {
    "aws": frozenset(
        {"versions.tf", "variables.tf", "network.tf", "security.tf", "ecs.tf", "ingress.tf"}
        | {"registry.tf", "storage.tf", "iam.tf", "outputs.tf", "jobs.tf", "messaging.tf"}
        | {"databases.tf", "dns.tf"}
    ),
    "gcp": frozenset(
        {"versions.tf", "variables.tf", "identity.tf", "registry.tf", "secrets.tf"}
        | {"network.tf", "services.tf", "outputs.tf", "cloudsql.tf", "pubsub.tf"}
        | {"storage.tf", "jobs.tf", "domains.tf"}
    ),
}

# Grants of a workload (or, on AWS, a person) on a resource of its own cloud: the (kind, access)
# pairs each target maps to its cloud's actions or built-in roles. A test keeps these equal to
# the generators' data tables. Kubernetes renders no cloud IAM: access to an external resource
# is the resource's own business, and a grant on the cluster mounts the token.
_READ_WRITE = frozenset({Access.READ, Access.WRITE})
GRANTS: dict[str, dict[ResourceKind, frozenset[Access]]] = {
    "aws": {
        ResourceKind.BUCKET: frozenset(
            {Access.READ, Access.WRITE, Access.ADMIN, Access.MANAGE, Access.ANY}
        ),
        ResourceKind.DATABASE: frozenset({Access.READ, Access.WRITE, Access.ANY}),
        ResourceKind.QUEUE: frozenset(
            {Access.READ, Access.WRITE, Access.PUBLISH, Access.SUBSCRIBE, Access.ANY}
        ),
        ResourceKind.BROKER: frozenset({Access.READ, Access.PUBLISH, Access.SUBSCRIBE, Access.ANY}),
        ResourceKind.TOPIC: frozenset({Access.READ, Access.PUBLISH, Access.SUBSCRIBE, Access.ANY}),
        ResourceKind.REGISTRY: frozenset(
            {Access.READ, Access.PULL, Access.PUSH, Access.ADMIN, Access.MANAGE, Access.ANY}
        ),
        ResourceKind.SECRET_STORE: frozenset(
            {Access.READ, Access.WRITE, Access.ADMIN, Access.MANAGE, Access.ANY}
        ),
        ResourceKind.USER_POOL: frozenset({Access.READ, Access.WRITE, Access.ADMIN, Access.ANY}),
        ResourceKind.OCR: frozenset({Access.INVOKE, Access.ANY}),
        ResourceKind.CLUSTER: frozenset(
            {Access.READ, Access.DEPLOY, Access.ADMIN, Access.MANAGE, Access.ANY}
        ),
        ResourceKind.IAM: frozenset({Access.READ, Access.PASS_ROLE, Access.ANY}),
        ResourceKind.LOGS: frozenset({Access.READ, Access.WRITE, Access.ANY}),
    },
    "azure": {
        ResourceKind.BUCKET: _READ_WRITE,
        ResourceKind.DATABASE: _READ_WRITE,
        ResourceKind.QUEUE: frozenset(
            {Access.READ, Access.WRITE, Access.PUBLISH, Access.SUBSCRIBE}
        ),
        ResourceKind.REGISTRY: frozenset({Access.READ, Access.PULL, Access.PUSH}),
        ResourceKind.SECRET_STORE: _READ_WRITE,
        ResourceKind.OCR: frozenset({Access.INVOKE}),
        ResourceKind.TOPIC: frozenset({Access.READ, Access.PUBLISH, Access.SUBSCRIBE}),
        ResourceKind.BROKER: frozenset({Access.READ, Access.PUBLISH, Access.SUBSCRIBE}),
    },
    "gcp": {
        ResourceKind.REGISTRY: frozenset({Access.READ, Access.PULL, Access.PUSH, Access.MANAGE}),
        ResourceKind.SECRET_STORE: _READ_WRITE,
        ResourceKind.BUCKET: _READ_WRITE,
        ResourceKind.DATABASE: _READ_WRITE,
        ResourceKind.QUEUE: frozenset(
            {Access.READ, Access.WRITE, Access.PUBLISH, Access.SUBSCRIBE}
        ),
        ResourceKind.TOPIC: frozenset({Access.READ, Access.PUBLISH, Access.SUBSCRIBE}),
    },
}
# Grants on a workload: invoke is network reachability everywhere; these are IAM on top.
WORKLOAD_GRANTS: dict[str, frozenset[Access]] = {
    "aws": frozenset({Access.INVOKE, Access.DEPLOY, Access.ADMIN}),
    "azure": frozenset({Access.INVOKE}),
    "gcp": frozenset({Access.INVOKE}),
    "kubernetes": frozenset({Access.INVOKE}),
}


@cache
def grant_cell(target: str, kind: ResourceKind | None, access: Access) -> Cell:
    """Whether a grant of `access` on a resource of `kind` (None: on a workload) in `target`,
    held by a workload or person of the same target, is rendered."""
    if kind is None:
        if access in WORKLOAD_GRANTS[target]:
            return rendered("network reachability and, where the cloud has one, an IAM grant")
        if target == "aws":
            return refused("no IAM mapping for it")
        return noted("only invoke (network reachability) is rendered on a workload")
    if target == "kubernetes":
        if kind is ResourceKind.CLUSTER:
            return rendered("the ServiceAccount token is mounted")
        return rendered("egress to the external resource; its own credentials decide access")
    if access in GRANTS[target].get(kind, frozenset()):
        return rendered("a least-privilege grant from the target's data table")
    return refused("no least-privilege mapping for it in the target's data table")


def cloud_of_platform(platform: Platform) -> str:
    return platform.cloud.value
