"""The plain manifests of one release: the objects the workload chart renders, built in Python
from the same values. Each function mirrors one template of templates/chart/templates/; the
tests render the chart with Helm's own engine and compare the objects one by one."""

from __future__ import annotations

from typing import Any

from generators.kubernetes.patches import apply_edits

Obj = dict[str, Any]

NAME_LABEL = "app.kubernetes.io/name"
PART_OF_LABEL = "app.kubernetes.io/part-of"


def selector_labels(v: Obj) -> dict[str, str]:
    return {NAME_LABEL: v["name"]}


def labels(v: Obj) -> dict[str, str]:
    return {**selector_labels(v), PART_OF_LABEL: v["partOf"], **v["extraLabels"]}


def metadata(v: Obj, name: str | None = None) -> Obj:
    return {"name": name or v["name"], "namespace": v["namespace"], "labels": labels(v)}


def workload_annotations(v: Obj) -> dict[str, str]:
    out = {}
    if v["description"]:
        out["kubernetes.io/description"] = v["description"]
    for i, skip in enumerate(v["checkovSkips"], start=1):
        out[f"checkov.io/skip{i}"] = f"{skip['id']}={skip['reason']}"
    out.update(v["extraAnnotations"])
    return out


def workload_metadata(v: Obj) -> Obj:
    meta = metadata(v)
    notes = workload_annotations(v)
    if notes:
        meta["annotations"] = notes
    return meta


def image_reference(image: Obj) -> str:
    ref = image["repository"]
    if image["tag"]:
        ref += f":{image['tag']}"
    if image["digest"]:
        ref += f"@{image['digest']}"
    return str(ref)


def probe(p: Obj) -> Obj:
    handler: Obj = (
        {"httpGet": {"path": p["path"], "port": p["port"]}}
        if p["type"] == "http"
        else {"tcpSocket": {"port": p["port"]}}
    )
    return {**handler, "periodSeconds": p["periodSeconds"], "timeoutSeconds": p["timeoutSeconds"]}


def container(v: Obj) -> Obj:
    run_as = v["securityContext"]
    resources = {"cpu": v["resources"]["cpu"], "memory": v["resources"]["memory"]}
    c: Obj = {
        "name": v["name"],
        "image": image_reference(v["image"]),
        "imagePullPolicy": v["image"]["pullPolicy"],
        "resources": {"requests": dict(resources), "limits": dict(resources)},
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "runAsNonRoot": True,
            "runAsUser": run_as["runAsUser"],
            "runAsGroup": run_as["runAsGroup"],
            "capabilities": {"drop": ["ALL"]},
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],  # noqa: S108 - an emptyDir, not the host's /tmp
    }
    if v["ports"]:
        c["ports"] = [
            {"name": p["name"], "containerPort": p["port"], "protocol": "TCP"} for p in v["ports"]
        ]
    env = [{"name": e["name"], "value": e["value"]} for e in v["env"]] + [
        {"name": s["name"], "valueFrom": {"secretKeyRef": {"name": s["secret"], "key": s["key"]}}}
        for s in v["secretEnv"]
    ]
    if env:
        c["env"] = env
    if v["probe"]["type"] != "none":
        c["livenessProbe"] = probe(v["probe"])
        c["readinessProbe"] = probe(v["probe"])
    return c


def pod_spec(v: Obj) -> Obj:
    run_as = v["securityContext"]
    return {
        "serviceAccountName": v["name"],
        "automountServiceAccountToken": v["serviceAccount"]["automountToken"],
        "securityContext": {
            "runAsNonRoot": True,
            "runAsUser": run_as["runAsUser"],
            "runAsGroup": run_as["runAsGroup"],
            "fsGroup": run_as["runAsGroup"],
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "containers": [container(v)],
        "volumes": [{"name": "tmp", "emptyDir": {}}],
    }


def service_account(v: Obj) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": metadata(v),
        "automountServiceAccountToken": v["serviceAccount"]["automountToken"],
    }


def deployment(v: Obj) -> Obj:
    spec: Obj = {
        "selector": {"matchLabels": selector_labels(v)},
        "template": {"metadata": {"labels": labels(v)}, "spec": pod_spec(v)},
    }
    if not v["autoscaling"]["enabled"]:
        spec["replicas"] = v["replicas"]
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": workload_metadata(v),
        "spec": spec,
    }


