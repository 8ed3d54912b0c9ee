"""The deployment parameters file (JSON, keys sorted) that goes with main.bicep."""

from __future__ import annotations

import json

from generators.azure.plan.records import AzurePlan

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"


def parameters_json(plan: AzurePlan) -> str:
    document = {
        "$schema": SCHEMA,
        "contentVersion": "1.0.0.0",
        "parameters": {"location": {"value": plan.location}},
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
