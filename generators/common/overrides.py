"""Override files (the escape hatch) a generator writes as given beside its own."""

from __future__ import annotations

from typing import Literal

from blueprint.model import Blueprint


def override_files(bp: Blueprint, cloud: Literal["aws", "gcp"]) -> dict[str, str]:
    """overrides.terraform.<cloud>.files, as `<cloud>/terraform/<name>` (validation keeps the
    names apart from the rendered files)."""
    terraform = bp.overrides.terraform
    files = getattr(terraform, cloud) if terraform is not None else None
    if files is None:
        return {}
    return {
        f"{cloud}/terraform/{name}": f.content if f.content.endswith("\n") else f.content + "\n"
        for name, f in sorted(files.files.items())
    }
