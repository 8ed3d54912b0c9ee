"""References to rendered things, spelled for both formats (see generators.aws.values)."""

from __future__ import annotations

from generators.aws.plan.constants import HEALTH_GRACE_SECONDS
from generators.aws.plan.records import Named, ServicePlan
from generators.aws.values import Attr, Value, value


def attr(tf_type: str, thing: Named, tf_attr: str, cfn: object, example: str) -> Attr:
    return Attr(f"{tf_type}.{thing.tf}.{tf_attr}", cfn, example)


def get_att(thing: Named, name: str) -> dict[str, list[str]]:
    return {"Fn::GetAtt": [thing.cfn, name]}


def health_check(svc: ServicePlan) -> dict[str, object]:
    """The container's own check, in exec form (no shell, so the path is never shell text).
    It assumes curl in the image, as the load balancer's check does not."""
    url = f"http://localhost:{svc.health_port}{svc.health_path}"
    return {
        "command": ["CMD", "curl", "-fsS", "-o", "/dev/null", url],
        "interval": svc.health_interval,
        "timeout": svc.health_timeout,
        "retries": 3,
        "startPeriod": HEALTH_GRACE_SECONDS,
    }


def bucket_arn(bucket: Named) -> Value:
    return value(
        attr("aws_s3_bucket", bucket, "arn", get_att(bucket, "Arn"), f"arn:aws:s3:::{bucket.name}")
    )
