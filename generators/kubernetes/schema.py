"""values.schema.json of the workload chart: strict, so Helm refuses values it would not
render faithfully (unknown keys, wrong types, out-of-range numbers)."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

_NAME = r"^[a-z]([-a-z0-9]*[a-z0-9])?$"
_LABEL_VALUE = r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$"
_ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"


def _obj(properties: dict[str, Schema], required: list[str] | None = None) -> Schema:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": sorted(properties) if required is None else required,
        "properties": properties,
    }


def _str(pattern: str | None = None, max_length: int | None = None) -> Schema:
    s: Schema = {"type": "string"}
    if pattern is not None:
        s["pattern"] = pattern
    if max_length is not None:
        s["maxLength"] = max_length
    return s


def _int(minimum: int, maximum: int) -> Schema:
    return {"type": "integer", "minimum": minimum, "maximum": maximum}


def _list(items: Schema) -> Schema:
    return {"type": "array", "items": items}


# A step of an objectEdits path: a map key, or an index into a list.
_STEP: Schema = {"anyOf": [_str(), _int(0, 1_000_000)]}
_LABELS: Schema = {
    "type": "object",
    "additionalProperties": _str(_LABEL_VALUE, 63),
    "propertyNames": {"pattern": r"^([a-z0-9.-]+/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$"},
}
_SELECTOR: Schema = _obj(
    {
        "matchLabels": _LABELS,
        "matchExpressions": _list(
            _obj(
                {
                    "key": _str(max_length=317),
                    "operator": {"enum": ["In", "NotIn", "Exists", "DoesNotExist"]},
                    "values": _list(_str(_LABEL_VALUE, 63)),
                }
            )
        ),
    },
    required=[],
)
_PEER: Schema = _obj(
    {
        "podSelector": _SELECTOR,
        "namespaceSelector": _SELECTOR,
        "ipBlock": _obj({"cidr": _str(max_length=43)}),
    },
    required=[],
)
_NETWORK_PORT: Schema = _obj({"port": _int(1, 65535), "protocol": {"enum": ["TCP", "UDP"]}})
_INGRESS_RULE: Schema = _obj({"from": _list(_PEER), "ports": _list(_NETWORK_PORT)}, required=[])
_EGRESS_RULE: Schema = _obj({"to": _list(_PEER), "ports": _list(_NETWORK_PORT)}, required=[])

VALUES_SCHEMA: Schema = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Values of the blueprint workload chart (one release per workload)",
    **_obj(
        {
            "name": {
                **_str(r"^([a-z]([-a-z0-9]*[a-z0-9])?)?$", 63),
                "description": "The workload; the release must carry this name ('' for any).",
            },
            "namespace": {
                **_str(r"^([a-z]([-a-z0-9]*[a-z0-9])?)?$", 63),
                "description": "The release namespace ('' for any).",
            },
            "partOf": _str(_LABEL_VALUE, 63),
            "workload": {"enum": ["service", "worker", "cron"]},
            "description": _str(max_length=4096),
            "image": _obj(
                {
                    "repository": _str(
                        r"^[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)+$", 400
                    ),
                    "tag": _str(r"^([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$"),
                    "digest": _str(r"^(sha256:[a-f0-9]{64})?$"),
                    "pullPolicy": {"enum": ["Always", "IfNotPresent"]},
                }
            ),
            "replicas": _int(0, 1000),
            "resources": _obj({"cpu": _str(r"^[1-9][0-9]*m$"), "memory": _str(r"^[1-9][0-9]*Mi$")}),
            "securityContext": _obj(
                {"runAsUser": _int(1, 2147483647), "runAsGroup": _int(1, 2147483647)}
            ),
            "serviceAccount": _obj({"automountToken": {"type": "boolean"}}),
            "ports": _list(_obj({"name": {"enum": ["http", "metrics"]}, "port": _int(1, 65535)})),
            "env": _list(_obj({"name": _str(_ENV_NAME, 128), "value": _str(max_length=4096)})),
            "secretEnv": _list(
                _obj(
                    {
                        "name": _str(_ENV_NAME, 128),
                        "secret": _str(_NAME, 63),
                        "key": _str(r"^[A-Za-z0-9][-A-Za-z0-9_.]{0,126}$"),
                    }
                )
            ),
            "probe": {
                **_obj(
                    {
                        "type": {"enum": ["http", "tcp", "none"]},
                        "path": _str(r"^(/\S*)?$", 2048),
                        "port": _int(0, 65535),
                        "periodSeconds": _int(1, 300),
                        "timeoutSeconds": _int(1, 60),
                    }
                ),
                "if": {"properties": {"type": {"enum": ["http", "tcp"]}}},
                "then": {"properties": {"port": {"minimum": 1}}},
            },
            "service": _obj(
                {
                    "type": {"enum": ["ClusterIP", "NodePort", "LoadBalancer"]},
                    "nodePort": {
                        "anyOf": [{"const": 0}, _int(30000, 32767)],
                        "description": "0 lets Kubernetes choose (or, for ClusterIP, none).",
                    },
                }
            ),
            "ingresses": _list(
                _obj(
                    {
                        "name": _str(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", 253),
                        "host": _str(r"^(([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,63})?$", 253),
                        "tlsSecret": _str(r"^([a-z]([-a-z0-9]*[a-z0-9])?)?$", 63),
                        "paths": {**_list(_str(r"^/\S*$", 2048)), "minItems": 1},
                    }
                )
            ),
            "podDisruptionBudget": _obj(
                {"enabled": {"type": "boolean"}, "maxUnavailable": _int(1, 1000)}
            ),
            "autoscaling": _obj(
                {
                    "enabled": {"type": "boolean"},
                    "minReplicas": _int(1, 1000),
                    "maxReplicas": _int(1, 1000),
                    "cpuTargetPercent": _int(1, 100),
                }
            ),
            "networkPolicy": _obj({"ingress": _list(_INGRESS_RULE), "egress": _list(_EGRESS_RULE)}),
            "serviceMonitor": _obj(
                {
                    "enabled": {"type": "boolean"},
                    "port": {"enum": ["http", "metrics"]},
                    "path": _str(r"^/\S*$", 2048),
                    "interval": _str(r"^[1-9][0-9]*s$"),
                }
            ),
            "cron": {
                **_obj(
                    {
                        "schedule": _str(r"^((\S+\s+){4}\S+)?$", 256),
                        "timeZone": _str(r"^[A-Za-z0-9_+/-]+$", 64),
                        "backoffLimit": _int(0, 100),
                    }
                ),
            },
            # overrides.kubernetes: may not replace the labels the selectors rely on.
            "extraLabels": {
                **_LABELS,
                "propertyNames": {
                    **_LABELS["propertyNames"],
                    "not": {"enum": ["app.kubernetes.io/name", "app.kubernetes.io/part-of"]},
                },
            },
            "extraAnnotations": {
                "type": "object",
                "additionalProperties": _str(max_length=65536),
                "propertyNames": _LABELS["propertyNames"],
            },
            # overrides.kubernetes patches, as the edits that replay them (patches.py).
            "objectEdits": _list(
                _obj(
                    {
                        "kind": _str(r"^[A-Z][A-Za-z0-9]{0,62}$"),
                        "name": _str(_NAME, 253),
                        "remove": _list({**_list(_STEP), "minItems": 1}),
                        "set": _list(_obj({"path": {**_list(_STEP), "minItems": 1}, "value": {}})),
                    }
                )
            ),
            "checkovSkips": _list(
                _obj(
                    {
                        "id": _str(r"^CKV2?_K8S_[0-9]+$"),
                        # checkov splits the annotation at '=': a reason may not contain one.
                        "reason": _str(r"^[^=]+$", 512),
                    }
                )
            ),
        }
    ),
    # A cron workload needs its schedule.
    "if": {"properties": {"workload": {"const": "cron"}}},
    "then": {"properties": {"cron": {"properties": {"schedule": {"minLength": 1}}}}},
}
