"""Policy settings: severity overrides and waivers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from blueprint.model.base import Model

Severity = Literal["error", "warning", "note", "off"]
RuleId = Annotated[str, Field(pattern=r"^BP\d{4}$")]
SubjectPath = Annotated[str, Field(pattern=r"^[a-z_]+(\.[^\s.]+)+$", max_length=512)]


class Waiver(Model):
    rule: RuleId
    subject: SubjectPath  # the exact subject of the finding, such as services.web
    owner: Annotated[str, Field(min_length=2, max_length=256)]
    reason: Annotated[str, Field(min_length=10, max_length=2048)]
    expires: dt.date
    # The finding's evidence when the waiver was written: a finding whose evidence reaches
    # beyond it (a grant that widened, a longer path) is no longer waived.
    evidence: tuple[Annotated[str, Field(max_length=512)], ...] | None = None


class PolicySettings(Model):
    severity: dict[RuleId, Severity] = Field(default_factory=dict)
    waivers: tuple[Waiver, ...] = ()
