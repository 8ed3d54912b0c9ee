from __future__ import annotations

from generators.gitops.argocd import project_name
from tests.support import load_text

SYSTEM = """
name: {name}
platforms: {{kubernetes: {{namespace: shop}}}}
"""


def test_a_system_named_default_does_not_replace_argo_cds_default_project() -> None:
    assert project_name(load_text(SYSTEM.format(name="default")).blueprint) == "blueprint-default"


def test_other_systems_name_their_project_after_themselves() -> None:
    assert project_name(load_text(SYSTEM.format(name="shop")).blueprint) == "shop"
