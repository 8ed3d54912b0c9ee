"""Kustomize patches (overrides.kubernetes.workloads.<name>.patches): the objects blueprint
writes are the objects `kubectl kustomize` makes of the unpatched manifests with the same
patches, and the Helm render carries them too (test_agreement renders the patched kitchen sink
with Helm's own engine; test_validation runs kubernetes-validate, kustomize and checkov on it).
Patches that cannot apply are refused at validation with positioned messages."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint.model.overrides import KubernetesPatch
from generators.kubernetes.patches import apply_edits, apply_patches, object_edits
from tests.conftest import slow_examples
from tests.generators.kubernetes.support import (
    KITCHEN_SINK,
    by_identity,
    documents,
    manifest_objects,
    write,
)
from tests.generators.kubernetes.test_injection import TEXT
from tests.support import load_example, load_text, run_cli

Obj = dict[str, Any]


def _kubectl() -> str:
    binary = shutil.which("kubectl")
    if binary is None:
        pytest.skip("kubectl is not installed: `kubectl kustomize` cannot run here")
    return binary


def _kustomize_patch(patch: Obj, default_name: str, api_versions: dict[str, str]) -> Obj:
    kind = patch["target"]["kind"]
    name = patch["target"].get("name", default_name)
    if "strategic_merge" in patch:
        text = {
            "apiVersion": api_versions[kind],
            "kind": kind,
            "metadata": {"name": name},
            **copy.deepcopy(patch["strategic_merge"]),
        }
        # kustomize reads metadata.name from the patch: merge the patch's own metadata in.
        text["metadata"] = {**patch["strategic_merge"].get("metadata", {}), "name": name}
        body: object = text
    else:
        body = patch["json6902"]
    return {"target": {"kind": kind, "name": name}, "patch": json.dumps(body)}


def _kustomize(objects: list[Obj], patches: list[Obj], name: str, root: Path) -> list[Obj]:
    root.mkdir(parents=True, exist_ok=True)
    # JSON, which YAML 1.2 (kustomize) reads back exactly: PyYAML writes "1e3" unquoted.
    base = "".join(f"---\n{json.dumps(o)}\n" for o in objects)
    (root / "base.yaml").write_text(base, encoding="utf-8")
    api_versions = {o["kind"]: o["apiVersion"] for o in objects}
    kustomization = {
        "resources": ["base.yaml"],
        "patches": [_kustomize_patch(p, name, api_versions) for p in patches],
    }
    (root / "kustomization.yaml").write_text(yaml.safe_dump(kustomization), encoding="utf-8")
    proc = subprocess.run(
        [_kubectl(), "kustomize", str(root)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return documents(proc.stdout)


def _without_patches(text: str) -> str:
    """The blueprint's text without its `patches:` blocks (text, not a YAML round trip: the
    blueprint is read as YAML 1.2, where PyYAML would write `1e3` as a number)."""
    kept: list[str] = []
    inside: int | None = None
    for line in text.splitlines(keepends=True):
        indent = len(line) - len(line.lstrip())
        if inside is not None and indent > inside:
            continue
        inside = indent if line.strip() == "patches:" else None
        if inside is None:
            kept.append(line)
    return "".join(kept)


def test_the_manifests_are_what_kustomize_makes_of_the_patches(tmp_path: Path) -> None:
    """End to end: the kitchen sink rendered with its patches equals `kubectl kustomize` of
    the kitchen sink rendered without them, patched with the same patches."""
    from blueprint.pipeline import render_files

    patched = write(render_files(load_text(KITCHEN_SINK), ["kubernetes"]), tmp_path / "patched")
    plain_text = _without_patches(KITCHEN_SINK)
    plain = write(render_files(load_text(plain_text), ["kubernetes"]), tmp_path / "plain")
    workloads = yaml.safe_load(KITCHEN_SINK)["overrides"]["kubernetes"]["workloads"]
    checked = 0
    for name, override in workloads.items():
        if not override.get("patches"):
            continue
        before = [o for f, o in manifest_objects(plain) if f == f"{name}.yaml"]
        after = [o for f, o in manifest_objects(patched) if f == f"{name}.yaml"]
        from_kustomize = _kustomize(before, override["patches"], name, tmp_path / name)
        assert by_identity(after) == by_identity(from_kustomize), name
        assert after != before
        checked += 1
    assert checked == 2


def _objects() -> list[Obj]:
    """The storefront's unpatched objects (a Deployment, Service, ServiceMonitor, ...)."""
    from blueprint.view import SystemView
    from generators.kubernetes.objects import release_objects
    from generators.kubernetes.values import release_values

    view = SystemView.of(load_text(_without_patches(KITCHEN_SINK)).blueprint)
    return release_objects(release_values(view, "storefront"))


