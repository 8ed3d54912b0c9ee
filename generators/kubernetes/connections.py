"""Connection wiring on Kubernetes: env values taken from a resource's outputs.

What the blueprint knows is written as a value: a database's or a queue's `name` (the
resource's name), and, from a declared `endpoint`, `host`, `port` and a broker's `bootstrap`
(`host:port`). Everything else (`user`, `password`, a queue's `url`, and the address of a
resource without an endpoint) is a `secretKeyRef` into the Secret `<workload>-<resource>`, key
the output's name: never a value. When the blueprint declares a secret store on Kubernetes,
the release also renders an External Secrets Operator `ExternalSecret` that fills that Secret
from the store (SecretStore named after the store; the store's secret named after the
resource, one property per output); without one, the Secret is yours to provide.
"""

from __future__ import annotations

from typing import Any

from blueprint.model import Blueprint, Cloud, Job, ResourceKind, Service
from blueprint.model.resources import Endpoint
from blueprint.model.vocabulary import Output
from blueprint.view import SystemView

Obj = dict[str, Any]

EXTERNAL_SECRETS_API = "external-secrets.io/v1"
REFRESH_INTERVAL = "1h"


def endpoint_of(bp: Blueprint, resource: str) -> Endpoint | None:
    """Where a resource is reached: its own endpoint, or (a topic) its broker's."""
    res = bp.resources[resource]
    if res.endpoint is None and res.broker is not None and res.broker in bp.resources:
        return bp.resources[res.broker].endpoint
    return res.endpoint


def _literal(bp: Blueprint, resource: str, output: Output) -> str | None:
    """The output's value when the blueprint states it, else None (it comes from the Secret)."""
    if output is Output.NAME:
        return resource
    endpoint = endpoint_of(bp, resource)
    if endpoint is None:
        return None
    if output is Output.HOST:
        return endpoint.host
    if output is Output.PORT:
        return str(endpoint.port)
    if output is Output.BOOTSTRAP:
        return f"{endpoint.host}:{endpoint.port}"
    return None


def secret_name(workload: str, resource: str) -> str:
    return f"{workload}-{resource}"


def _store(view: SystemView, workload: Service | Job) -> str | None:
    """The secret store an ExternalSecret reads from: one the workload uses, else any declared
    on Kubernetes (the first by name); None without one."""
    stores = _kubernetes_stores(view)
    used = {u.resource for u in workload.uses}
    return next((s for s in stores if s in used), stores[0] if stores else None)


# The stores of the last view asked for: the same for every workload of a render (a scan of
# every resource per workload was quadratic). Views are frozen; their identity is the key.
_last_stores: tuple[SystemView, tuple[str, ...]] | None = None


def _kubernetes_stores(view: SystemView) -> tuple[str, ...]:
    """The secret stores declared on Kubernetes, by name."""
    global _last_stores
    if _last_stores is None or _last_stores[0] is not view:
        bp = view.blueprint
        stores = tuple(
            sorted(
                n
                for n, r in bp.resources.items()
                if r.kind is ResourceKind.SECRET_STORE
                and view.resource_cloud(n) is Cloud.KUBERNETES
            )
        )
        _last_stores = (view, stores)
    return _last_stores[1]


def connection_values(view: SystemView, name: str, workload: Service | Job) -> Obj:
    """{"env": literal entries, "secretEnv": references, "externalSecrets": objects' values}."""
    bp = view.blueprint
    env: list[Obj] = []
    secret_env: list[Obj] = []
    wanted: dict[str, set[str]] = {}
    for key, wired in sorted(workload.env_outputs.items()):
        value = _literal(bp, wired.resource, wired.output)
        if value is not None:
            env.append({"name": key, "value": value})
            continue
        secret = secret_name(name, wired.resource)
        secret_env.append({"name": key, "secret": secret, "key": wired.output.value})
        wanted.setdefault(wired.resource, set()).add(wired.output.value)
    store = _store(view, workload)
    external = (
        [
            {
                "name": secret_name(name, resource),
                "store": store,
                "remoteKey": resource,
                "properties": sorted(outputs),
            }
            for resource, outputs in sorted(wanted.items())
        ]
        if store is not None
        else []
    )
    return {"env": env, "secretEnv": secret_env, "externalSecrets": external}


def external_secret(es: Obj, metadata: Obj) -> Obj:
    return {
        "apiVersion": EXTERNAL_SECRETS_API,
        "kind": "ExternalSecret",
        "metadata": metadata,
        "spec": {
            "refreshInterval": REFRESH_INTERVAL,
            "secretStoreRef": {"kind": "SecretStore", "name": es["store"]},
            "target": {"name": es["name"], "creationPolicy": "Owner"},
            "data": [
                {
                    "secretKey": prop,
                    "remoteRef": {"key": es["remoteKey"], "property": prop},
                }
                for prop in es["properties"]
            ],
        },
    }
