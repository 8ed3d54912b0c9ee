"""BP9001-BP9003: the policy settings themselves (applied by the engine, not by a check)."""

from __future__ import annotations

from collections.abc import Iterator

from policies.context import Context
from policies.rules.base import Example, Hit, Rule


def _engine(ctx: Context) -> Iterator[Hit]:
    del ctx
    return iter(())


EXPIRED_WAIVER_EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  kubernetes: {namespace: demo}
services:
  web: {platform: kubernetes, health: {path: /healthz}}
policy:
  waivers:
    - rule: BP4002
      subject: services.web
      owner: platform-team
      reason: metrics arrive with the v2 image
      expires: 2020-01-31
""",
    good="""\
name: demo
platforms:
  kubernetes: {namespace: demo}
services:
  web: {platform: kubernetes, health: {path: /healthz}}
policy:
  waivers:
    - rule: BP4002
      subject: services.web
      owner: platform-team
      reason: metrics arrive with the v2 image
      expires: 2099-12-31
""",
)
EXPIRED_WAIVER = Rule(
    id="BP9001",
    name="expired-waiver",
    title="Expired waiver",
    severity="warning",
    rationale=(
        "A waiver is a dated promise; once it expires the finding it covered is reported "
        "again, and the waiver itself is reported so that someone renews or removes it."
    ),
    fix="Fix the finding and delete the waiver, or renew it with a new expiry and reason.",
    check=_engine,
    example=EXPIRED_WAIVER_EXAMPLE,
)
UNMATCHED_WAIVER_EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  kubernetes: {namespace: demo}
services:
  web: {platform: kubernetes, health: {path: /healthz}}
policy:
  waivers:
    - rule: BP4002
      subject: services.api
      owner: platform-team
      reason: metrics arrive with the v2 image
      expires: 2099-12-31
""",
    good="""\
name: demo
platforms:
  kubernetes: {namespace: demo}
services:
  web: {platform: kubernetes, health: {path: /healthz}}
policy:
  waivers:
    - rule: BP4002
      subject: services.web
      owner: platform-team
      reason: metrics arrive with the v2 image
      expires: 2099-12-31
""",
)
UNMATCHED_WAIVER = Rule(
    id="BP9002",
    name="unmatched-waiver",
    title="Waiver that matches nothing or no longer covers its finding",
    severity="warning",
    rationale=(
        "A waiver that matches no finding is stale and would silently cover a future one; a "
        "finding whose evidence reaches beyond what the waiver recorded (a grant that widened, "
        "a longer path) is a new risk nobody accepted."
    ),
    fix="Delete the stale waiver, or review the new evidence and record it in the waiver.",
    check=_engine,
    example=UNMATCHED_WAIVER_EXAMPLE,
)
UNKNOWN_RULE_EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  kubernetes: {namespace: demo}
policy:
  severity: {BP0042: warning}
""",
    good="""\
name: demo
platforms:
  kubernetes: {namespace: demo}
policy:
  severity: {BP4002: error}
""",
)
UNKNOWN_RULE = Rule(
    id="BP9003",
    name="unknown-rule",
    title="Unknown rule id in policy settings",
    severity="warning",
    rationale=(
        "A severity override or waiver naming a rule that does not exist does nothing; it is "
        "usually a typo that leaves the intended rule at its default."
    ),
    fix="Use an id that `blueprint rules` lists.",
    check=_engine,
    example=UNKNOWN_RULE_EXAMPLE,
)
