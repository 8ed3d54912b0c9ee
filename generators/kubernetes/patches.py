"""Kustomize patches (overrides.kubernetes.workloads.<name>.patches) on a release's objects.

The chart is shared by every release and Argo CD runs Helm without a post-renderer, so a patch
cannot be applied to Helm's output after the fact. Instead the generator applies each patch to
the objects in Python (a strategic merge as kustomize does it, or JSON 6902 operations through
the `jsonpatch` library), then writes the difference as `objectEdits` in the release's values:
key paths to set and to remove. The chart's `workload.edited` helper and `objects.apply_edits`
replay those edits identically, so the plain manifests and the Helm render carry the same
patched objects (tests/generators/kubernetes/test_patches.py compares both with `kubectl
kustomize` and with Helm's own engine).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from typing import Any

import jsonpatch
import jsonpointer

from blueprint.errors import Problem
from blueprint.model import Blueprint
from blueprint.model.overrides import KubernetesPatch
from blueprint.view import SystemView

Obj = dict[str, Any]
Path = tuple[str, ...]


class PatchError(ValueError):
    """A patch that cannot be applied: `index` is its position in the workload's patches."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index
        self.message = message


# -- strategic merge --------------------------------------------------------------------------

# The merge keys (patchMergeKey) of the lists the chart renders, from the Kubernetes API: a list
# not named here (tolerations, args, NetworkPolicy rules, a ServiceMonitor's endpoints, which
# kustomize knows no schema for) is replaced as a whole, as kustomize does.
_POD_LISTS = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "volumes": "name",
    "imagePullSecrets": "name",
    "hostAliases": "ip",
    "topologySpreadConstraints": "topologyKey",
}
_CONTAINER_LISTS = {"env": "name", "volumeMounts": "mountPath", "ports": "containerPort"}
_CONTAINERS = frozenset({"containers", "initContainers", "ephemeralContainers"})
_DIRECTIVE = "$patch"


def _merge_key(kind: str, path: Path) -> str | None:
    """The merge key of the list at `path` (field names only) of an object of `kind`."""
    field = path[-1]
    if len(path) >= 2 and path[-2] in _CONTAINERS:
        return _CONTAINER_LISTS.get(field)
    if len(path) >= 2 and path[-2] == "spec" and field in _POD_LISTS:
        return _POD_LISTS[field] if "template" in path or kind == "Pod" else None
    if kind == "Service" and path == ("spec", "ports"):
        return "port"
    return None


def _merge_map(original: Obj, patch: Obj, kind: str, path: Path) -> Obj | None:
    directive = patch.get(_DIRECTIVE)
    if directive == "delete":
        return None
    if directive == "replace":
        return {k: copy.deepcopy(v) for k, v in patch.items() if k != _DIRECTIVE}
    if directive is not None or any(k.startswith("$") for k in patch):
        found = directive if directive is not None else next(k for k in patch if k[0] == "$")
        raise ValueError(
            f"found the directive {found!r} at {_shown(path)}; expected only "
            "$patch: replace or $patch: delete"
        )
    merged = dict(original)
    for key, value in patch.items():
        here = (*path, key)
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            result = _merge_map(merged[key], value, kind, here)
            if result is None:
                merged.pop(key)
            else:
                merged[key] = result
        elif isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = _merge_list(merged[key], value, kind, here)
        else:
            merged[key] = _clean(value, here)
    return merged


def _merge_list(original: list[Any], patch: list[Any], kind: str, path: Path) -> list[Any]:
    if any(isinstance(i, dict) and i.get(_DIRECTIVE) == "replace" for i in patch):
        return [_clean(i, path) for i in patch if not (isinstance(i, dict) and _DIRECTIVE in i)]
    key = _merge_key(kind, path)
    if key is None or not all(isinstance(i, dict) and key in i for i in patch):
        replaced: list[Any] = _clean(patch, path)
        return replaced
    # As apimachinery orders a merged list: the patch's items first, in the patch's order
    # (merged into the original item of the same key), then the original items it left alone.
    by_key = {item.get(key): item for item in original if isinstance(item, dict)}
    merged: list[Any] = []
    for item in patch:
        before = by_key.pop(item[key], None)
        if item.get(_DIRECTIVE) == "delete":
            continue
        if before is None:
            merged.append(_clean(item, path))
            continue
        result = _merge_map(before, item, kind, path)
        if result is not None:
            merged.append(result)
    untouched = {id(item) for item in by_key.values()}
    merged.extend(item for item in original if id(item) in untouched)
    return merged


