"""The deployment wiring: what-if on pull requests, create on main, OIDC sign-in, no secrets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from tests.generators.azure.bicep_support import example_files

SCHEMAS = Path(__file__).resolve().parents[2] / "data" / "schemas" / "schemastore"
TEMPLATE = "out/azure-container-apps/azure/bicep/main.bicep"
PARAMETERS = "out/azure-container-apps/azure/bicep/main.parameters.json"


def load(path: str) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(example_files()[path])
    return document


def test_github_workflow_matches_the_schemastore_schema() -> None:
    schema = json.loads((SCHEMAS / "github-workflow.json").read_text(encoding="utf-8"))
    workflow = load("azure/github-workflow.yml")
    jsonschema.validate(workflow, schema)
    # YAML 1.1 readers take a bare `on` for True: the dump quotes it.
    assert '"on":' in example_files()["azure/github-workflow.yml"]


def test_github_workflow_previews_pull_requests_and_deploys_main_with_oidc() -> None:
    workflow = load("azure/github-workflow.yml")
    assert workflow["permissions"] == {"contents": "read", "id-token": "write"}
    assert sorted(workflow["on"]) == ["pull_request", "push", "workflow_dispatch"]
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["env"]["TEMPLATE_FILE"] == TEMPLATE
    assert workflow["env"]["PARAMETERS_FILE"] == PARAMETERS
    assert workflow["env"]["RESOURCE_GROUP"] == "rg-ocr-pipeline"
    jobs = workflow["jobs"]
    assert jobs["what-if"]["if"] == "github.event_name == 'pull_request'"
    assert jobs["deploy"]["if"] == (
        "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"
    )
    for name, command in (
        ("what-if", "az deployment group what-if"),
        ("deploy", "az deployment group create"),
    ):
        steps = jobs[name]["steps"]
        login = next(s for s in steps if s.get("uses", "").startswith("azure/login@"))
        assert login["with"] == {
            "client-id": "${{ vars.AZURE_CLIENT_ID }}",
            "tenant-id": "${{ vars.AZURE_TENANT_ID }}",
            "subscription-id": "${{ vars.AZURE_SUBSCRIPTION_ID }}",
        }
        assert steps[-1]["run"].splitlines()[1].startswith(command + ' --resource-group "$')
    assert "secrets." not in example_files()["azure/github-workflow.yml"]
    assert "creds" not in example_files()["azure/github-workflow.yml"]


def test_azure_pipeline_structure() -> None:
    pipeline = load("azure/azure-pipelines.yml")
    assert pipeline["trigger"]["branches"] == {"include": ["main"]}
    assert pipeline["pr"]["branches"] == {"include": ["main"]}
    variables = {v["name"]: v["value"] for v in pipeline["variables"]}
    assert variables["templateFile"] == TEMPLATE
    assert variables["parametersFile"] == PARAMETERS
    assert variables["resourceGroup"] == "rg-ocr-pipeline"
    what_if, deploy = pipeline["stages"]
    assert what_if["condition"] == "eq(variables['Build.Reason'], 'PullRequest')"
    assert "eq(variables['Build.SourceBranch'], 'refs/heads/main')" in deploy["condition"]
    assert "ne(variables['Build.Reason'], 'PullRequest')" in deploy["condition"]
    preview_step = what_if["jobs"][0]["steps"][-1]
    deploy_job = deploy["jobs"][0]
    deploy_step = deploy_job["strategy"]["runOnce"]["deploy"]["steps"][-1]
    assert deploy_job["environment"] == "ocr-pipeline"
    for step, command in ((preview_step, "what-if"), (deploy_step, "create")):
        assert step["task"] == "AzureCLI@2"
        inputs = step["inputs"]
        # a workload identity federation service connection, named at compile time
        assert inputs["azureSubscription"] == "${{ variables.serviceConnection }}"
        assert inputs["scriptType"] == "bash"
        assert f"az deployment group {command} " in inputs["inlineScript"]
        assert "$(" not in inputs["inlineScript"]  # values arrive through env, not splicing
        assert set(step["env"]) == {
            "RESOURCE_GROUP",
            "DEPLOYMENT_NAME",
            "TEMPLATE_FILE",
            "PARAMETERS_FILE",
        }
    text = example_files()["azure/azure-pipelines.yml"]
    assert "addSpnToEnvironment" not in text and "servicePrincipalKey" not in text
