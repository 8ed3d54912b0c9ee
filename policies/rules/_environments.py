"""Which declared environments are production, and the blueprint as each deploys it."""

from __future__ import annotations

import re

from blueprint.environments import apply_environment
from blueprint.model import Blueprint

# prod, production, prd, prod-eu, production_us: the names teams give the environment
# customers use.
PRODUCTION = re.compile(r"^(prod|production|prd)([-_].*)?$")


def production_environments(bp: Blueprint) -> list[str]:
    return sorted(name for name in bp.environments if PRODUCTION.match(name))


def as_deployed(bp: Blueprint, environment: str) -> Blueprint:
    """The blueprint with `environment`'s overlay applied (idempotent when already applied)."""
    return apply_environment(bp, environment)
