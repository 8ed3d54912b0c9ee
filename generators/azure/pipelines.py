"""Deployment wiring for the Bicep: an Azure DevOps pipeline and a GitHub Actions workflow.

Both run `az deployment group what-if` on pull requests and `az deployment group create` on
main, and sign in with workload identity federation (OIDC): no client secret is stored anywhere.
Values reach the scripts through environment variables, never spliced into the script text.
Built as data; the generator dumps them with sorted keys.
"""

from __future__ import annotations

from typing import Any

from blueprint.model import Blueprint
from generators.azure.plan.records import AzurePlan

MAIN_BRANCH = "main"

WHAT_IF = (
    'az deployment group what-if --resource-group "$RESOURCE_GROUP" '
    '--name "$DEPLOYMENT_NAME" --template-file "$TEMPLATE_FILE" '
    '--parameters "@$PARAMETERS_FILE"\n'
)
CREATE = (
    'az deployment group create --resource-group "$RESOURCE_GROUP" '
    '--name "$DEPLOYMENT_NAME" --template-file "$TEMPLATE_FILE" '
    '--parameters "@$PARAMETERS_FILE"\n'
)


def rendered_dir(bp: Blueprint) -> str:
    """Where the committed render of this blueprint lives in its repository."""
    return bp.gitops.path if bp.gitops is not None else f"out/{bp.name}"


def _files(bp: Blueprint) -> tuple[str, str, str]:
    root = rendered_dir(bp)
    return (
        f"{root}/azure",
        f"{root}/azure/bicep/main.bicep",
        f"{root}/azure/bicep/main.parameters.json",
    )


def _az_step(title: str, script: str) -> dict[str, Any]:
    return {
        "task": "AzureCLI@2",
        "displayName": title,
        "inputs": {
            # A workload identity federation service connection: resolved at compile time.
            "azureSubscription": "${{ variables.serviceConnection }}",
            "scriptType": "bash",
            "scriptLocation": "inlineScript",
            "inlineScript": "set -euo pipefail\n" + script,
        },
        "env": {
            "RESOURCE_GROUP": "$(resourceGroup)",
            "DEPLOYMENT_NAME": "$(deploymentName)",
            "TEMPLATE_FILE": "$(templateFile)",
            "PARAMETERS_FILE": "$(parametersFile)",
        },
    }


def azure_pipeline(bp: Blueprint, plan: AzurePlan) -> dict[str, Any]:
    watched, template, parameters = _files(bp)
    paths = {"include": [watched]}
    branches = {"include": [MAIN_BRANCH]}
    return {
        "trigger": {"branches": branches, "paths": paths},
        "pr": {"branches": branches, "paths": paths},
        "pool": {"vmImage": "ubuntu-latest"},
        "variables": [
            {"name": "serviceConnection", "value": f"azure-{plan.name}"},
            {"name": "resourceGroup", "value": plan.resource_group},
            {"name": "deploymentName", "value": f"{plan.name}-$(Build.BuildId)"},
            {"name": "templateFile", "value": template},
            {"name": "parametersFile", "value": parameters},
        ],
        "stages": [
            {
                "stage": "WhatIf",
                "displayName": "Preview the deployment",
                "condition": "eq(variables['Build.Reason'], 'PullRequest')",
                "jobs": [
                    {
                        "job": "WhatIf",
                        "steps": [
                            {"checkout": "self"},
                            _az_step("az deployment group what-if", WHAT_IF),
                        ],
                    }
                ],
            },
            {
                "stage": "Deploy",
                "displayName": "Deploy to Azure",
                "condition": (
                    "and(succeeded(), ne(variables['Build.Reason'], 'PullRequest'), "
                    f"eq(variables['Build.SourceBranch'], 'refs/heads/{MAIN_BRANCH}'))"
                ),
                "jobs": [
                    {
                        "deployment": "Deploy",
                        "environment": plan.name,
                        "strategy": {
                            "runOnce": {
                                "deploy": {
                                    "steps": [
                                        {"checkout": "self"},
                                        _az_step("az deployment group create", CREATE),
                                    ]
                                }
                            }
                        },
                    }
                ],
            },
        ],
    }


def github_workflow(bp: Blueprint, plan: AzurePlan) -> dict[str, Any]:
    watched, template, parameters = _files(bp)
    paths = [f"{watched}/**"]
    login = {
        "name": "Sign in to Azure (OpenID Connect)",
        "uses": "azure/login@v2",
        "with": {
            "client-id": "${{ vars.AZURE_CLIENT_ID }}",
            "tenant-id": "${{ vars.AZURE_TENANT_ID }}",
            "subscription-id": "${{ vars.AZURE_SUBSCRIPTION_ID }}",
        },
    }
    checkout = {"uses": "actions/checkout@v4", "with": {"persist-credentials": False}}

    def job(condition: str, title: str, script: str, environment: str | None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "if": condition,
            "runs-on": "ubuntu-latest",
            "timeout-minutes": 60,
            "steps": [checkout, login, {"name": title, "run": "set -euo pipefail\n" + script}],
        }
        if environment is not None:
            body["environment"] = environment
        return body

    return {
        "name": f"Azure deployment ({plan.name})",
        "on": {
            "pull_request": {"branches": [MAIN_BRANCH], "paths": paths},
            "push": {"branches": [MAIN_BRANCH], "paths": paths},
            "workflow_dispatch": None,
        },
        "permissions": {"contents": "read", "id-token": "write"},
        "concurrency": {"group": f"azure-{plan.name}", "cancel-in-progress": False},
        "env": {
            "RESOURCE_GROUP": plan.resource_group,
            "DEPLOYMENT_NAME": f"{plan.name}-${{{{ github.run_id }}}}",
            "TEMPLATE_FILE": template,
            "PARAMETERS_FILE": parameters,
        },
        "jobs": {
            "what-if": job(
                "github.event_name == 'pull_request'",
                "az deployment group what-if",
                WHAT_IF,
                None,
            ),
            "deploy": job(
                f"github.event_name != 'pull_request' && github.ref == 'refs/heads/{MAIN_BRANCH}'",
                "az deployment group create",
                CREATE,
                plan.name,
            ),
        },
    }
