"""The plain manifests of one release: the objects the workload chart renders, built in Python
from the same values. Each function mirrors one template of templates/chart/templates/; the
tests render the chart with Helm's own engine and compare the objects one by one."""

from __future__ import annotations

from typing import Any

from generators.kubernetes.connections import external_secret
from generators.kubernetes.keda import scaled_object
from generators.kubernetes.patches import apply_edits
from generators.kubernetes.probes import container_probes
from generators.kubernetes.routing import http_route
from generators.kubernetes.volumes import pod_volumes, volume_claim_templates, volume_mounts

Obj = dict[str, Any]

NAME_LABEL = "app.kubernetes.io/name"
PART_OF_LABEL = "app.kubernetes.io/part-of"
COMPONENT_LABEL = "app.kubernetes.io/component"
# The component of a StatefulSet's headless Service, which the ServiceMonitor leaves out (its
# endpoints are the same pods the workload's own Service already lists).
HEADLESS = "headless"


def selector_labels(v: Obj) -> dict[str, str]:
    return {NAME_LABEL: v["name"]}


def labels(v: Obj, component: str | None = None) -> dict[str, str]:
    """The labels of every object: the component is the kind of workload (service, worker or
    cron), which is how a reader of the manifests tells a service without a port from a
    worker."""
    return {
        **selector_labels(v),
        PART_OF_LABEL: v["partOf"],
        COMPONENT_LABEL: component or v["workload"],
        **v["extraLabels"],
    }


def metadata(v: Obj, name: str | None = None, component: str | None = None) -> Obj:
    return {
        "name": name or v["name"],
        "namespace": v["namespace"],
        "labels": labels(v, component),
    }


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


def container(v: Obj) -> Obj:
    run_as = v["securityContext"]
    requests, limits = v["resources"]["requests"], v["resources"]["limits"]
    c: Obj = {
        "name": v["name"],
        "image": image_reference(v["image"]),
        "imagePullPolicy": v["image"]["pullPolicy"],
        "resources": {
            "requests": dict(requests),
            "limits": {"memory": limits["memory"]}
            | ({"cpu": limits["cpu"]} if limits["cpu"] else {}),
        },
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "runAsNonRoot": True,
            "runAsUser": run_as["runAsUser"],
            "runAsGroup": run_as["runAsGroup"],
            "capabilities": {"drop": ["ALL"]},
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "volumeMounts": volume_mounts(v),
    }
    if v["ports"]:
        c["ports"] = [
            {"name": p["name"], "containerPort": p["port"], "protocol": p["protocol"]}
            for p in v["ports"]
        ]
    env = [{"name": e["name"], "value": e["value"]} for e in v["env"]] + [
        {"name": s["name"], "valueFrom": {"secretKeyRef": {"name": s["secret"], "key": s["key"]}}}
        for s in v["secretEnv"]
    ]
    if env:
        c["env"] = env
    c.update(container_probes(v["probes"]))
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
        "volumes": pod_volumes(v),
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
    # An autoscaler (the HorizontalPodAutoscaler or KEDA's) owns the replicas.
    if not (v["autoscaling"]["enabled"] or v["keda"]["enabled"]):
        spec["replicas"] = v["replicas"]
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": workload_metadata(v),
        "spec": spec,
    }


def headless_name(v: Obj) -> str:
    return f"{v['name']}-headless"


def stateful_set(v: Obj) -> Obj:
    spec: Obj = {
        "serviceName": headless_name(v),
        "selector": {"matchLabels": selector_labels(v)},
        "template": {"metadata": {"labels": labels(v)}, "spec": pod_spec(v)},
        "volumeClaimTemplates": volume_claim_templates(v, labels(v)),
    }
    if not v["autoscaling"]["enabled"]:
        spec["replicas"] = v["replicas"]
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": workload_metadata(v),
        "spec": spec,
    }


def workload_object(v: Obj) -> Obj:
    if v["workload"] == "cron":
        return cron_job(v)
    return stateful_set(v) if v["storage"]["enabled"] else deployment(v)


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


def _service_ports(v: Obj, node_port: bool) -> list[Obj]:
    ports = []
    for i, p in enumerate(v["ports"]):
        port: Obj = {
            "name": p["name"],
            "port": p["servicePort"],
            "targetPort": p["name"],
            "protocol": p["protocol"],
        }
        if p["appProtocol"]:
            port["appProtocol"] = p["appProtocol"]
        if i == 0 and node_port and v["service"]["nodePort"]:
            port["nodePort"] = v["service"]["nodePort"]
        ports.append(port)
    return ports


