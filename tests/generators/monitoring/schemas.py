"""SchemaStore schemas for the Prometheus configuration and Grafana dashboards."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import validators

SCHEMASTORE = Path(__file__).resolve().parents[2] / "data" / "schemas" / "schemastore"


@cache
def _validator(name: str) -> Any:
    schema = json.loads((SCHEMASTORE / name).read_text(encoding="utf-8"))
    cls = validators.validator_for(schema)  # draft-07 (prometheus), draft-04 (grafana)
    cls.check_schema(schema)
    return cls(schema)


def _errors(name: str, document: object) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in _validator(name).iter_errors(document)
    ]


def prometheus_errors(config: object) -> list[str]:
    return _errors("prometheus.json", config)


def dashboard_errors(dashboard: object) -> list[str]:
    # The schema describes the HTTP API body {"dashboard": {...}}; a provisioned file is the
    # bare dashboard.
    return _errors("grafana-dashboard-5.x.json", {"dashboard": dashboard})
