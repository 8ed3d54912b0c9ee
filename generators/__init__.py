"""Generators: pure functions from a blueprint to {relative POSIX path: text}.

The registry is explicit; modules are imported only when a render needs them, so the commands
that run on every commit never pay for Jinja2.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from blueprint.model import Blueprint
    from blueprint.view import SystemView


@dataclass(frozen=True)
class RenderContext:
    blueprint: Blueprint
    environment: str | None = None

    @cached_property
    def view(self) -> SystemView:
        """The facts derived from the blueprint (connections, exposure, ports, roots), built
        once per render and shared by every generator: none derives them again."""
        from blueprint.view import SystemView

        return SystemView.of(self.blueprint)


class Generator(Protocol):
    name: str
    description: str

    def applies_to(self, blueprint: Blueprint) -> bool:
        """Whether the blueprint has anything for this target."""
        ...

    def render(self, ctx: RenderContext) -> dict[str, str]:
        """Relative POSIX path (under out/<system>/) -> file text. No I/O."""
        ...


# target name -> module exposing GENERATOR; the order is the order of rendering and listing.
GENERATORS: Mapping[str, str] = {
    "aws": "generators.aws",
    "azure": "generators.azure",
    "gcp": "generators.gcp",
    "kubernetes": "generators.kubernetes",
    "gitops": "generators.gitops",
    "monitoring": "generators.monitoring",
}


def load_generator(name: str) -> Generator:
    module = importlib.import_module(GENERATORS[name])
    generator: Generator = module.GENERATOR
    return generator