def service(v: Obj) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": metadata(v),
        "spec": {
            "type": v["service"]["type"],
            "selector": selector_labels(v),
            "ports": _service_ports(v, node_port=True),
        },
    }


def headless_service(v: Obj) -> Obj:
    """The StatefulSet's governing Service: a DNS name per pod, no virtual IP."""
    meta = metadata(v, headless_name(v), HEADLESS)
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": meta,
        "spec": {
            "clusterIP": "None",
            "selector": selector_labels(v),
            "ports": _service_ports(v, node_port=False),
        },
    }


CLUSTER_ISSUER_ANNOTATION = "cert-manager.io/cluster-issuer"


def ingress_tls_secret(ing: Obj) -> str:
    """The Secret holding the certificate: the declared one, or the one cert-manager writes."""
    return str(ing["tlsSecret"] or (f"{ing['name']}-tls" if ing["tlsIssuer"] else ""))


def ingress(v: Obj, ing: Obj) -> Obj:
    rule: Obj = {
        "http": {
            "paths": [
                {
                    "path": path,
                    "pathType": "Prefix",
                    "backend": {"service": {"name": v["name"], "port": {"name": ing["port"]}}},
                }
                for path in ing["paths"]
            ]
        }
    }
    if ing["host"]:
        rule["host"] = ing["host"]
    spec: Obj = {"rules": [rule]}
    if ing["className"]:
        spec["ingressClassName"] = ing["className"]
    secret = ingress_tls_secret(ing)
    if secret:
        tls: Obj = {"secretName": secret}
        if ing["host"]:
            tls["hosts"] = [ing["host"]]
        spec["tls"] = [tls]
    meta = metadata(v, ing["name"])
    if ing["tlsIssuer"]:
        meta["annotations"] = {CLUSTER_ISSUER_ANNOTATION: ing["tlsIssuer"]}
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": meta,
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


def _utilization(resource: str, percent: int) -> Obj:
    return {
        "type": "Resource",
        "resource": {
            "name": resource,
            "target": {"type": "Utilization", "averageUtilization": percent},
        },
    }


def horizontal_pod_autoscaler(v: Obj) -> Obj:
    scaling = v["autoscaling"]
    metrics = [_utilization("cpu", scaling["cpuTargetPercent"])]
    if scaling["memoryTargetPercent"]:
        metrics.append(_utilization("memory", scaling["memoryTargetPercent"]))
    pods = scaling["podsMetric"]
    if pods["name"]:
        metrics.append(
            {
                "type": "Pods",
                "pods": {
                    "metric": {"name": pods["name"]},
                    "target": {"type": "AverageValue", "averageValue": pods["averageValue"]},
                },
            }
        )
    kind = "StatefulSet" if v["storage"]["enabled"] else "Deployment"
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": metadata(v),
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": kind, "name": v["name"]},
            "minReplicas": scaling["minReplicas"],
            "maxReplicas": scaling["maxReplicas"],
            "metrics": metrics,
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


def monitor_selector(v: Obj) -> Obj:
    selector: Obj = {"matchLabels": selector_labels(v)}
    if v["storage"]["enabled"]:
        selector["matchExpressions"] = [
            {"key": COMPONENT_LABEL, "operator": "NotIn", "values": [HEADLESS]}
        ]
    return selector


def service_monitor(v: Obj) -> Obj:
    sm = v["serviceMonitor"]
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "ServiceMonitor",
        "metadata": metadata(v),
        "spec": {
            "selector": monitor_selector(v),
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
    objects = [service_account(v), workload_object(v)]
    if v["service"]["enabled"]:
        objects.append(service(v))
        if v["storage"]["enabled"]:
            objects.append(headless_service(v))
    objects.extend(ingress(v, ing) for ing in v["ingresses"])
    objects.extend(http_route(v, r, metadata(v, r["name"])) for r in v["httpRoutes"])
    objects.extend(external_secret(es, metadata(v, es["name"])) for es in v["externalSecrets"])
    if v["podDisruptionBudget"]["enabled"]:
        objects.append(pod_disruption_budget(v))
    if v["autoscaling"]["enabled"]:
        objects.append(horizontal_pod_autoscaler(v))
    if v["keda"]["enabled"]:
        objects.append(scaled_object(v, metadata(v)))
    objects.append(network_policy(v))
    if v["serviceMonitor"]["enabled"]:
        objects.append(service_monitor(v))
    return apply_edits(objects, v["objectEdits"])
