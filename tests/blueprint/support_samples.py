"""A minimal blueprint for every cell of the support matrix: a base system on the target, and
the same system using the concept."""

from __future__ import annotations

import copy
from typing import Any

from blueprint.model import KIND_ACCESS, ResourceKind

Data = dict[str, Any]

_IMAGE = {"registry": "ghcr.io", "repository": "example/web", "tag": "1.0.0"}
_SETTINGS: dict[str, Data] = {
    "aws": {"region": "eu-west-2"},
    "azure": {"location": "westeurope"},
    "gcp": {"project": "walk-project", "region": "europe-west1"},
    "kubernetes": {"namespace": "walk"},
}
_MAIN_PLATFORM = {
    "aws": "aws-fargate",
    "azure": "azure-container-apps",
    "gcp": "cloud-run",
    "kubernetes": "kubernetes",
}
_CLOUD_OF = {
    "aws-fargate": "aws",
    "azure-container-apps": "azure",
    "azure-functions": "azure",
    "cloud-run": "gcp",
    "kubernetes": "kubernetes",
}


_SERVING_SAMPLES: dict[str, Data] = {
    "health-http-headers": {"health": {"path": "/healthz", "headers": {"X-Probe": "1"}}},
    "health-grpc": {"health": {"kind": "grpc", "service": "shop.Cart"}},
    "health-tcp": {"health": {"kind": "tcp"}},
    "health-exec": {"health": {"kind": "exec", "command": ["/app/check"]}},
    "health-timings": {"health": {"path": "/healthz", "startup": {"failure_threshold": 30}}},
    "service-port": {"service_port": 80},
    "named-ports": {"ports": [{"name": "admin", "port": 9000}]},
    "app-protocol": {"app_protocol": "grpc"},
    "service-without-port": {},
    "writable-paths": {"writable": [{"path": "/var/cache/web", "size": "256Mi"}]},
    "storage": {"storage": {"path": "/data", "size": "5Gi"}},
    "limits": {"limits": {"memory": 1024}},
    "scaling-memory": {"scaling": {"min": 1, "max": 4, "memory_target_percent": 80}},
    "scaling-metric": {
        "scaling": {"min": 1, "max": 4, "metric": {"name": "rps", "average_value": "100"}}
    },
}


def _network(cloud: str, cidr: str = "10.0.0.0/16", **extra: Any) -> Data:
    prefix = cidr.split(".")[1]
    subnets: Data = {
        "public-a": {"cidr": f"10.{prefix}.0.0/24", "public": True},
        "app-a": {"cidr": f"10.{prefix}.10.0/24", "egress": "none"},
        "data-a": {"cidr": f"10.{prefix}.20.0/24", "egress": "none"},
    }
    if prefix != "0":
        subnets = {f"{k}-{prefix}": v for k, v in subnets.items()}
    return {"cidr": cidr, "cloud": cloud, "subnets": subnets, **extra}


def base(target: str) -> Data:
    """A small valid system on `target` (a platform or a cloud): one workload `web`."""
    platform = _MAIN_PLATFORM.get(target, target)
    cloud = _CLOUD_OF[platform]
    data: Data = {"name": "walk", "platforms": {cloud: copy.deepcopy(_SETTINGS[cloud])}}
    if platform == "azure-functions":
        data["jobs"] = {"web": {"platform": platform, "trigger": {"topic": "work"}}}
        data["resources"] = {"work": {"kind": "queue"}}
        return data
    web: Data = {"platform": platform, "image": dict(_IMAGE), "port": 8080}
    if cloud == "aws":
        data["networks"] = {"main": _network("aws")}
        web["subnets"] = ["app-a"]
    data["services"] = {"web": web}
    return data


def _web(data: Data) -> Data:
    return next(iter({**data.get("services", {}), **data.get("jobs", {})}.values()))  # type: ignore[no-any-return]


def _add_network(data: Data, cloud: str) -> None:
    data.setdefault("networks", {}).setdefault("main", _network(cloud))


def _first_access(kind: ResourceKind) -> str:
    return sorted(a.value for a in KIND_ACCESS[kind])[0]


def _use(data: Data, resource: str, kind: ResourceKind) -> None:
    _web(data).setdefault("uses", []).append({"resource": resource, "access": _first_access(kind)})