def cron_job(v: Obj) -> Obj:
    cron = v["cron"]
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": workload_metadata(v),
        "spec": {
            "schedule": cron["schedule"],
            "timeZone": cron["timeZone"],
            "concurrencyPolicy": "Forbid",
            "successfulJobsHistoryLimit": 3,
            "failedJobsHistoryLimit": 3,
            "jobTemplate": {
                "metadata": {"labels": labels(v)},
                "spec": {
                    "backoffLimit": cron["backoffLimit"],
                    "template": {
                        "metadata": {"labels": labels(v)},
                        "spec": {"restartPolicy": "Never", **pod_spec(v)},
                    },
                },
            },
        },
    }


def service(v: Obj) -> Obj:
    ports = []
    for p in v["ports"]:
        port: Obj = {
            "name": p["name"],
            "port": p["port"],
            "targetPort": p["name"],
            "protocol": "TCP",
        }
        if p["name"] == "http" and v["service"]["nodePort"]:
            port["nodePort"] = v["service"]["nodePort"]
        ports.append(port)
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": metadata(v),
        "spec": {"type": v["service"]["type"], "selector": selector_labels(v), "ports": ports},
    }


def ingress(v: Obj, ing: Obj) -> Obj:
    rule: Obj = {
        "http": {
            "paths": [
                {
                    "path": path,
                    "pathType": "Prefix",
                    "backend": {"service": {"name": v["name"], "port": {"name": "http"}}},
                }
                for path in ing["paths"]
            ]
        }
    }
    if ing["host"]:
        rule["host"] = ing["host"]
    spec: Obj = {"rules": [rule]}
    if ing["tlsSecret"]:
        tls: Obj = {"secretName": ing["tlsSecret"]}
        if ing["host"]:
            tls["hosts"] = [ing["host"]]
        spec["tls"] = [tls]
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": metadata(v, ing["name"]),
        "spec": spec,
    }


def pod_disruption_budget(v: Obj) -> Obj:
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": metadata(v),
        "spec": {
            "maxUnavailable": v["podDisruptionBudget"]["maxUnavailable"],
            "selector": {"matchLabels": selector_labels(v)},
        },
    }


def horizontal_pod_autoscaler(v: Obj) -> Obj:
    scaling = v["autoscaling"]
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": metadata(v),
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": v["name"]},
            "minReplicas": scaling["minReplicas"],
            "maxReplicas": scaling["maxReplicas"],
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "target": {
                            "type": "Utilization",
                            "averageUtilization": scaling["cpuTargetPercent"],
                        },
                    },
                }
            ],
        },
    }


def network_policy(v: Obj) -> Obj:
    spec: Obj = {
        "podSelector": {"matchLabels": selector_labels(v)},
        "policyTypes": ["Ingress", "Egress"],
    }
    if v["networkPolicy"]["ingress"]:
        spec["ingress"] = v["networkPolicy"]["ingress"]
    if v["networkPolicy"]["egress"]:
        spec["egress"] = v["networkPolicy"]["egress"]
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": metadata(v),
        "spec": spec,
    }


def service_monitor(v: Obj) -> Obj:
    sm = v["serviceMonitor"]
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "ServiceMonitor",
        "metadata": metadata(v),
        "spec": {
            "selector": {"matchLabels": selector_labels(v)},
            "endpoints": [
                {
                    "port": sm["port"],
                    "path": sm["path"],
                    "interval": sm["interval"],
                    "scheme": "http",
                }
            ],
        },
    }


def release_objects(v: Obj) -> list[Obj]:
    """Every object of one release, in the order a reader meets them."""
    objects = [service_account(v)]
    objects.append(cron_job(v) if v["workload"] == "cron" else deployment(v))
    if v["workload"] == "service":
        objects.append(service(v))
    objects.extend(ingress(v, ing) for ing in v["ingresses"])
    if v["podDisruptionBudget"]["enabled"]:
        objects.append(pod_disruption_budget(v))
    if v["autoscaling"]["enabled"]:
        objects.append(horizontal_pod_autoscaler(v))
    objects.append(network_policy(v))
    if v["serviceMonitor"]["enabled"]:
        objects.append(service_monitor(v))
    return apply_edits(objects, v["objectEdits"])