def _containers(*containers: Obj, **pod: Any) -> Obj:
    return {"spec": {"template": {"spec": {"containers": list(containers), **pod}}}}


DEPLOYMENT = {"kind": "Deployment"}
MERGES: dict[str, list[Obj]] = {
    "lists merged by name, new items first": [
        {
            "target": DEPLOYMENT,
            "strategic_merge": _containers(
                {"name": "proxy", "image": "envoyproxy/envoy:v1.31.0"},
                {
                    "name": "storefront",
                    "env": [{"name": "EXTRA", "value": "1"}, {"name": "MODE", "value": "off"}],
                    "ports": [{"name": "admin", "containerPort": 9901}],
                    "volumeMounts": [{"name": "cache", "mountPath": "/cache"}],
                },
                volumes=[{"name": "cache", "emptyDir": {}}],
            ),
        }
    ],
    "deletions: null, $patch: delete in a list and on a map": [
        {
            "target": DEPLOYMENT,
            "strategic_merge": {
                "spec": {
                    "template": {
                        "spec": {
                            "containers": [
                                {
                                    "name": "storefront",
                                    "env": [{"name": "RATIO", "$patch": "delete"}],
                                    "readinessProbe": {"$patch": "delete"},
                                    "livenessProbe": None,
                                }
                            ]
                        }
                    }
                },
            },
        }
    ],
    "$patch: replace on a map and lists without a merge key": [
        {
            "target": DEPLOYMENT,
            "strategic_merge": _containers(
                {
                    "name": "storefront",
                    "resources": {"$patch": "replace", "limits": {"memory": "1Gi"}},
                },
                tolerations=[{"key": "dedicated", "operator": "Exists"}],
            ),
        },
        {
            "target": {"kind": "NetworkPolicy"},
            "strategic_merge": {"spec": {"egress": [{"ports": [{"port": 53, "protocol": "UDP"}]}]}},
            "justification": {
                "owner": "team-platform",
                "reason": "DNS egress for the resolver sidecar",
                "expires": "2027-01-31",
            },
        },
        {
            "target": {"kind": "ServiceMonitor"},
            "strategic_merge": {"spec": {"endpoints": [{"port": "metrics", "interval": "10s"}]}},
        },
    ],
    "service ports merged by port": [
        {
            "target": {"kind": "Service"},
            "strategic_merge": {"spec": {"ports": [{"name": "https", "port": 443}]}},
        }
    ],
    "json 6902 operations, then a merge on the result": [
        {
            "target": DEPLOYMENT,
            "json6902": [
                {
                    "op": "test",
                    "path": "/spec/template/spec/containers/0/name",
                    "value": "storefront",
                },
                {"op": "add", "path": "/spec/template/spec/containers/0/args", "value": ["x"]},
                {"op": "add", "path": "/spec/template/spec/containers/0/args/-", "value": "y"},
                {
                    "op": "replace",
                    "path": "/spec/template/spec/containers/0/imagePullPolicy",
                    "value": "Always",
                },
                {"op": "copy", "from": "/metadata/labels/team", "path": "/metadata/labels/owner"},
                {
                    "op": "move",
                    "from": "/metadata/labels/owner",
                    "path": "/metadata/labels/steward",
                },
                {"op": "remove", "path": "/spec/template/spec/volumes/0"},
                {"op": "remove", "path": "/spec/template/spec/containers/0/volumeMounts"},
            ],
        },
        {"target": DEPLOYMENT, "strategic_merge": {"spec": {"minReadySeconds": 5}}},
    ],
}


