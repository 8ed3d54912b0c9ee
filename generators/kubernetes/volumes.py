"""The volumes of one workload: /tmp and the declared writable paths (emptyDir volumes with a
size limit), and persistent storage (a volume claim per replica of a StatefulSet). The root
filesystem stays read-only; only these paths are writable."""

from __future__ import annotations

from typing import Any

from blueprint.model import Job, Service

Obj = dict[str, Any]

TMP_VOLUME = {"name": "tmp", "path": "/tmp", "sizeLimit": ""}  # noqa: S108 - an emptyDir, not the host's /tmp
STORAGE_VOLUME = "data"


def writable_values(workload: Service | Job) -> list[Obj]:
    declared = workload.writable if isinstance(workload, Service) else ()
    return [TMP_VOLUME] + [
        {"name": f"writable-{i}", "path": w.path, "sizeLimit": w.size}
        for i, w in enumerate(declared, start=1)
    ]


def storage_values(workload: Service | Job) -> Obj:
    storage = workload.storage if isinstance(workload, Service) else None
    return {
        "enabled": storage is not None,
        "path": storage.path if storage else "",
        "size": storage.size if storage else "",
        "storageClass": (storage.storage_class or "") if storage else "",
    }


def volume_mounts(v: Obj) -> list[Obj]:
    mounts = [{"name": w["name"], "mountPath": w["path"]} for w in v["writable"]]
    if v["storage"]["enabled"]:
        mounts.append({"name": STORAGE_VOLUME, "mountPath": v["storage"]["path"]})
    return mounts


def pod_volumes(v: Obj) -> list[Obj]:
    volumes = []
    for w in v["writable"]:
        empty_dir: Obj = {"sizeLimit": w["sizeLimit"]} if w["sizeLimit"] else {}
        volumes.append({"name": w["name"], "emptyDir": empty_dir})
    return volumes


def volume_claim_templates(v: Obj, labels: dict[str, str]) -> list[Obj]:
    storage = v["storage"]
    spec: Obj = {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": storage["size"]}},
    }
    if storage["storageClass"]:
        spec["storageClassName"] = storage["storageClass"]
    return [{"metadata": {"name": STORAGE_VOLUME, "labels": labels}, "spec": spec}]