def _ingress_lb(data: Data, cloud: str, **extra: Any) -> Data:
    _add_network(data, cloud)
    lb: Data = {
        "kind": "load-balancer",
        "type": "network",
        "subnets": ["app-a"],
        "forwards": {8080: "web"},
        **extra,
    }
    data.setdefault("ingress", {})["lb"] = lb
    return lb


def _http(data: Data, **extra: Any) -> None:
    data.setdefault("ingress", {})["web-in"] = {"kind": "http", "routes": {"/": "web"}, **extra}


def _api(data: Data, cloud: str, **extra: Any) -> None:
    if cloud == "aws":
        _ingress_lb(data, cloud)
        routes = {"$default": "lb"}
    else:
        routes = {"$default": "web"}
    data.setdefault("ingress", {})["api"] = {"kind": "api-gateway", "routes": routes, **extra}


def sample(concept: str, target: str) -> Data:
    data = base(target)
    platform = _MAIN_PLATFORM.get(target, target)
    cloud = _CLOUD_OF[platform]
    web = _web(data)
    if concept == "service":
        if platform == "azure-functions":
            data["services"] = {"site": {"platform": platform, "image": dict(_IMAGE)}}
    elif concept.startswith("job-"):
        trigger: Data = {
            "job-schedule": {"schedule": "0 3 * * *"},
            "job-topic": {"topic": "work"},
            "job-event": {"event": "created", "resource": "uploads"},
            "job-scaling": {"topic": "work"},
        }[concept]
        job: Data = {"platform": platform, "trigger": trigger}
        if concept == "job-scaling":
            job["scaling"] = {"min": 1, "max": 3}
            if platform == "kubernetes":  # KEDA reads a Kafka topic's lag on a known broker
                job["trigger"] = {"topic": "events"}
                data.setdefault("resources", {}).update(
                    {
                        "bus": {
                            "kind": "broker",
                            "endpoint": {"host": "kafka.internal", "port": 9092},
                        },
                        "events": {"kind": "topic", "broker": "bus"},
                    }
                )
        if platform != "azure-functions":
            job["image"] = dict(_IMAGE)
        if cloud == "aws":
            job["subnets"] = ["app-a"]
        data.setdefault("jobs", {})["worker"] = job
        data.setdefault("resources", {}).update(
            {"work": {"kind": "queue"}, "uploads": {"kind": "bucket"}}
        )
    elif concept == "health":
        web["health"] = {"path": "/healthz"}
    elif concept == "metrics":
        web["metrics"] = {"path": "/metrics"}
    elif concept == "scaling":
        web["scaling"] = {"min": 1, "max": 4}
    elif concept == "secrets":
        data.setdefault("resources", {})["vault"] = {"kind": "secret-store"}
        web["secrets"] = {"API_TOKEN": {"store": "vault", "key": "api-token"}}
    elif concept == "subnets":
        _add_network(data, cloud)
        web["subnets"] = ["app-a"]
    elif concept == "service-allow-from":
        web["allow_from"] = [{"cidr": "192.0.2.0/24", "ports": [8080]}]
    elif concept == "expose":
        web["expose"] = {"type": "node-port", "node_port": 30080}
    elif concept in _SERVING_SAMPLES:
        web.update(copy.deepcopy(_SERVING_SAMPLES[concept]))
        if concept == "service-without-port":
            web["port"] = None
    elif (
        concept.startswith("resource-")
        and concept[9:] in {k.value for k in ResourceKind}
        and (concept, cloud) != ("resource-broker", "aws")
    ):
        kind = ResourceKind(concept[9:])
        data.setdefault("resources", {})["thing"] = {"kind": kind.value}
        if kind is ResourceKind.DATABASE and cloud == "aws":
            _database(data, cloud, name="thing")  # in private subnets of two zones
            _use(data, "thing", kind)
        elif kind is ResourceKind.SECRET_STORE:
            web["secrets"] = {"API_TOKEN": {"store": "thing", "key": "api-token"}}
        elif kind is ResourceKind.REGISTRY and cloud != "kubernetes":
            web["image"] = {"registry": "thing", "repository": "web", "tag": "1.0.0"}
        else:
            _use(data, "thing", kind)
        if kind is ResourceKind.DATABASE and cloud == "gcp":
            _add_network(data, cloud)  # Cloud SQL has a private IP on the blueprint's network
    elif concept in {"resource-topic-on-broker", "resource-broker"}:
        data.setdefault("resources", {}).update(
            {"kafka": {"kind": "broker"}, "thing": {"kind": "topic", "broker": "kafka"}}
        )
        _use(data, "thing", ResourceKind.TOPIC)
        if cloud == "aws":  # MSK Serverless runs in private subnets of two zones
            data["networks"]["main"]["subnets"]["data-b"] = {
                "cidr": "10.0.30.0/24",
                "zone": "b",
                "egress": "none",
            }
    elif concept in {"resource-public", "resource-subnets"}:
        if concept == "resource-public":
            extra: Data = {"public": True}
        else:
            _add_network(data, cloud)
            extra = {"subnets": ["data-a"]}
        if cloud == "gcp":  # the kind GCP renders
            data.setdefault("resources", {})["thing"] = {"kind": "registry", **extra}
            web["image"] = {"registry": "thing", "repository": "web", "tag": "1.0.0"}
        else:
            data.setdefault("resources", {})["thing"] = {"kind": "bucket", **extra}
            _use(data, "thing", ResourceKind.BUCKET)
    elif concept == "resource-retention":
        kind = {"aws": "topic", "gcp": "registry"}.get(cloud, "bucket")
        data.setdefault("resources", {})["thing"] = {"kind": kind, "retention_days": 30}
        if kind == "registry":
            web["image"] = {"registry": "thing", "repository": "web", "tag": "1.0.0"}
        else:
            _use(data, "thing", ResourceKind(kind))
    elif concept == "network":
        _add_network(data, cloud)
    elif concept == "nat":
        _add_network(data, cloud)
        net = data["networks"]["main"]
        net["nat"] = "public-a"
        net["subnets"]["app-a"].pop("egress")
    elif concept == "peering":
        _add_network(data, cloud)
        data["networks"]["main"]["peers"] = ["other"]
        data["networks"]["other"] = _network(cloud, "10.1.0.0/16", peers=["main"])
    elif concept == "ingress-api-gateway":
        _api(data, cloud)
    elif concept == "ingress-load-balancer":
        _ingress_lb(data, cloud)
    elif concept == "ingress-http":
        _http(data)
    elif concept == "ingress-host" and cloud == "aws":
        # AWS serves a host with its certificate: a host alone is refused (the tls sample).
        _https_lb(data, cloud)
    elif concept == "ingress-host":
        _http(data, host="walk.example.com")
    elif concept == "ingress-tls-secret":
        _http(data, tls_secret="walk-tls")
    elif concept == "ingress-https":
        _ingress_lb(data, cloud, internal=False, subnets=["public-a"], forwards={443: "web"})
    elif concept == "ingress-private":
        if cloud == "aws":
            _api(data, cloud, public=False)
        else:
            _http(data, public=False)
    elif concept == "ingress-allow-from":
        rule = [{"cidr": "192.0.2.0/24", "ports": [8080]}]
        if cloud == "aws":
            _ingress_lb(data, cloud, allow_from=rule)
        elif cloud == "gcp":  # Cloud Armor sits on the load balancer of a host
            _http(data, allow_from=rule, host="walk.example.com")
        else:
            _http(data, allow_from=rule)
    elif concept == "api-allow-from":
        _api(data, cloud, allow_from=[{"cidr": "192.0.2.0/24", "ports": [443]}])
    elif concept == "api-auth":
        data.setdefault("resources", {})["users"] = {"kind": "user-pool"}
        _api(data, cloud, auth={"kind": "jwt", "issuer": "users"})
    elif concept == "people":
        kind = ResourceKind.REGISTRY if cloud == "gcp" else ResourceKind.BUCKET
        data.setdefault("resources", {})["thing"] = {"kind": kind.value}
        data["identity"] = {
            "principals": {
                "leo": {"kind": "human", "grants": [{"resource": "thing", "access": "read"}]}
            }
        }
    elif concept == "can-assume":
        data["identity"] = {
            "principals": {
                "leo": {"kind": "human", "can_assume": ["ops"]},
                "ops": {"kind": "automation"},
            }
        }
    elif concept == "cross-cloud-grant":
        other = "gcp" if cloud == "aws" else "aws"
        data["platforms"][other] = copy.deepcopy(_SETTINGS[other])
        for net in data.get("networks", {}).values():
            net["cloud"] = cloud
        kind = ResourceKind.REGISTRY if other == "gcp" else ResourceKind.BUCKET
        data.setdefault("resources", {})["thing"] = {"kind": kind.value, "cloud": other}
        _use(data, "thing", kind)
    elif concept == "wildcard-grant":
        data["identity"] = {
            "principals": {
                "web-id": {
                    "kind": "service",
                    "workload": "web",
                    "grants": [{"resource": "*", "access": "read"}],
                }
            }
        }
    elif concept == "env-output":
        kind, output = ("queue", "name") if platform == "azure-functions" else ("database", "host")
        if platform == "azure-functions":
            web["uses"] = [{"resource": "work", "access": "read"}]
            web["env"] = {"WORK_QUEUE": {"resource": "work", "output": output}}
        else:
            _database(data, cloud)
            _use(data, "db", ResourceKind(kind))
            web["env"] = {"DATABASE_HOST": {"resource": "db", "output": output}}
    elif concept.startswith("database-engine-"):
        _database(data, cloud, engine=concept.removeprefix("database-engine-"))
        _use(data, "db", ResourceKind.DATABASE)
    elif concept == "resource-endpoint":
        endpoint = {"host": "db.example.com", "port": 5432}
        kind = {"aws": "queue", "gcp": "registry"}.get(cloud, "database")
        data.setdefault("resources", {})["thing"] = {"kind": kind, "endpoint": endpoint}
        if kind == "registry":
            web["image"] = {"registry": "thing", "repository": "web", "tag": "1.0.0"}
        else:
            _use(data, "thing", ResourceKind(kind))
    elif concept == "ingress-lb-host":
        _ingress_lb(data, cloud, host="walk.example.com")
    elif concept == "ingress-tls":
        tls = {"certificate": "managed", "zone": "example.com"}
        if cloud == "kubernetes":
            tls["issuer"] = "letsencrypt"  # cert-manager issues a managed certificate
        if cloud in {"azure", "gcp", "kubernetes"}:
            _http(data, host="walk.example.com", tls=tls)
        else:
            _https_lb(data, cloud)
    elif concept.startswith("override-"):
        data["overrides"] = _override(concept[9:], cloud)
        if concept == "override-cloudformation":
            data["platforms"]["aws"]["formats"] = ["terraform", "cloudformation"]
    else:
        raise AssertionError(f"no sample for concept {concept}")
    return data


