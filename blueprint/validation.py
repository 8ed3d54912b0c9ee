"""Everything checked once the schema passed: references, what each target can render, and
what each target needs. All problems at once."""

from __future__ import annotations

from collections.abc import Collection

from blueprint.errors import Problem
from blueprint.model import Blueprint
from blueprint.references import check_references
from blueprint.support.refusals import refused
from blueprint.support.targets import target_problems


def validate_blueprint(
    bp: Blueprint, unknown_ok: Collection[str] = frozenset(), *, support: bool = True
) -> list[Problem]:
    problems = check_references(bp, unknown_ok)
    if problems or not support:
        # The support and target checks assume every name resolves.
        return problems
    return refused(bp) + target_problems(bp)