@pytest.mark.parametrize("case", sorted(MERGES))
def test_each_kind_of_patch_agrees_with_kustomize(case: str, tmp_path: Path) -> None:
    objects = _objects()
    patches = MERGES[case]
    models = [KubernetesPatch.model_validate(p) for p in patches]
    ours = apply_patches(objects, models, "storefront")
    assert by_identity(ours) == by_identity(_kustomize(objects, patches, "storefront", tmp_path))
    # The edits the values carry replay the patches exactly (the chart runs the same steps).
    assert apply_edits(objects, object_edits(objects, ours)) == ours


_KEYS = st.sampled_from(["a", "b", "c"])
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=3),
    max_leaves=12,
)
_DOCS = st.dictionaries(_KEYS, _JSON, max_size=3)


@settings(max_examples=slow_examples(300), deadline=None)
@given(before=_DOCS, after=_DOCS)
def test_edits_turn_any_object_into_any_other(before: Obj, after: Obj) -> None:
    old = {"kind": "Thing", "metadata": {"name": "x"}, **before}
    new = {"kind": "Thing", "metadata": {"name": "x"}, **after}
    assert apply_edits([old], object_edits([old], [new])) == [new]


BASE = """\
name: demo
platforms:
  kubernetes: {namespace: shop}
services:
  web:
    platform: kubernetes
    image: {registry: ghcr.io, repository: acme/web, tag: "1.8.2"}
    replicas: 2
    health: {path: /healthz}
overrides:
  kubernetes:
    workloads:
      web:
        patches:
"""


def _refused(tmp_path: Path, patches: str, command: str = "validate") -> list[str]:
    path = tmp_path / "blueprint.yaml"
    path.write_text(BASE + patches, encoding="utf-8")
    extra = ("--out", str(tmp_path / "out")) if command == "render" else ()
    code, out, err = run_cli(command, str(path), *extra)
    assert (code, out) == (2, ""), err
    return [line.removeprefix(f"{path}:") for line in err.splitlines()]


def test_patches_that_cannot_apply_are_refused_at_validation(tmp_path: Path) -> None:
    assert _refused(
        tmp_path,
        """\
          - target: {kind: HorizontalPodAutoscaler}
            strategic_merge: {spec: {maxReplicas: 9}}
""",
    ) == [
        "15:13: found a patch on HorizontalPodAutoscaler web, which web does not render; "
        "expected one of: Deployment web, NetworkPolicy web, PodDisruptionBudget web, Service web, "
        "ServiceAccount web",
    ]


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        (
            "{target: {kind: Deployment}, json6902: [{op: remove, path: /spec/paused}]}",
            "Deployment web: operation 1 (remove /spec/paused) fails: can't remove a non-existent "
            "object 'paused'; expected an operation that applies to the rendered object",
        ),
        (
            "{target: {kind: Deployment}, json6902: [{op: test, path: /spec/replicas, value: 3}]}",
            "Deployment web: operation 1 (test /spec/replicas) fails: 2 (<class 'int'>) is not "
            "equal to tested value 3 (<class 'int'>); expected an operation that applies to the "
            "rendered object",
        ),
        (
            "{target: {kind: Deployment}, json6902: [{op: rename, path: /spec}]}",
            "Deployment web: operation 1 (rename /spec) fails: Unknown operation 'rename'; "
            "expected an operation that applies to the rendered object",
        ),
        (
            "{target: {kind: Service}, strategic_merge: {metadata: {name: other}}}",
            "found a patch that changes metadata.name of Service web; expected the object to "
            "keep its identity (patch its other fields)",
        ),
        (
            "{target: {kind: Service}, strategic_merge: {spec: {$retainKeys: [type]}}}",
            "Service web: found the directive '$retainKeys' at /spec; expected only "
            "$patch: replace or $patch: delete",
        ),
    ],
)
def test_a_failing_patch_is_named_with_the_reason(patch: str, message: str, tmp_path: Path) -> None:
    for command in ("validate", "render", "check"):
        assert _refused(tmp_path, f"          - {patch}\n", command) == [f"15:13: {message}"]


