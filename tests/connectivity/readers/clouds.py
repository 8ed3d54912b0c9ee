"""Readers for the cloud targets, on the `Reader` protocol: AWS (Terraform and CloudFormation
security groups), GCP (Cloud Run ingress and `run.invoker`), Azure (Container Apps ingress).

Each reads the rendered files alone (tests/connectivity/{aws,gcp,azure}.py hold the parsing
and the platform's rules) and says which of the view's connections its target decides.
"""

from __future__ import annotations

from collections.abc import Mapping

from blueprint.model import Access, Cloud, Job, LoadBalancer, Platform, ResourceKind
from blueprint.subjects import (
    INTERNET,
    PLATFORM,
    PRIVATE_NETWORK,
    ingress_id,
    resource_id,
    service_id,
)
from blueprint.view import Connection, Reason, SystemView
from tests.connectivity import aws, azure, gcp
from tests.connectivity.compare import Key

_NETWORK_REASONS = frozenset(
    {Reason.CALL, Reason.INGRESS_FORWARD, Reason.EXPOSURE, Reason.HEALTH_CHECK}
)
_AWS_REASONS = _NETWORK_REASONS | {Reason.DATA_ACCESS}


def _fargate_and_balancers(view: SystemView) -> set[str]:
    """Fargate services and jobs, load balancers and the AWS databases: what security groups
    guard."""
    bp = view.blueprint
    names = {view.workload_id(w) for w in view.workloads_on(Platform.AWS_FARGATE)}
    names |= {
        resource_id(n)
        for n in view.resources_in(Cloud.AWS)
        if bp.resources[n].kind is ResourceKind.DATABASE
    }
    return names | {ingress_id(n) for n, i in bp.ingress.items() if isinstance(i, LoadBalancer)}


class AwsTerraformReader:
    """Security groups, listeners, target groups and container checks in aws/terraform/.

    It decides the connections into Fargate services and load balancers from Fargate
    services, balancers, the outside world and the platform's health checker. Metrics scrapes
    are not rendered on AWS (no scraper runs there), and the HTTP API's VPC link is a managed
    path (tests/connectivity/aws.py checks it separately)."""

    target = "aws"

    def read(self, files: Mapping[str, str]) -> set[Key]:
        return aws.connections(aws.read_terraform(files)).connections

    def in_scope(self, view: SystemView, connection: Connection) -> bool:
        subjects = _fargate_and_balancers(view)
        return (
            connection.reason in _AWS_REASONS
            and connection.destination in subjects
            and connection.source in subjects | {INTERNET, PRIVATE_NETWORK, PLATFORM}
        )


class AwsCloudFormationReader(AwsTerraformReader):
    """The same, from aws/cloudformation/template.json."""

    def read(self, files: Mapping[str, str]) -> set[Key]:
        return aws.connections(aws.read_cloudformation(files)).connections


class GcpReader:
    """Cloud Run ingress settings, VPC egress, probes and `run.invoker` bindings in
    gcp/terraform/ (checked against gcp/cloudrun/). GCP renders no load balancer: an ingress
    forward reads as `load-balancer`, and a publicly reached service is open to the internet."""

    target = "gcp"

    def read(self, files: Mapping[str, str]) -> set[Key]:
        return gcp.connections(gcp.read(dict(files))).connections

    def in_scope(self, view: SystemView, connection: Connection) -> bool:
        run = {service_id(n) for n in view.workloads_on(Platform.CLOUD_RUN)}
        if connection.destination not in run:
            return False
        if connection.reason is Reason.CALL:
            return connection.source in run
        return connection.reason is Reason.HEALTH_CHECK

    @staticmethod
    def normalised(view: SystemView) -> set[Key]:
        """The in-scope connections plus how GCP spells the ways in it does not render."""
        out: set[Key] = set()
        run = {service_id(n) for n in view.workloads_on(Platform.CLOUD_RUN)}
        for c in view.connections:
            if c.destination in run and c.reason is Reason.INGRESS_FORWARD:
                out.add((gcp.LOAD_BALANCER, c.destination, c.port, c.protocol))
        bp = view.blueprint
        for name in view.workloads_on(Platform.CLOUD_RUN):
            if view.is_public(name):
                out.add((INTERNET, service_id(name), bp.services[name].port, "tcp"))
        # A service that consumes a topic (or is the only consumer of a queue) is pushed to.
        for name in view.workloads_on(Platform.CLOUD_RUN):
            if name not in bp.services:
                continue
            for use in bp.services[name].uses:
                res = bp.resources.get(use.resource)
                if res is None or use.access not in (Access.SUBSCRIBE, Access.READ):
                    continue
                if res.kind is ResourceKind.QUEUE and _consumers(view, use.resource) != [name]:
                    continue
                if res.kind in (ResourceKind.TOPIC, ResourceKind.QUEUE):
                    port = bp.services[name].port
                    out.add((resource_id(use.resource), service_id(name), port, "tcp"))
        return out


def _consumers(view: SystemView, resource: str) -> list[str]:
    """The Cloud Run workloads that consume a queue (uses it to read, or are triggered by it)."""
    found = set()
    for name in view.workloads_on(Platform.CLOUD_RUN):
        w = view.workload(name)
        if any(
            u.resource == resource and u.access in (Access.SUBSCRIBE, Access.READ) for u in w.uses
        ):
            found.add(name)
        if isinstance(w, Job) and getattr(w.trigger, "topic", None) == resource:
            found.add(name)
    return sorted(found)


class AzureReader:
    """Container Apps ingress (external, IP restrictions, probes) and environments in
    azure/bicep/main.bicep; its platform rules are in tests/connectivity/azure.py."""

    target = "azure"

    def read(self, files: Mapping[str, str]) -> set[Key]:
        return azure.connections(azure.read(files)).connections

    def in_scope(self, view: SystemView, connection: Connection) -> bool:
        bp = view.blueprint
        apps = {
            service_id(n)
            for n in view.workloads_on(Platform.AZURE_CONTAINER_APPS)
            if n in bp.services
        }
        if connection.destination not in apps:
            return False
        if connection.reason is Reason.CALL:
            return connection.source in azure.workloads_on_azure(bp)
        return connection.reason is Reason.HEALTH_CHECK
