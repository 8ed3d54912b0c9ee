"""The aws generator (placeholder until its issue lands: renders nothing)."""

from __future__ import annotations

from blueprint.model import Blueprint
from generators import RenderContext


class _Placeholder:
    name = "aws"
    description = "not implemented yet"

    def applies_to(self, blueprint: Blueprint) -> bool:
        del blueprint
        return False

    def render(self, ctx: RenderContext) -> dict[str, str]:
        del ctx
        return {}


GENERATOR = _Placeholder()
