"""Rendering helpers shared by the monitoring tests."""

from __future__ import annotations

from typing import Any

from blueprint.model import Blueprint
from generators import RenderContext
from generators.monitoring import GENERATOR
from tests.support import load_example


def render(bp: Blueprint) -> dict[str, str]:
    return GENERATOR.render(RenderContext(blueprint=bp))


def render_example(name: str) -> dict[str, str]:
    return render(load_example(name).blueprint)


def _image(name: str) -> dict[str, str]:
    return {"registry": "ghcr.io", "repository": f"example/{name}", "tag": "1.0.0"}


def mixed(**overrides: Any) -> Blueprint:
    """Metric services on every platform, one without metrics, a 5 s scrape interval."""
    data: dict[str, Any] = {
        "name": "mixed",
        "description": "Services on four platforms",
        "platforms": {
            "aws": {"region": "eu-west-2"},
            "azure": {"location": "uksouth"},
            "gcp": {"project": "example-project", "region": "europe-west2"},
            "kubernetes": {"namespace": "mixed"},
        },
        "services": {
            "orders": {
                "platform": "aws-fargate",
                "image": _image("orders"),
                "port": 8080,
                "metrics": {"path": "/internal/metrics", "port": 9100},
            },
            "billing": {
                "platform": "aws-fargate",
                "image": _image("billing"),
                "port": 8081,
                "metrics": {},
            },
            "front": {
                "platform": "azure-container-apps",
                "image": _image("front"),
                "metrics": {"path": "/metrics"},
            },
            "hello": {"platform": "cloud-run", "image": _image("hello"), "metrics": {}},
            "cart": {"platform": "kubernetes", "image": _image("cart"), "metrics": {}},
            "quiet": {"platform": "kubernetes", "image": _image("quiet")},
        },
        "monitoring": {"scrape_interval_seconds": 5},
    }
    data.update(overrides)
    return Blueprint.model_validate(data)