def _https_lb(data: Data, cloud: str) -> None:
    _ingress_lb(
        data,
        cloud,
        type="application",
        internal=False,
        subnets=["public-a"],
        forwards={443: "web"},
        host="walk.example.com",
        tls={"certificate": "managed", "zone": "example.com"},
    )


def _database(data: Data, cloud: str, name: str = "db", **extra: Any) -> None:
    """A database `db`, in private subnets where the cloud places it in a network (on AWS, in
    two zones: an RDS DB subnet group spans two)."""
    database: Data = {"kind": "database", **extra}
    if cloud in {"aws", "azure", "gcp"}:
        _add_network(data, cloud)
        database["subnets"] = ["data-a"]
    if cloud == "aws":
        subnets = data["networks"]["main"]["subnets"]
        subnets["data-b"] = {"cidr": "10.0.21.0/24", "zone": "b", "egress": "none"}
        database["subnets"] = ["data-a", "data-b"]
    data.setdefault("resources", {})[name] = database


def _override(kind: str, cloud: str) -> Data:
    if kind == "labels":
        return {"kubernetes": {"workloads": {"web": {"labels": {"team": "walk"}}}}}
    if kind == "patches":
        patch = {"target": {"kind": "Deployment"}, "strategic_merge": {"spec": {"paused": False}}}
        return {"kubernetes": {"workloads": {"web": {"patches": [patch]}}}}
    if kind == "terraform":
        content = 'output "walk" {\n  value = "walk"\n}\n'
        return {"terraform": {cloud: {"files": {"walk.tf": {"content": content}}}}}
    if kind == "cloudformation":
        merge = {"Metadata": {"Walk": "walk"}}
        return {"cloudformation": {"resources": {"WebService": {"merge": merge}}}}
    assert kind == "bicep"
    return {"bicep": {"modules": {"walk.bicep": {"content": "output walk string = 'walk'\n"}}}}
