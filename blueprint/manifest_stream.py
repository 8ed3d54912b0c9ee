"""The plain Kubernetes manifests of a blueprint as one YAML stream, rendered in memory."""

from __future__ import annotations

import re

import yaml_rs

from blueprint.loader import Loaded

# Where the kubernetes generator puts its plain manifests (issue 6); the Helm chart beside them
# renders the same objects, so the stream holds these only.
MANIFESTS_DIR = "kubernetes/manifests/"
# Build instructions beside the manifests (for `kubectl apply -k`), not objects to apply.
_KUSTOMIZATION_FILES = frozenset({"kustomization.yaml", "kustomization.yml", "Kustomization"})
_SEPARATOR = re.compile(r"^---[ \t]*(?:#.*)?$", re.MULTILINE)


class NoManifestsError(ValueError):
    """The blueprint has nothing for Kubernetes."""


class StreamContractError(RuntimeError):
    """A rendered manifest document is not a Kubernetes object (a generator bug)."""


def kubernetes_stream(loaded: Loaded, environment: str | None = None) -> str:
    """Every document of kubernetes/manifests/*.yaml, in path order, joined by `---`."""
    from blueprint.pipeline import render_files

    files = render_files(loaded, ["kubernetes"], environment)
    documents: list[str] = []
    for path in sorted(files):
        name = path.rsplit("/", 1)[-1]
        if (
            path.startswith(MANIFESTS_DIR)
            and path.endswith((".yaml", ".yml"))
            and name not in _KUSTOMIZATION_FILES
        ):
            documents.extend(_documents(path, files[path]))
    if not documents:
        raise NoManifestsError(
            "no Kubernetes objects to generate; expected at least one workload with "
            "platform: kubernetes"
        )
    return "---\n".join(documents)


def _documents(path: str, text: str) -> list[str]:
    """The non-empty documents of one file, each checked to be a Kubernetes object."""
    out: list[str] = []
    for chunk in _SEPARATOR.split(text):
        body = chunk.strip("\n")
        if not body:
            continue
        # yaml-rs: the check reads every document, and PyYAML's pure-Python parser made it
        # most of the time of `manifests` on a large system (issue 21, defect 7).
        data = yaml_rs.loads(body, parse_datetime=False)
        if data is None:
            continue  # only comments, such as the provenance header before a leading ---
        if not (isinstance(data, dict) and "apiVersion" in data and "kind" in data):
            raise StreamContractError(
                f"{path}: a document without apiVersion and kind; the plugin's output must hold "
                "Kubernetes objects only"
            )
        out.append(body + "\n")
    return out
