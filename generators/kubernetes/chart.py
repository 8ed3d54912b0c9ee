"""The workload chart: shipped with the project and versioned here; one release per workload.

The templates are package data (templates/chart/); Chart.yaml, the default values and the
values schema are built as data so they stay in step with values.py and schema.py.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from generators.common.yamldump import dump
from generators.kubernetes.schema import VALUES_SCHEMA
from generators.kubernetes.volumes import TMP_VOLUME

CHART_NAME = "workload"
# Bump on any change to the templates, the schema or the default values.
CHART_VERSION = "0.4.0"
KUBE_VERSION = ">=1.27.0-0"  # CronJob timeZone is GA from 1.27

CHART_METADATA: dict[str, Any] = {
    "apiVersion": "v2",
    "name": CHART_NAME,
    "description": "One blueprint workload (a service, a topic worker or a cron job) as a "
    "hardened Deployment, StatefulSet or CronJob with its ServiceAccount, Service, Ingress, "
    "PodDisruptionBudget, HorizontalPodAutoscaler, NetworkPolicy and ServiceMonitor.",
    "type": "application",
    "version": CHART_VERSION,
    "kubeVersion": KUBE_VERSION,
    "keywords": ["blueprint", "workload"],
}


def _timing(enabled: bool) -> dict[str, Any]:
    return {
        "enabled": enabled,
        "periodSeconds": 30,
        "timeoutSeconds": 5,
        "failureThreshold": 3,
        "initialDelaySeconds": 0,
    }


# The defaults: a valid, inert release (1 replica of a placeholder image that can never be
# pulled) so `helm lint` passes on the chart alone. Every blueprint values file sets every key.
DEFAULT_VALUES: dict[str, Any] = {
    "name": "",
    "namespace": "",
    "partOf": "",
    "workload": "service",
    "description": "",
    "image": {
        "repository": "registry.invalid/replace-me",
        "tag": "0.0.0",
        "digest": "",
        "pullPolicy": "Always",
    },
    "replicas": 1,
    "resources": {
        "requests": {"cpu": "250m", "memory": "512Mi"},
        "limits": {"cpu": "250m", "memory": "512Mi"},
    },
    "securityContext": {"runAsUser": 10001, "runAsGroup": 10001},
    "serviceAccount": {"automountToken": False},
    "ports": [
        {"name": "http", "port": 8080, "servicePort": 8080, "protocol": "TCP", "appProtocol": ""}
    ],
    "env": [],
    "secretEnv": [],
    "externalSecrets": [],
    "probes": {
        "handler": {
            "type": "tcp",
            "path": "",
            "port": 8080,
            "headers": [],
            "grpcService": "",
            "command": [],
        },
        "startup": _timing(False),
        "readiness": _timing(True),
        "liveness": _timing(True),
    },
    "writable": [TMP_VOLUME],
    "storage": {"enabled": False, "path": "", "size": "", "storageClass": ""},
    "keda": {
        "enabled": False,
        "minReplicas": 0,
        "maxReplicas": 1,
        "bootstrapServers": "",
        "topic": "",
        "consumerGroup": "",
        "lagThreshold": 10,
    },
    "service": {"enabled": True, "type": "ClusterIP", "nodePort": 0},
    "ingresses": [],
    "httpRoutes": [],
    "podDisruptionBudget": {"enabled": False, "maxUnavailable": 1},
    "autoscaling": {
        "enabled": False,
        "minReplicas": 1,
        "maxReplicas": 1,
        "cpuTargetPercent": 70,
        "memoryTargetPercent": 0,
        "podsMetric": {"name": "", "averageValue": ""},
    },
    "networkPolicy": {"ingress": [], "egress": []},
    "serviceMonitor": {"enabled": False, "port": "http", "path": "/metrics", "interval": "30s"},
    "cron": {"schedule": "", "timeZone": "Etc/UTC", "backoffLimit": 0},
    "checkovSkips": [],
    # Empty by default, so Helm's merge of the release's values onto these adds nothing.
    "extraLabels": {},
    "extraAnnotations": {},
    "objectEdits": [],
}

_TEMPLATES = resources.files("generators.kubernetes") / "templates" / "chart" / "templates"


def template_files() -> dict[str, str]:
    """templates/<file> -> text, as shipped."""
    return {
        f"templates/{entry.name}": entry.read_text(encoding="utf-8")
        for entry in sorted(_TEMPLATES.iterdir(), key=lambda e: e.name)
        if entry.is_file() and entry.name.endswith((".yaml", ".tpl"))
    }


def chart_files() -> dict[str, str]:
    """Every file of the chart, relative to the chart directory."""
    return {
        "Chart.yaml": dump(CHART_METADATA),
        "values.yaml": dump(DEFAULT_VALUES),
        "values.schema.json": json.dumps(VALUES_SCHEMA, indent=2, sort_keys=True) + "\n",
        **template_files(),
    }
