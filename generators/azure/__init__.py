"""The azure generator: Bicep for Container Apps, Functions, Event Grid, storage, Cosmos DB,
Key Vault, Computer Vision and a container registry, with a user-assigned identity per workload
and least-privilege role assignments; plus the pipelines that deploy it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from blueprint.model import Blueprint
from generators import RenderContext
from generators.azure.extra_modules import with_extra_modules
from generators.azure.parameters import parameters_json
from generators.azure.pipelines import azure_pipeline, github_workflow
from generators.azure.plan import applies_to, build_plan
from generators.common.templates import environment
from generators.common.yamldump import dump

TEMPLATES = Path(__file__).parent / "templates"
BICEP_DIR = "azure/bicep"


def comment_text(value: object) -> str:
    """Text for a `//` comment: the planner writes it, and it must stay on one line."""
    text = str(value)
    if any(ch in text for ch in "\r\n\u2028\u2029"):
        raise ValueError(f"a Bicep comment must be one line: {text!r}")
    return text


@cache
def _environment() -> jinja2.Environment:
    env = environment(TEMPLATES)
    env.filters["comment"] = comment_text
    return env


class AzureGenerator:
    name = "azure"
    description = (
        "Bicep for Container Apps, Functions, Event Grid, storage, Cosmos DB and Key Vault, "
        "with its deployment pipelines"
    )

    def applies_to(self, blueprint: Blueprint) -> bool:
        from blueprint.view import SystemView

        return applies_to(SystemView.of(blueprint))

    def render(self, ctx: RenderContext) -> dict[str, str]:
        plan = build_plan(ctx.view)
        main = _environment().get_template("main.bicep.j2").render(plan=plan)
        modules = {
            f"{BICEP_DIR}/modules/{name}": (TEMPLATES / name).read_text(encoding="utf-8")
            for name in plan.modules
        }
        files = {
            f"{BICEP_DIR}/main.bicep": main,
            **modules,
            f"{BICEP_DIR}/main.parameters.json": parameters_json(plan),
            "azure/azure-pipelines.yml": dump(azure_pipeline(ctx.blueprint, plan)),
            "azure/github-workflow.yml": dump(github_workflow(ctx.blueprint, plan)),
        }
        return with_extra_modules(files, ctx.blueprint)


GENERATOR = AzureGenerator()
