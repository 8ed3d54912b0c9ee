"""The AWS plan a blueprint describes, as plain data both output formats render.

`build_plan` runs one small planning function per concern, in dependency order: networks,
resources (storage, queues), security groups, databases, brokers, ingress, workloads, jobs,
identity, trust.
"""

from __future__ import annotations

from blueprint.view import SystemView
from generators.aws.plan.databases import plan_databases
from generators.aws.plan.identity import plan_identity
from generators.aws.plan.ingress import plan_apis, plan_load_balancers
from generators.aws.plan.jobs import plan_jobs
from generators.aws.plan.kafka import plan_brokers
from generators.aws.plan.network import plan_networks
from generators.aws.plan.records import AwsPlan
from generators.aws.plan.security import plan_security_groups
from generators.aws.plan.state import PlanState
from generators.aws.plan.storage import plan_resources
from generators.aws.plan.trust import plan_trust
from generators.aws.plan.workloads import plan_services


def build_plan(view: SystemView) -> AwsPlan:
    bp = view.blueprint
    st = PlanState(view)
    plan_networks(st)
    plan_resources(st)
    plan_security_groups(st)
    plan_databases(st)
    plan_brokers(st)
    plan_load_balancers(st)
    plan_apis(st)
    plan_services(st)
    plan_jobs(st)
    plan_identity(st)
    plan_trust(st)
    aws_resources = st.aws_resources()
    for name, r in sorted(bp.resources.items()):
        if r.description is not None and name in aws_resources:
            st.system.resource_descriptions[name] = r.description
    return st.system


__all__ = ["AwsPlan", "build_plan"]
