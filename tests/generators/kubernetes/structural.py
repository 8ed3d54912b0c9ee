"""Structural schemas for custom resources whose CRD schema the project's test data does not
hold (tests/data/schemas/SOURCES.md lists what it holds): the Gateway API HTTPRoute
(gateway.networking.k8s.io/v1) and the External Secrets Operator ExternalSecret
(external-secrets.io/v1). Written from each API reference for exactly the fields the generator
emits, strict (no other field), so a misspelt or misplaced key fails."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]


def _obj(properties: dict[str, Schema], required: list[str]) -> Schema:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": properties,
    }


_NAME = {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", "maxLength": 253}
_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_HOSTNAME = rf"^(\*\.)?{_LABEL}(\.{_LABEL})*$"
_METADATA: Schema = {
    "type": "object",
    "required": ["name", "namespace"],
    "properties": {"name": _NAME, "namespace": _NAME, "labels": {"type": "object"}},
}

# gateway.networking.k8s.io/v1 HTTPRoute: parentRefs[].name, hostnames[], rules[].matches[].path
# {type, value} and rules[].backendRefs[] {name, port} (a Service in the route's namespace).
HTTP_ROUTE: Schema = _obj(
    {
        "apiVersion": {"const": "gateway.networking.k8s.io/v1"},
        "kind": {"const": "HTTPRoute"},
        "metadata": _METADATA,
        "spec": _obj(
            {
                "parentRefs": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 32,
                    "items": _obj({"name": _NAME}, ["name"]),
                },
                "hostnames": {
                    "type": "array",
                    "maxItems": 16,
                    "items": {
                        "type": "string",
                        "pattern": _HOSTNAME,
                    },
                },
                "rules": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 16,
                    "items": _obj(
                        {
                            "matches": {
                                "type": "array",
                                "maxItems": 64,
                                "items": _obj(
                                    {
                                        "path": _obj(
                                            {
                                                "type": {
                                                    "enum": [
                                                        "Exact",
                                                        "PathPrefix",
                                                        "RegularExpression",
                                                    ]
                                                },
                                                "value": {
                                                    "type": "string",
                                                    "pattern": "^/",
                                                    "maxLength": 1024,
                                                },
                                            },
                                            ["type", "value"],
                                        )
                                    },
                                    ["path"],
                                ),
                            },
                            "backendRefs": {
                                "type": "array",
                                "maxItems": 16,
                                "items": _obj(
                                    {
                                        "name": _NAME,
                                        "port": {"type": "integer", "minimum": 1, "maximum": 65535},
                                    },
                                    ["name", "port"],
                                ),
                            },
                        },
                        ["matches", "backendRefs"],
                    ),
                },
            },
            ["parentRefs", "rules"],
        ),
    },
    ["apiVersion", "kind", "metadata", "spec"],
)

_KEY = {"type": "string", "pattern": r"^[-._a-zA-Z0-9]+$", "maxLength": 253}

# external-secrets.io/v1 ExternalSecret: spec.refreshInterval (a Go duration),
# secretStoreRef {kind: SecretStore|ClusterSecretStore, name}, target {name, creationPolicy},
# data[] {secretKey, remoteRef {key, property}}.
EXTERNAL_SECRET: Schema = _obj(
    {
        "apiVersion": {"const": "external-secrets.io/v1"},
        "kind": {"const": "ExternalSecret"},
        "metadata": _METADATA,
        "spec": _obj(
            {
                "refreshInterval": {
                    "type": "string",
                    "pattern": r"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$",
                },
                "secretStoreRef": _obj(
                    {"kind": {"enum": ["SecretStore", "ClusterSecretStore"]}, "name": _NAME},
                    ["name"],
                ),
                "target": _obj(
                    {
                        "name": _NAME,
                        "creationPolicy": {"enum": ["Owner", "Orphan", "Merge", "None"]},
                    },
                    [],
                ),
                "data": {
                    "type": "array",
                    "minItems": 1,
                    "items": _obj(
                        {
                            "secretKey": _KEY,
                            "remoteRef": _obj({"key": _KEY, "property": _KEY}, ["key"]),
                        },
                        ["secretKey", "remoteRef"],
                    ),
                },
            },
            ["secretStoreRef", "data"],
        ),
    },
    ["apiVersion", "kind", "metadata", "spec"],
)

STRUCTURAL: dict[tuple[str, str], Schema] = {
    ("gateway.networking.k8s.io/v1", "HTTPRoute"): HTTP_ROUTE,
    ("external-secrets.io/v1", "ExternalSecret"): EXTERNAL_SECRET,
}
