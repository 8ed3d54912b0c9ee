"""What AWS needs to render databases, HTTPS and connection wiring, checked before anything is
rendered: databases in private subnets of two zones, TLS where an HTTPS listener can serve it,
a host with its certificate, env outputs AWS can spell."""

from __future__ import annotations

import re
from collections.abc import Iterator

from blueprint.errors import Problem
from blueprint.model import (
    ApiGateway,
    Blueprint,
    Cloud,
    LoadBalancer,
    Output,
    Platform,
    ResourceKind,
    ResourceOutput,
)
from blueprint.support.usage import ingress_clouds, network_clouds, resource_clouds

HTTP = 80
HTTPS = 443
# An existing certificate on AWS is an ACM certificate, named by its ARN.
_ACM_ARN = re.compile(r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+$")
# The major versions RDS and Aurora offer for each engine rendered on AWS.
_MAJOR_VERSIONS = {
    "postgres": ("11", "12", "13", "14", "15", "16", "17"),
    "mysql": ("5.7", "8.0", "8.4"),
    "aurora-postgresql": ("11", "12", "13", "14", "15", "16", "17"),
}


def aws_data_problems(bp: Blueprint) -> list[Problem]:
    return [*_databases(bp), *_ingress(bp), *_env_outputs(bp)]


def _databases(bp: Blueprint) -> Iterator[Problem]:
    clouds = resource_clouds(bp)
    for name, res in bp.resources.items():
        if res.kind is not ResourceKind.DATABASE or clouds[name] is not Cloud.AWS:
            continue
        base = ("resources", name)
        problem = _version_problem(res.db_engine, res.version)
        if problem is not None:
            yield Problem((*base, "version"), problem)
        if res.subnets:
            public = [(i, s) for i, s in enumerate(res.subnets) if _subnet(bp, s) is True]
            for i, subnet in public:
                yield Problem(
                    (*base, "subnets", i),
                    f"found public subnet {subnet!r} for database {name!r}, expected private "
                    "subnets only (a database is never reachable from the internet)",
                )
            if public:
                continue
            subnets = list(res.subnets)
        else:
            subnets = _private_subnets_of_users(bp, name)
            if not subnets:
                yield Problem(
                    base,
                    f"found no private subnet for database {name!r}, expected subnets: [...] "
                    "naming private subnets in two zones (its DB subnet group)",
                    at_key=True,
                )
                continue
        zones = sorted({z for s in subnets if (z := _zone(bp, s)) is not None})
        if len(zones) < 2:
            yield Problem(
                (*base, "subnets") if res.subnets else base,
                f"found database {name!r} in subnets of one zone ({', '.join(zones)}), expected "
                "private subnets in at least two zones (an RDS DB subnet group spans two)",
                at_key=not res.subnets,
            )


def _version_problem(engine: str, version: str | None) -> str | None:
    majors = _MAJOR_VERSIONS.get(engine)
    if version is None or majors is None:
        return None
    # MySQL's major version is `8.0`; PostgreSQL's is `16` (a declared `16.4` is minor 4).
    major = version if engine == "mysql" else version.split(".", 1)[0]
    if major in majors:
        return None
    return (
        f"found version {version!r} for engine {engine} on aws, expected one of "
        f"{', '.join(majors)} (or one of their minor versions)"
    )


def _subnet(bp: Blueprint, subnet: str) -> bool | None:
    """Whether a subnet is public (None when no network declares it)."""
    for net in bp.networks.values():
        if subnet in net.subnets:
            return net.subnets[subnet].public
    return None


def _zone(bp: Blueprint, subnet: str) -> str | None:
    for net in bp.networks.values():
        if subnet in net.subnets:
            return net.subnets[subnet].zone
    return None


def _private_subnets_of_users(bp: Blueprint, database: str) -> list[str]:
    """What the generator picks: the private subnets of the network its users run in (of the
    only network when nothing uses it yet); none when that is not one network."""
    user_subnets = [
        s
        for svc in bp.services.values()
        if svc.platform is Platform.AWS_FARGATE and any(u.resource == database for u in svc.uses)
        for s in svc.subnets
    ]
    networks = {n for n, net in bp.networks.items() for s in user_subnets if s in net.subnets}
    if not user_subnets:
        networks = {n for n, cloud in network_clouds(bp).items() if cloud is Cloud.AWS}
    if len(networks) != 1:
        return []
    net = bp.networks[networks.pop()]
    return [n for n, s in sorted(net.subnets.items()) if not s.public]


def _ingress(bp: Blueprint) -> Iterator[Problem]:
    for name, ing in bp.ingress.items():
        if not isinstance(ing, LoadBalancer | ApiGateway):
            continue
        if Cloud.AWS not in ingress_clouds(bp, name):
            continue
        base = ("ingress", name)
        if ing.host is not None and ing.tls is None:
            yield Problem(
                (*base, "host"),
                f"found host {ing.host!r} without tls on {name!r}, expected tls: {{certificate: "
                "managed, zone: ZONE} (AWS serves a host with its certificate and writes its "
                "record in the zone)",
            )
        if ing.tls is not None and not ing.tls.managed and not _ACM_ARN.match(ing.tls.certificate):
            yield Problem(
                (*base, "tls", "certificate"),
                f"found certificate {ing.tls.certificate!r} on aws, expected managed or an ACM "
                "certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)",
            )
        if not isinstance(ing, LoadBalancer) or ing.tls is None:
            continue
        if ing.type == "network":
            yield Problem(
                (*base, "tls"),
                f"found tls on network load balancer {name!r}, expected type: application (an "
                "application load balancer's HTTPS listener serves the certificate)",
            )
        elif HTTPS not in ing.forwards:
            yield Problem(
                (*base, "tls"),
                f"found tls on load balancer {name!r} without port 443 in forwards, expected "
                "forwards: {443: SERVICE} (the HTTPS listener that serves the certificate)",
            )
        elif HTTP in ing.forwards:
            yield Problem(
                (*base, "forwards", HTTP),
                f"found port 80 in forwards of load balancer {name!r} with tls, expected no "
                "listener on 80 (it only redirects to HTTPS on 443)",
            )


# The outputs AWS has no native spelling for, and why.
_NOT_ON_AWS = {
    (ResourceKind.SECRET_STORE, Output.URL): "Secrets Manager has no URL; use name",
    (ResourceKind.BROKER, Output.BOOTSTRAP): (
        "CloudFormation gives no attribute for MSK Serverless bootstrap brokers; the task can "
        "read them with kafka:GetBootstrapBrokers"
    ),
}


_FARGATE = Platform.AWS_FARGATE  # read once: an enum's class attributes are slow to read


def _env_outputs(bp: Blueprint) -> Iterator[Problem]:
    clouds = resource_clouds(bp)
    for section, entries in (("services", bp.services), ("jobs", bp.jobs)):
        for name, w in entries.items():
            if w.platform is not _FARGATE:
                continue
            for env, out in w.env.items():  # `env_outputs`, without building the mapping
                if not isinstance(out, ResourceOutput):
                    continue
                res = bp.resources.get(out.resource)
                if res is None:
                    continue  # a reference error already
                path = (section, name, "env", env)
                where = clouds[out.resource]
                if where is not None and where is not Cloud.AWS:
                    yield Problem(
                        path,
                        f"found env {env} from {res.kind.value} {out.resource!r} on "
                        f"{where.value}, expected a resource on aws (a task reads the outputs "
                        "of its own cloud)",
                    )
                    continue
                reason = _NOT_ON_AWS.get((res.kind, out.output))
                if reason is not None:
                    yield Problem(
                        (*path, "output"),
                        f"found output {out.output.value!r} of {res.kind.value} "
                        f"{out.resource!r} on aws-fargate, expected another output ({reason})",
                    )
