"""Importers: existing descriptions of a system (docker-compose, Kubernetes manifests) turned
into a blueprint plus a report of what was not carried over, one line per item."""

from __future__ import annotations

import yaml

from blueprint.importers.common import Draft

SCHEMA_URL = "https://blueprint.dev/schema/blueprint.schema.json"


def blueprint_text(draft: Draft, source: str) -> str:
    """The draft as a blueprint.yaml, with the schema modeline and where it came from."""
    body = yaml.safe_dump(
        draft.data(), sort_keys=False, default_flow_style=False, allow_unicode=True, width=100
    )
    return (
        f"# yaml-language-server: $schema={SCHEMA_URL}\n"
        f"# Imported by `blueprint import` from {source}; "
        f"{len(draft.report)} item(s) were not carried over as they were (see the report).\n" + body
    )
