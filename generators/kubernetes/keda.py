"""A topic worker scaled by its backlog: a KEDA ScaledObject (keda.sh/v1alpha1) with a kafka
trigger on the consumer group's lag, for a worker on a topic whose broker has an endpoint
(validation refuses `scaling` on any other worker). KEDA then owns the Deployment's replicas."""

from __future__ import annotations

from typing import Any

from blueprint.model import Job, Service
from blueprint.support.serving import kafka_source
from blueprint.view import SystemView

Obj = dict[str, Any]

KEDA_API = "keda.sh/v1alpha1"
_DISABLED: Obj = {
    "enabled": False,
    "minReplicas": 0,
    "maxReplicas": 1,
    "bootstrapServers": "",
    "topic": "",
    "consumerGroup": "",
    "lagThreshold": 10,
}


def keda_values(view: SystemView, name: str, workload: Service | Job) -> Obj:
    if not isinstance(workload, Job) or workload.scaling is None:
        return dict(_DISABLED)
    source = kafka_source(view.blueprint, workload)
    if source is None:  # refused at validation; never rendered half
        raise ValueError(f"worker {name!r} is scaled but consumes no topic on a known broker")
    topic, endpoint = source
    scaling = workload.scaling
    return {
        "enabled": True,
        "minReplicas": scaling.min,
        "maxReplicas": scaling.max,
        "bootstrapServers": f"{endpoint.host}:{endpoint.port}",
        "topic": topic,
        # The worker's own consumer group: the lag KEDA reads is this worker's backlog.
        "consumerGroup": name,
        "lagThreshold": scaling.backlog_target,
    }


def scaled_object(v: Obj, metadata: Obj) -> Obj:
    keda = v["keda"]
    return {
        "apiVersion": KEDA_API,
        "kind": "ScaledObject",
        "metadata": metadata,
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": v["name"]},
            "minReplicaCount": keda["minReplicas"],
            "maxReplicaCount": keda["maxReplicas"],
            "triggers": [
                {
                    "type": "kafka",
                    "metadata": {
                        "bootstrapServers": keda["bootstrapServers"],
                        "consumerGroup": keda["consumerGroup"],
                        "topic": keda["topic"],
                        "lagThreshold": str(keda["lagThreshold"]),
                    },
                }
            ],
        },
    }
