"""Kubernetes manifests -> blueprint: Deployments and StatefulSets become services, CronJobs
jobs; Services give the port and how it is exposed, Ingresses the HTTP entry points,
NetworkPolicies the calls they admit, HPAs the scaling; probes, resources, environment
(secretKeyRef and secret-looking values become references). Everything else is one report
line. This module reads the workloads; kubernetes_services what reaches and scales them."""

from __future__ import annotations

from typing import Any

from blueprint.importers import common, kubernetes_services
from blueprint.importers.common import Draft
from blueprint.importers.kubernetes_services import Manifest, name_of, ref_of

WORKLOADS = {"Deployment", "StatefulSet", "CronJob"}
# Keys read (or reported with their own reason) at each level; any other key is reported.
WORKLOAD_KEYS = {"replicas", "selector", "template", "serviceName", "volumeClaimTemplates",
                 "schedule", "jobTemplate"}  # fmt: skip
POD_KEYS = {"containers", "initContainers", "volumes"}
CONTAINER_KEYS = {"name", "image", "ports", "env", "resources", "readinessProbe",
                  "livenessProbe", "startupProbe", "envFrom", "command", "args", "volumeMounts",
                  "securityContext"}  # fmt: skip


def import_manifests(objects: list[Manifest], name: str) -> Draft:
    draft = Draft(name=common.dns_label(name))
    namespaces = sorted(
        {
            str(o["metadata"]["namespace"])
            for o in objects
            if (o.get("metadata") or {}).get("namespace")
        }
    )
    if namespaces:
        draft.namespace = common.dns_label(namespaces[0])
        for other in namespaces[1:]:
            draft.note(
                f"namespace {other}",
                f"not carried over: the blueprint deploys into {draft.namespace}",
            )
    workloads = [o for o in objects if o.get("kind") in WORKLOADS]
    names = {ref_of(o): draft.claim(name_of(o), ref_of(o)) for o in workloads}
    labels: dict[str, dict[str, str]] = {}  # workload name -> pod labels
    for obj in workloads:
        target = names[ref_of(obj)]
        template = _pod_template(obj)
        labels[target] = dict(((template.get("metadata") or {}).get("labels")) or {})
        body = _workload(draft, obj, template, target)
        if obj["kind"] == "CronJob":
            body["trigger"] = {"schedule": str(obj["spec"].get("schedule", "0 0 * * *"))}
            draft.jobs[target] = body
        else:
            draft.services[target] = body
    by_service: dict[str, str] = {}  # Kubernetes Service name -> workload
    for obj in objects:
        kind = obj.get("kind")
        if kind in WORKLOADS:
            continue
        if kind == "Service":
            kubernetes_services.service(draft, obj, labels, by_service)
        elif kind == "HorizontalPodAutoscaler":
            kubernetes_services.hpa(draft, obj, names)
        elif kind in {"Ingress", "NetworkPolicy"}:
            continue  # after every Service is known
        elif kind == "Secret":
            draft.note(
                ref_of(obj),
                "values not carried over: a blueprint references secrets in a store, never holds "
                "them",
            )
        else:
            draft.note(ref_of(obj), "not carried over: no blueprint equivalent")
    for obj in objects:
        if obj.get("kind") == "Ingress":
            kubernetes_services.ingress(draft, obj, by_service)
        elif obj.get("kind") == "NetworkPolicy":
            kubernetes_services.network_policy(draft, obj, labels)
        if (obj.get("metadata") or {}).get("annotations"):
            draft.note(ref_of(obj), "annotations not carried over")
    if len(workloads) > 1 and not any(o.get("kind") == "NetworkPolicy" for o in objects):
        draft.note(
            "calls",
            "no NetworkPolicy says which workload calls which: none imported; declare calls",
        )
    return draft


def _unknown(draft: Draft, where: str, spec: Manifest, known: set[str]) -> None:
    for key in spec:
        if key not in known:
            draft.note(f"{where}.{key}", "not carried over")


def _pod_template(obj: Manifest) -> Manifest:
    spec = obj.get("spec") or {}
    if obj["kind"] == "CronJob":
        spec = ((spec.get("jobTemplate") or {}).get("spec")) or {}
    template: Manifest = spec.get("template") or {}
    return template