def test_the_second_patch_applies_to_the_first_ones_result(tmp_path: Path) -> None:
    """Patches apply in order: the test operation sees the first patch's change."""
    path = tmp_path / "blueprint.yaml"
    path.write_text(
        BASE
        + "          - {target: {kind: Deployment}, strategic_merge: {spec: {replicas: 4}}}\n"
        + "          - target: {kind: Deployment}\n"
        + "            json6902: [{op: test, path: /spec/replicas, value: 4}]\n",
        encoding="utf-8",
    )
    code, _out, err = run_cli("render", str(path), "--out", str(tmp_path / "out"))
    assert (code, err) == (0, "")
    objects = documents((tmp_path / "out/kubernetes/manifests/web.yaml").read_text("utf-8"))
    assert by_identity(objects)[("Deployment", "web")]["spec"]["replicas"] == 4


def test_a_patch_on_the_pod_identity_needs_a_justification(tmp_path: Path) -> None:
    assert _refused(
        tmp_path,
        """\
          - target: {kind: Deployment}
            strategic_merge: {spec: {template: {spec: {serviceAccountName: admin}}}}
          - target: {kind: Deployment}
            json6902:
              - {op: replace, path: /spec/template/spec/automountServiceAccountToken, value: true}
""",
    ) == [
        "15:13: found an override of serviceAccountName (the pod's identity), an identity or "
        "network-security object; expected a justification: {owner, reason, expires} "
        "(overrides there bypass the access rules)",
        "17:13: found an override of automountServiceAccountToken (the pod's identity), an "
        "identity or network-security object; expected a justification: {owner, reason, "
        "expires} (overrides there bypass the access rules)",
    ]


@pytest.fixture(scope="module")
def chart(tmp_path_factory: pytest.TempPathFactory) -> Any:
    import helm_python

    from generators.kubernetes.chart import chart_files

    root = tmp_path_factory.mktemp("chart")
    for path, text in chart_files().items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8", newline="\n")
    with helm_python.Chart.load(root) as loaded:
        yield loaded


def _hostile_patches(value: str) -> Any:
    from blueprint.model import Blueprint

    data = load_example("kubernetes-helm").blueprint.model_dump(mode="json", exclude_none=True)
    container = {"name": "hello", "env": [{"name": "HOSTILE", "value": value}]}
    data["overrides"] = {
        "kubernetes": {
            "workloads": {
                "hello": {
                    "patches": [
                        {
                            "target": {"kind": "Deployment"},
                            "strategic_merge": {
                                "metadata": {"annotations": {"example.com/text": value}},
                                "spec": {"template": {"spec": {"containers": [container]}}},
                            },
                        },
                        {
                            "target": {"kind": "Service"},
                            "json6902": [
                                {"op": "add", "path": "/metadata/annotations", "value": {}},
                                {"op": "add", "path": "/metadata/annotations/x", "value": value},
                            ],
                        },
                    ]
                }
            }
        }
    }
    return Blueprint.model_validate(data)


@settings(
    max_examples=slow_examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(value=TEXT)
def test_hostile_strings_in_patches_reach_helm_and_the_manifests_alike(
    chart: Any, value: str
) -> None:
    """A patch's values travel through the values file and Helm's toYaml: nothing in them is
    read as a template or as YAML structure, and Helm renders exactly the manifests."""
    import helm_python

    from tests.generators.kubernetes.support import render

    files = render(_hostile_patches(value))
    values = helm_python.values_from_yaml(files["kubernetes/values/hello.yaml"])
    manifests = by_identity(documents(files["kubernetes/manifests/hello.yaml"]))
    deployment = manifests[("Deployment", "hello")]
    assert deployment["metadata"]["annotations"]["example.com/text"] == value
    env = deployment["spec"]["template"]["spec"]["containers"][0]["env"]
    assert env[0] == {"name": "HOSTILE", "value": value}
    assert manifests[("Service", "hello")]["metadata"]["annotations"] == {"x": value}
    rendered = chart.render(values, name="hello", namespace=values["namespace"])
    from_helm = by_identity([d for text in rendered.values() for d in documents(text)])
    assert from_helm == manifests