def _clean(value: Any, path: Path) -> Any:
    """A value the patch adds where nothing was: nulls and directives say nothing there."""
    if isinstance(value, dict):
        return _merge_map({}, value, "", path)
    if isinstance(value, list):
        return [_clean(v, path) for v in value]
    return value


def _shown(path: Path) -> str:
    return "/" + "/".join(path) if path else "the top"


def strategic_merge(obj: Obj, patch: Obj) -> Obj:
    merged = _merge_map(obj, patch, str(obj.get("kind", "")), ())
    if merged is None:
        raise ValueError("found $patch: delete on the whole object; expected a partial object")
    return merged


def json6902(obj: Obj, operations: Sequence[Obj]) -> Obj:
    """The operations applied one at a time (as one patch would), so a failure names its
    operation."""
    patched: Any = obj
    for number, operation in enumerate(operations, start=1):
        shown = f"operation {number} ({operation.get('op')} {operation.get('path')})"
        try:
            patched = jsonpatch.apply_patch(patched, [operation])
        except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException) as exc:
            reason = str(exc).rstrip(".")
            raise ValueError(
                f"{shown} fails: {reason}; expected an operation that applies to the rendered "
                "object"
            ) from None
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(
                f"{shown} is incomplete ({exc}); expected op, path and, for its op, value or from"
            ) from None
        if not isinstance(patched, dict):
            raise ValueError(f"{shown} replaces the whole object; expected changes to it")
    return dict(patched)


# -- applying a workload's patches ------------------------------------------------------------

_IDENTITY = (("apiVersion",), ("kind",), ("metadata", "name"), ("metadata", "namespace"))


def _at(obj: Obj, path: Path) -> Any:
    here: Any = obj
    for key in path:
        here = here.get(key) if isinstance(here, dict) else None
    return here


def _identity(obj: Obj) -> str:
    return f"{obj['kind']} {obj['metadata']['name']}"


def apply_patches(objects: list[Obj], patches: Sequence[KubernetesPatch], name: str) -> list[Obj]:
    """The objects with each patch applied in order; PatchError names the first that fails."""
    out = copy.deepcopy(objects)
    for index, patch in enumerate(patches):
        target = (patch.target.kind, patch.target.name or name)
        found = [i for i, o in enumerate(out) if (o["kind"], o["metadata"]["name"]) == target]
        if not found:
            rendered = ", ".join(sorted(_identity(o) for o in out))
            raise PatchError(
                index,
                f"found a patch on {target[0]} {target[1]}, which {name} does not render; "
                f"expected one of: {rendered}",
            )
        before = out[found[0]]
        try:
            after = (
                strategic_merge(before, patch.strategic_merge)
                if patch.strategic_merge is not None
                else json6902(before, patch.json6902 or ())
            )
        except ValueError as exc:
            raise PatchError(index, f"{_identity(before)}: {exc}") from None
        for path in _IDENTITY:
            if _at(after, path) != _at(before, path):
                raise PatchError(
                    index,
                    f"found a patch that changes {'.'.join(path)} of {_identity(before)}; "
                    "expected the object to keep its identity (patch its other fields)",
                )
        out[found[0]] = after
    return out


# -- the edits that replay a patch --------------------------------------------------------------


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON (True is not 1)."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _aligned(old: Any, new: Any) -> bool:
    """Two lists whose items can be edited in place: as many, each equal or both mappings."""
    return (
        isinstance(old, list)
        and isinstance(new, list)
        and len(old) == len(new)
        and all(
            (isinstance(o, dict) and isinstance(n, dict)) or _same(o, n)
            for o, n in zip(old, new, strict=True)
        )
    )


