"""Overrides that cannot apply to what the generators render (a patch on an object a workload
does not render, a JSON 6902 operation that fails, a merge onto an unknown logical id) are bad
input like any other: found here, after the schema and the references passed, by applying them
exactly as the render will, so `validate`, `check`, `render`, the hooks and the Argo CD plugin
refuse them with positioned errors (exit 2) instead of a render failing half-way.

Only a blueprint with such overrides pays for it: the others return before any generator is
imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from blueprint.errors import BlueprintError, Diagnostic, Problem

if TYPE_CHECKING:
    from blueprint.loader import Loaded


def override_problems(loaded: Loaded) -> list[Problem]:
    overrides = loaded.blueprint.overrides
    kubernetes = overrides.kubernetes
    has_patches = kubernetes is not None and any(w.patches for w in kubernetes.workloads.values())
    has_merges = overrides.cloudformation is not None and bool(overrides.cloudformation.resources)
    has_modules = overrides.bicep is not None and bool(overrides.bicep.modules)
    if not (has_patches or has_merges or has_modules):
        return []
    from blueprint.view import SystemView

    view = SystemView.of(loaded.blueprint)
    problems: list[Problem] = []
    if has_patches:
        from generators.kubernetes.patches import patch_problems

        problems += patch_problems(view)
    if has_merges:
        from generators.aws.cloudformation.merge import merge_problems

        problems += merge_problems(view)
    if has_modules:
        from generators.azure.extra_modules import module_problems

        problems += module_problems(view)
    return problems


def refuse_failing_overrides(loaded: Loaded) -> None:
    problems = override_problems(loaded)
    if problems:
        source = loaded.source
        raise BlueprintError(
            sorted(
                {
                    Diagnostic(source.name, *source.locate(p.path, at_key=p.at_key), p.message)
                    for p in problems
                }
            )
        )
