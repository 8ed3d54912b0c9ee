"""HTTPS and names: a certificate for each ingress `host` with `tls` (ACM with DNS validation in
the declared Route 53 zone, or an existing certificate by ARN), the HTTPS listener and the HTTP
listener that only redirects on load balancers, the Route 53 alias for the host, custom
domains on HTTP APIs, and load balancer access logs in the log bucket."""

from __future__ import annotations

import re
from dataclasses import dataclass

from blueprint.model import ApiGateway, LoadBalancer
from generators.aws.naming import cfn_id, physical, tf_label
from generators.aws.plan.documents import access_log_bucket_policy
from generators.aws.plan.records import AwsPlan, Named, PolicyDoc
from generators.aws.plan.references import attr, bucket_arn
from generators.aws.plan.state import PlanState
from generators.aws.values import PARTITION, Value, arn, value

# A modern TLS policy: TLS 1.3, and TLS 1.2 with forward-secret ciphers only.
TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
HTTP = 80
# The account Elastic Load Balancing writes access logs from, in the regions opened before
# August 2022 (docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging
# .html); later regions name the log delivery service principal instead.
ELB_LOG_ACCOUNTS = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-south-1": "718504428378",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "eu-south-1": "635631232127",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
}
ELB_LOG_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com"


@dataclass(frozen=True)
class ZonePlan:
    """A Route 53 public hosted zone the blueprint writes records in (it exists already)."""

    id: Named  # Terraform data source label, CloudFormation parameter (its id), zone name


@dataclass(frozen=True)
class CertificatePlan:
    id: Named  # Terraform label, CloudFormation logical id, the host
    ingress: str
    host: str
    existing_arn: str | None  # an existing ACM certificate; None: issued for the host
    zone: ZonePlan | None

    @property
    def managed(self) -> bool:
        return self.existing_arn is None

    @property
    def arn(self) -> Value:
        """What a listener or custom domain names: the certificate once it is validated."""
        if self.existing_arn is not None:
            return value(self.existing_arn)
        return value(
            attr(
                "aws_acm_certificate_validation",
                self.id,
                "certificate_arn",
                {"Ref": self.id.cfn},
                arn("acm", "certificate/00000000-0000-0000-0000-000000000000").example(),
            )
        )


def zone_named(zone: str) -> Named:
    return Named(
        tf_label(re.sub(r"[^a-z0-9]", "_", zone)),
        cfn_id(*zone.split("."), "hosted", "zone", "id"),
        zone,
    )


def certificate(st: PlanState, name: str, ing: LoadBalancer | ApiGateway) -> CertificatePlan | None:
    """The certificate of an ingress with host and tls (validation makes tls need a host)."""
    if ing.tls is None or ing.host is None:
        return None
    zone = ZonePlan(zone_named(ing.tls.zone)) if ing.tls.zone is not None else None
    cert = CertificatePlan(
        id=Named(tf_label(name), cfn_id(name, "certificate"), ing.host),
        ingress=name,
        host=ing.host,
        existing_arn=None if ing.tls.managed else ing.tls.certificate,
        zone=zone,
    )
    st.system.certificates.append(cert)
    return cert


def redirects(lb: LoadBalancer) -> bool:
    """An application load balancer with TLS on 443 answers HTTP on 80 with a redirect only."""
    return (
        lb.type == "application"
        and lb.tls is not None
        and 443 in lb.forwards
        and HTTP not in lb.forwards  # validation refuses both; never two listeners on 80
    )


def plan_access_log_bucket(st: PlanState) -> None:
    """Application load balancers write access logs to the system's log bucket."""
    if st.system.access_log_bucket is None:
        st.system.access_log_bucket = Named(
            "access_logs",
            "AccessLogsBucket",
            physical(st.bp.name, "access-logs", limit=63),
        )


def access_log_prefix(lb_key: str) -> str:
    return f"lb/{lb_key}"


def elb_log_principal(region: str) -> tuple[str, str | Value]:
    """(principal type, identifier) that delivers load balancer access logs in `region`."""
    account = ELB_LOG_ACCOUNTS.get(region)
    if account is None:
        return "Service", ELB_LOG_SERVICE
    return "AWS", value("arn:", PARTITION, f":iam::{account}:root")


def zones(certificates: list[CertificatePlan]) -> list[ZonePlan]:
    """Each zone once, by name."""
    found = {c.zone.id.name: c.zone for c in certificates if c.zone is not None}
    return [found[k] for k in sorted(found)]


def log_bucket_policy(s: AwsPlan) -> PolicyDoc | None:
    """The access-log bucket's policy: S3 server access logs of the buckets, and the access
    logs of the application load balancers."""
    if s.access_log_bucket is None:
        return None
    prefixes = tuple(lb.access_log_prefix for lb in s.load_balancers if lb.access_log_prefix)
    return access_log_bucket_policy(
        bucket_arn(s.access_log_bucket),
        tuple(bucket_arn(b.id) for b in s.buckets),
        (elb_log_principal(s.region), prefixes) if prefixes else None,
    )