EditPath = tuple[str | int, ...]


def _diff(before: Obj, after: Obj, path: EditPath, sets: list[Obj], removes: list[Any]) -> None:
    for key in sorted(before.keys() - after.keys()):
        removes.append([*path, key])
    for key in sorted(after):
        old, new = before.get(key, _MISSING), after[key]
        here = (*path, key)
        if isinstance(old, dict) and isinstance(new, dict):
            _diff(old, new, here, sets, removes)
        elif _aligned(old, new):
            # Items edited in place (an index in the path), so that a change inside the one
            # container does not copy the whole container into the values.
            for i, (o, n) in enumerate(zip(old, new, strict=True)):
                if not _same(o, n):
                    _diff(o, n, (*here, i), sets, removes)
        elif old is _MISSING or not _same(old, new):
            sets.append({"path": [*here], "value": new})


_MISSING = object()


def object_edits(before: list[Obj], after: list[Obj]) -> list[Obj]:
    """Per changed object, the key paths to remove and to set (whole values: a changed list
    is set as a whole), in a stable order."""
    edits = []
    for old, new in zip(before, after, strict=True):
        sets: list[Obj] = []
        removes: list[Any] = []
        _diff(old, new, (), sets, removes)
        if sets or removes:
            edits.append(
                {
                    "kind": old["kind"],
                    "name": old["metadata"]["name"],
                    "remove": removes,
                    "set": sets,
                }
            )
    return sorted(edits, key=lambda e: (e["kind"], e["name"]))


def apply_edits(objects: list[Obj], edits: Sequence[Obj]) -> list[Obj]:
    """What the chart's `workload.edited` helper does to its objects: removes, then sets."""
    by_identity = {(e["kind"], e["name"]): e for e in edits}
    out = []
    for obj in objects:
        edit = by_identity.get((obj["kind"], obj["metadata"]["name"]))
        if edit is not None:
            obj = copy.deepcopy(obj)
            for path in edit["remove"]:
                _parent(obj, path).pop(path[-1])
            for entry in edit["set"]:
                _parent(obj, entry["path"])[entry["path"][-1]] = copy.deepcopy(entry["value"])
        out.append(obj)
    return out


def _parent(obj: Obj, path: Sequence[str | int]) -> Obj:
    """The mapping holding the last key of `path` (earlier steps: keys, or list indexes)."""
    here: Any = obj
    for step in path[:-1]:
        here = here[step]
    parent: Obj = here
    return parent


def workload_patches(bp: Blueprint, name: str) -> tuple[KubernetesPatch, ...]:
    kubernetes = bp.overrides.kubernetes
    workload = kubernetes.workloads.get(name) if kubernetes else None
    return workload.patches if workload else ()


def with_object_edits(bp: Blueprint, name: str, values: Obj) -> Obj:
    """The release's values with `objectEdits`: empty without patches (so Helm's merge with the
    chart's default adds nothing), else what makes the chart render the patched objects."""
    from generators.kubernetes.objects import release_objects  # objects replays the edits

    values = {**values, "objectEdits": []}
    patches = workload_patches(bp, name)
    if patches:
        before = release_objects(values)
        values["objectEdits"] = object_edits(before, apply_patches(before, patches, name))
    return dict(sorted(values.items()))


def patch_problems(view: SystemView) -> list[Problem]:
    """Each workload's first patch that cannot apply, positioned at that patch."""
    from generators.kubernetes.values import kubernetes_workloads, release_values

    bp = view.blueprint
    problems = []
    for name in kubernetes_workloads(view):
        if not workload_patches(bp, name):
            continue
        try:
            release_values(view, name)
        except PatchError as exc:
            path = ("overrides", "kubernetes", "workloads", name, "patches", exc.index)
            problems.append(Problem(path, exc.message))
    return problems
