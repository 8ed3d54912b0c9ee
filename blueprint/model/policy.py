"""Policy settings: severity overrides and waivers."""

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from blueprint.model.base import Model

Severity = Literal["error", "warning", "note", "off"]
RuleId = Annotated[str, Field(pattern=r"^BP\d{4}$")]
SubjectPath = Annotated[str, Field(pattern=r"^[a-z_]+(\.[^\s.]+)+$", max_length=512)]


class Waiver(Model):
    rule: RuleId
    """The rule id of the accepted finding. Example: `BP3002`."""
    subject: SubjectPath  # the exact subject of the finding, such as services.web
    """The exact subject of the finding, as `blueprint check` prints it. Example: `jobs.worker2`."""
    owner: Annotated[str, Field(min_length=2, max_length=256)]
    """Who accepted the finding. Example: `team-data`."""
    reason: Annotated[str, Field(min_length=10, max_length=2048)]
    """Why the finding is accepted (10 characters or more)."""
    expires: dt.date
    """The date after which the waiver stops applying and is reported. Example: `2026-12-31`."""
    # The finding's evidence when the waiver was written: a finding whose evidence reaches
    # beyond it (a grant that widened, a longer path) is no longer waived.
    evidence: tuple[Annotated[str, Field(max_length=512)], ...] | None = None
    """The finding's evidence when the waiver was written; a finding whose evidence reaches beyond
    it is no longer waived.
    """


class PolicySettings(Model):
    severity: dict[RuleId, Severity] = Field(default_factory=dict)
    """Severity overrides by rule id: `error`, `warning`, `note` or `off`. Example: `{BP4003:
    warning}`.
    """
    waivers: tuple[Waiver, ...] = ()
    """Accepted findings, each with rule, subject, owner, reason and expiry."""
