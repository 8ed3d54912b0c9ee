"""Structural schemas for custom resources whose CRD schema the project's test data does not
hold (tests/data/schemas/SOURCES.md lists what it holds): the Gateway API HTTPRoute
(gateway.networking.k8s.io/v1). Written from the API reference for exactly the fields the
generator emits, strict (no other field), so a misspelt or misplaced key fails."""

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
                        "pattern": r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
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

STRUCTURAL: dict[tuple[str, str], Schema] = {
    ("gateway.networking.k8s.io/v1", "HTTPRoute"): HTTP_ROUTE,
}
