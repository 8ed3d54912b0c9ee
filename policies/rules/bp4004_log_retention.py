"""BP4004: log retention shorter than the minimum of the environments the system runs in."""

from __future__ import annotations

from collections.abc import Iterator

from policies.context import Context
from policies.rules._environments import production_environments
from policies.rules.base import Example, Hit, Rule

# Days of logs an incident review needs: a year where customers are served (the AWS Security
# Hub control CloudWatch.16 asks for 365), a month anywhere else.
PRODUCTION_MINIMUM_DAYS = 365
OTHER_MINIMUM_DAYS = 30


def check(ctx: Context) -> Iterator[Hit]:
    aws = ctx.bp.platforms.aws
    if aws is None:
        return
    prod = production_environments(ctx.bp)
    minimum, why = (
        (PRODUCTION_MINIMUM_DAYS, f"environment {prod[0]} is production")
        if prod
        else (OTHER_MINIMUM_DAYS, "no production environment is declared")
    )
    if aws.log_retention_days >= minimum:
        return
    yield Hit(
        "platforms.aws",
        f"log_retention_days is {aws.log_retention_days}, below the minimum of {minimum} days "
        f"({why}); logs are gone before an incident review needs them",
        ("platforms.aws",),
        ("platforms", "aws", "log_retention_days"),
    )


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  aws: {region: eu-west-2, log_retention_days: 14}
environments:
  prod: {}
""",
    good="""\
name: demo
platforms:
  aws: {region: eu-west-2, log_retention_days: 400}
environments:
  prod: {}
""",
)


RULE = Rule(
    id="BP4004",
    name="short-log-retention",
    title="Log retention below the environment's minimum",
    severity="warning",
    rationale=(
        "Breaches are found weeks or months after they start; logs kept for days are gone "
        "when the review begins. The minimum depends on the environment: 365 days when a "
        "production environment (prod, production, prd, prod-*) is declared, 30 otherwise."
    ),
    fix="Raise platforms.aws.log_retention_days to the minimum (365 for production).",
    check=check,
    example=EXAMPLE,
    controls=("nist-800-53:AU-11",),
    reads_graph=False,
)