def _workload(draft: Draft, obj: Manifest, template: Manifest, name: str) -> dict[str, Any]:
    where = ref_of(obj)
    pod = template.get("spec") or {}
    containers = list(pod.get("containers") or [])
    out: dict[str, Any] = {"platform": "kubernetes"}
    if not containers:
        draft.note(where, "has no containers; imported without an image")
        return out
    for extra in containers[1:]:
        draft.note(
            f"{where} container {extra.get('name')}",
            "not carried over: a workload runs one container",
        )
    for extra in pod.get("initContainers") or ():
        draft.note(f"{where} init container {extra.get('name')}", "not carried over")
    container = containers[0]
    _unknown(draft, where, obj.get("spec") or {}, WORKLOAD_KEYS)
    if obj["kind"] == "CronJob":
        job = ((obj.get("spec") or {}).get("jobTemplate") or {}).get("spec") or {}
        _unknown(draft, f"{where}.jobTemplate", job, {"template"})
    _unknown(
        draft,
        f"{where}.pod",
        pod,
        POD_KEYS | ({"restartPolicy"} if obj["kind"] == "CronJob" else set()),
    )
    _unknown(draft, where, container, CONTAINER_KEYS)
    for volume in pod.get("volumes") or ():
        if not isinstance(volume.get("persistentVolumeClaim"), dict):
            draft.note(
                f"{where} volume {volume.get('name')}",
                "not carried over: only persistent volume claims become storage",
            )
    if isinstance(container.get("image"), str):
        img = common.image(container["image"], draft, f"{where}.image")
        if img:
            out["image"] = img
    ports = [
        p.get("containerPort")
        for p in container.get("ports") or ()
        if isinstance(p.get("containerPort"), int)
    ]
    if ports and obj["kind"] != "CronJob":
        out["port"] = ports[0]
        for other in ports[1:]:
            draft.note(f"{where}.ports", f"port {other} not carried over: a service has one port")
    spec = obj.get("spec") or {}
    if obj["kind"] != "CronJob" and "replicas" in spec:
        common.carry(draft, out, "replicas", spec["replicas"], common.replicas, f"{where}.replicas")
    _resources(draft, container.get("resources") or {}, out, where)
    env, secrets = _env(draft, container.get("env") or [], name, where)
    if env:
        out["env"] = env
    if secrets:
        out["secrets"] = secrets
        out["uses"] = [{"resource": common.SECRET_STORE, "access": "read"}]
    for key in ("envFrom", "command", "args", "volumeMounts", "securityContext"):
        if container.get(key):
            draft.note(f"{where}.{key}", "not carried over")
    if obj["kind"] != "CronJob":
        health = _probe(draft, container, out.get("port", 8080), where)
        if health:
            out["health"] = health
    claims = list((obj.get("spec") or {}).get("volumeClaimTemplates") or ())
    claims += [
        {"metadata": {"name": v["persistentVolumeClaim"].get("claimName")}}
        for v in pod.get("volumes") or ()
        if isinstance(v.get("persistentVolumeClaim"), dict)
    ]
    for claim in claims:
        volume = str((claim.get("metadata") or {}).get("name", "data"))
        resource = draft.claim(f"{name}-{volume}", f"{where} volume {volume}")
        draft.resources[resource] = {
            "kind": "bucket",
            "description": f"the volume {volume} of {name}",
        }
        out.setdefault("uses", []).append({"resource": resource, "access": "write"})
        draft.note(
            f"{where} volume {volume}",
            f"now bucket {resource}: object storage, not a mounted file system; the workload must "
            "use it through its API",
        )
    return out


def _resources(draft: Draft, resources: Manifest, out: dict[str, Any], where: str) -> None:
    wanted = {**(resources.get("requests") or {}), **(resources.get("limits") or {})}
    if "cpu" in wanted:
        common.carry(draft, out, "cpu", wanted["cpu"], common.cpu, f"{where}.resources.cpu")
    if "memory" in wanted:
        common.carry(
            draft, out, "memory", wanted["memory"], common.memory, f"{where}.resources.memory"
        )


def _env(
    draft: Draft, entries: list[Manifest], name: str, where: str
) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    plain: dict[str, str] = {}
    refs: dict[str, dict[str, str]] = {}
    for entry in entries:
        key = str(entry.get("name"))
        source = entry.get("valueFrom")
        if isinstance(source, dict) and isinstance(source.get("secretKeyRef"), dict):
            ref = source["secretKeyRef"]
            secret_key = common.secret_name(f"{ref.get('name')}-{ref.get('key')}")
            if common.ENV_NAME.match(key):
                refs[key] = {"store": draft.secret_store(), "key": secret_key}
                draft.note(
                    f"{where}.env.{key}",
                    f"Secret {ref.get('name')} key {ref.get('key')}: now {secret_key} in secret "
                    f"store {common.SECRET_STORE}",
                )
            continue
        if source is not None:
            draft.note(f"{where}.env.{key}", "valueFrom not carried over: set a value")
            continue
        value = entry.get("value", "")
        plain[key] = str(value).lower() if isinstance(value, bool) else str(value)
    env, secrets = common.environment(plain, draft, name, f"{where}.env")
    return env, {**secrets, **refs}


def _probe(draft: Draft, container: Manifest, port: int, where: str) -> dict[str, Any] | None:
    for key in ("readinessProbe", "livenessProbe", "startupProbe"):
        probe = container.get(key)
        if not isinstance(probe, dict):
            continue
        http = probe.get("httpGet")
        if not isinstance(http, dict):
            draft.note(f"{where}.{key}", "not an HTTP probe; not carried over")
            continue
        health: dict[str, Any] = {"path": str(http.get("path", "/"))}
        probe_port = http.get("port")
        if isinstance(probe_port, int) and probe_port != port:
            health["port"] = probe_port
        common.carry_timings(
            draft, health, probe,
            {"periodSeconds": "interval_seconds", "timeoutSeconds": "timeout_seconds"},
            f"{where}.{key}",
        )  # fmt: skip
        others = [
            k
            for k in ("readinessProbe", "livenessProbe", "startupProbe")
            if k != key and k in container
        ]
        for other in others:
            draft.note(
                f"{where}.{other}",
                f"not carried over: the blueprint has one health check (from {key})",
            )
        return health
    return None
