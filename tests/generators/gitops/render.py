"""Rendering helpers shared by the gitops tests."""

from __future__ import annotations

from typing import Any

import yaml

from blueprint.model import Blueprint
from generators import RenderContext
from generators.gitops import GENERATOR
from tests.support import load_example


def render(bp: Blueprint) -> dict[str, str]:
    return GENERATOR.render(RenderContext(blueprint=bp))


def render_example(name: str) -> dict[str, str]:
    return render(load_example(name).blueprint)


def documents(files: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Every file parsed as exactly one YAML document."""
    parsed: dict[str, dict[str, Any]] = {}
    for path, text in files.items():
        docs = list(yaml.safe_load_all(text))
        assert len(docs) == 1, path
        parsed[path] = docs[0]
    return parsed


def blueprint(**overrides: Any) -> Blueprint:
    """A small blueprint with two Kubernetes services, a job and a gitops block."""
    data: dict[str, Any] = {
        "name": "shop",
        "description": "A shop",
        "platforms": {"kubernetes": {"namespace": "shop"}},
        "services": {
            "web": {
                "platform": "kubernetes",
                "image": {"registry": "ghcr.io", "repository": "example/web", "tag": "1.0.0"},
                "metrics": {"path": "/metrics"},
            },
            "api": {
                "platform": "kubernetes",
                "image": {"registry": "ghcr.io", "repository": "example/api", "tag": "1.0.0"},
            },
        },
        "jobs": {
            "nightly": {
                "platform": "kubernetes",
                "image": {"registry": "ghcr.io", "repository": "example/nightly", "tag": "1"},
                "trigger": {"schedule": "0 3 * * *"},
            }
        },
        "gitops": {
            "repository": "https://git.example.com/shop.git",
            "revision": "main",
            "path": "out/shop",
        },
    }
    data.update(overrides)
    return Blueprint.model_validate(data)
