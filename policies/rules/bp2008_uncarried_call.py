"""BP2008: a declared call the rendered platforms cannot carry."""

from __future__ import annotations

from collections.abc import Iterator

from blueprint.cloud_run_network import enters_vpc, run_ingress
from blueprint.model import Platform, Service
from blueprint.view import ExposureKind, SystemView
from policies.context import Context
from policies.rules.base import Example, Hit, Rule

# The ways into a Kubernetes pod that do not require being another pod of the system.
_CLUSTER_WAYS_IN = frozenset(
    {
        ExposureKind.NODE_PORT,
        ExposureKind.LOAD_BALANCER_SERVICE,
        ExposureKind.EXTERNAL_INGRESS,
        ExposureKind.ALLOW_FROM,
    }
)


def _why_not(view: SystemView, caller: str, callee: str) -> str | None:
    """Why the rendered platforms refuse `caller`'s connection to `callee`, or None."""
    target = view.blueprint.services[callee]
    source = view.workload(caller)
    if (
        target.platform is Platform.CLOUD_RUN
        and run_ingress(view, callee) != "all"
        and not enters_vpc(view, caller)
    ):
        return (
            f"{callee} runs on Cloud Run with ingress {run_ingress(view, callee)}, which admits "
            f"only requests from a VPC network, and {caller} "
            + (
                "sends them from outside any VPC (the blueprint has no network on gcp to give "
                "it Direct VPC egress on)"
                if source.platform is Platform.CLOUD_RUN
                else f"runs on {source.platform.value}"
            )
        )
    if target.platform is Platform.KUBERNETES and source.platform is not Platform.KUBERNETES:
        ways_in = [e for e in view.exposures_of(f"services.{callee}") if e.kind in _CLUSTER_WAYS_IN]
        if not ways_in:
            return (
                f"{callee} runs on Kubernetes, where its NetworkPolicy admits only the pods of "
                f"its callers, and {caller} runs on {source.platform.value} with no way into "
                "the cluster"
            )
    return None


def check(ctx: Context) -> Iterator[Hit]:
    view = ctx.view
    for caller_name in sorted({*ctx.bp.services, *ctx.bp.jobs}):
        caller = view.workload(caller_name)
        for index, call in enumerate(caller.calls):
            if not isinstance(ctx.bp.services.get(call.service), Service):
                continue
            why = _why_not(view, caller_name, call.service)
            if why is None:
                continue
            subject = view.workload_id(caller_name)
            yield Hit(
                subject,
                f"calls {call.service}, but the rendered platforms cannot carry the call: {why}",
                (subject, f"services.{call.service}"),
                (*subject.split("."), "calls", index),
            )


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  gcp: {project: my-project, region: europe-west1}
services:
  back:
    platform: cloud-run
    image: {registry: docker.io, repository: demo/back, tag: "1"}
  front:
    platform: cloud-run
    image: {registry: docker.io, repository: demo/front, tag: "1"}
    calls: [{service: back}]
""",
    good="""\
name: demo
platforms:
  gcp: {project: my-project, region: europe-west1}
networks:
  vpc:
    cidr: 10.8.0.0/16
    nat: edge
    subnets:
      edge: {cidr: 10.8.0.0/24}
      run: {cidr: 10.8.1.0/24}
services:
  back:
    platform: cloud-run
    image: {registry: docker.io, repository: demo/back, tag: "1"}
  front:
    platform: cloud-run
    image: {registry: docker.io, repository: demo/front, tag: "1"}
    subnets: [run]
    calls: [{service: back}]
""",
)


RULE = Rule(
    id="BP2008",
    name="uncarried-call",
    title="Declared call the rendered platforms cannot carry",
    severity="error",
    rationale=(
        "A declared call is a promise that the request gets through. Each platform renders "
        "its own network: a Cloud Run service with internal ingress accepts only requests "
        "from a VPC network, so a caller whose requests do not leave through Direct VPC egress "
        "is refused; a "
        "Kubernetes NetworkPolicy admits only the pods that call it, so a caller on another "
        "platform never reaches a service without a way into the cluster. The blueprint "
        "validates and renders, and the call fails at run time."
    ),
    fix=(
        "Declare a network on gcp: every Cloud Run caller of an internal service then gets "
        "Direct VPC egress on it (and the private run.app zone its requests need); or put the "
        "callee behind a public ingress. For a Kubernetes callee, "
        "expose it (node-port or load-balancer) with allow_from naming the caller's network, "
        "or move the caller onto the cluster."
    ),
    check=check,
    example=EXAMPLE,
)
