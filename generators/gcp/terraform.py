"""The Terraform around (and including) the Cloud Run services, rendered from Jinja2 templates
in which every value goes through the `hcl` quoting filter and every reference through `ident`."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from generators.common.templates import environment
from generators.gcp import terraform_views as views
from generators.gcp.config_connector import EGRESS_V2, EXECUTION_ENVIRONMENT_V2, INGRESS_V2
from generators.gcp.naming import PUSH_ACCOUNT_ID
from generators.gcp.plan import (
    GcpPlan,
    Repository,
    RunService,
    Secret,
    Subnetwork,
    VpcNetwork,
)
from generators.gcp.plan.records import PUSH_MEMBER, ObjectRun, trigger_member
from generators.gcp.tf_labels import binding_of, binding_view, label, member_label

TEMPLATES = Path(__file__).parent / "templates"
FILES = (
    "versions.tf",
    "variables.tf",
    "identity.tf",
    "registry.tf",
    "secrets.tf",
    "network.tf",
    "services.tf",
    "cloudsql.tf",
    "pubsub.tf",
    "storage.tf",
    "jobs.tf",
    "domains.tf",
    "outputs.tf",
)
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_REF = re.compile(r"^[a-z0-9_]+\.[A-Za-z_][A-Za-z0-9_]*$")
# The expressions a resource output renders as: an attribute, or the DNS name without its dot.
_ATTRIBUTE = r"google_[a-z0-9_]+\.[A-Za-z_][A-Za-z0-9_]*\.[a-z_]+"
_OUTPUT_EXPRESSION = re.compile(rf'^({_ATTRIBUTE}|trimsuffix\({_ATTRIBUTE}, "\."\))$')


class TerraformNameError(ValueError):
    """Two blueprint names map to one Terraform block label."""


def _ident(value: object) -> str:
    text = str(value)
    if not _IDENT.match(text):
        raise ValueError(f"{text!r} is not a Terraform identifier")
    return text


def _ident_ref(value: object) -> str:
    text = str(value)
    if not _REF.match(text):
        raise ValueError(f"{text!r} is not a Terraform resource reference")
    return text


def _output_expression(value: object) -> str:
    text = str(value)
    if not _OUTPUT_EXPRESSION.match(text):
        raise ValueError(f"{text!r} is not a resource output expression")
    return text


@cache
def _environment() -> jinja2.Environment:
    env = environment(TEMPLATES)
    env.filters["ident"] = _ident
    env.filters["ident_ref"] = _ident_ref
    env.filters["output_expression"] = _output_expression
    return env


def _service_view(plan: GcpPlan, svc: RunService) -> dict[str, Any]:
    ident = label(svc.name)
    secret_idents = {s.secret: label(s.secret) for s in svc.secrets}
    env = views.env_rows(svc.env, svc.secrets, svc.outputs)
    # Cloud Run checks at deploy time that the identity can read its secrets (and its image).
    depends_on = [
        "google_secret_manager_secret_iam_member." + binding_of(secret_idents[s.secret], svc.name)
        for s in svc.secrets
    ]
    if svc.repository is not None:
        depends_on.append(
            "google_artifact_registry_repository_iam_member."
            + binding_of(label(svc.repository), svc.name)
        )
    probes = []
    if svc.probe is not None:
        probes = [
            {
                "block": "startup_probe",
                "period": svc.probe.startup_period,
                "timeout": svc.probe.startup_timeout,
            },
            {
                "block": "liveness_probe",
                "period": svc.probe.liveness_period,
                "timeout": svc.probe.liveness_timeout,
            },
        ]
    return {
        "ident": ident,
        "plan": svc,
        "display_name": f"Cloud Run service {svc.name}",
        "account_description": (
            f"Runtime identity of the Cloud Run service {svc.name} (blueprint {plan.blueprint})"
        ),
        "ingress": INGRESS_V2[svc.ingress],
        "egress": EGRESS_V2[svc.vpc.egress] if svc.vpc else None,
        "network_ident": label(svc.vpc.network) if svc.vpc else None,
        "subnet_ident": label(svc.vpc.subnet) if svc.vpc else None,
        "timeout": f"{svc.timeout_seconds}s",
        "execution_environment": EXECUTION_ENVIRONMENT_V2[svc.execution_environment],
        "env": env,
        "probes": probes,
        "depends_on": sorted(set(depends_on)),
        "bindings": [binding_view(b, ident) for b in plan.bindings_on("run-service", svc.name)],
    }


def _repository_view(plan: GcpPlan, repo: Repository) -> dict[str, Any]:
    ident = label(repo.name)
    return {
        "ident": ident,
        "plan": repo,
        "bindings": [binding_view(b, ident) for b in plan.bindings_on("repository", repo.name)],
    }


def _secret_view(plan: GcpPlan, secret: Secret) -> dict[str, Any]:
    ident = label(secret.secret_id)
    return {
        "ident": ident,
        "plan": secret,
        "bindings": [binding_view(b, ident) for b in plan.bindings_on("secret", secret.secret_id)],
    }


def _network_view(net: VpcNetwork) -> dict[str, Any]:
    def subnet(s: Subnetwork) -> dict[str, Any]:
        return {"ident": label(s.name), "plan": s}

    # GCP resource names stop at 63 characters.
    prefix = net.name[:50].rstrip("-")
    return {
        "ident": label(net.name),
        "plan": net,
        "subnets": [subnet(s) for s in net.subnets],
        "router_name": f"{prefix}-router",
        "nat_name": f"{prefix}-nat",
        "firewall_name": f"{prefix}-deny-ingress",
        "run_zone_name": f"{prefix}-run-app",
    }


def _check_unique(context: dict[str, Any]) -> None:
    """Each kind of block needs distinct labels; blueprint names that collapse onto one label
    (such as secret keys a-b and a_b) are refused rather than silently merged."""
    groups: dict[str, list[str]] = {
        "service": [s["ident"] for s in context["services"]],
        "repository": [r["ident"] for r in context["repositories"]],
        "secret": [s["ident"] for s in context["secrets"]],
        "network": [n["ident"] for n in context["networks"]],
        "subnetwork": [s["ident"] for n in context["networks"] for s in n["subnets"]],
        "account": [a["ident"] for a in context["accounts"]],
        "topic": [t["ident"] for t in context["topics"]],
        "subscription": [s["ident"] for s in context["subscriptions"]],
        "bucket": [b["ident"] for b in context["buckets"]],
        "database": [d["ident"] for d in context["databases"]],
        "job": [j["ident"] for j in context["jobs"]],
        "domain": [d["ident"] for d in context["domains"]],
        "binding": [
            b.ident
            for group in (
                "services",
                "repositories",
                "secrets",
                "topics",
                "subscriptions",
                "buckets",
                "databases",
                "jobs",
            )
            for item in context[group]
            for b in item["bindings"]
        ],
    }
    for kind, labels in groups.items():
        dupes = sorted(label for label, n in Counter(labels).items() if n > 1)
        if dupes:
            raise TerraformNameError(
                f"several blueprint names map to the Terraform {kind} label(s) "
                f"{', '.join(dupes)}; rename one of them"
            )


def _accounts(plan: GcpPlan) -> list[dict[str, str]]:
    """Every service account: one per workload, one per job trigger, Pub/Sub's push identity."""
    found = [
        {
            "ident": label(s.name),
            "account_id": s.service_account_id,
            "display_name": f"Cloud Run service {s.name}",
            "description": (
                f"Runtime identity of the Cloud Run service {s.name} (blueprint {plan.blueprint})"
            ),
        }
        for s in plan.services
    ]
    for job in plan.jobs:
        found.append(
            {
                "ident": label(job.name),
                "account_id": job.service_account_id,
                "display_name": f"Cloud Run job {job.name}",
                "description": (
                    f"Runtime identity of the Cloud Run job {job.name} (blueprint {plan.blueprint})"
                ),
            }
        )
        found.append(
            {
                "ident": member_label(trigger_member(job.name)),
                "account_id": job.trigger_account_id,
                "display_name": f"Starts the Cloud Run job {job.name}",
                "description": (
                    f"Cloud Scheduler or Eventarc identity that runs the job {job.name} "
                    f"(blueprint {plan.blueprint})"
                ),
            }
        )
    if any(s.push_to is not None for s in plan.subscriptions):
        found.append(
            {
                "ident": member_label(PUSH_MEMBER),
                "account_id": PUSH_ACCOUNT_ID,
                "display_name": "Pub/Sub push",
                "description": (
                    "Signs the OIDC tokens of Pub/Sub push subscriptions to Cloud Run "
                    f"(blueprint {plan.blueprint})"
                ),
            }
        )
    return found


def render_terraform(plan: GcpPlan) -> dict[str, str]:
    context: dict[str, Any] = {
        "plan": plan,
        "blueprint": plan.blueprint,
        "accounts": _accounts(plan),
        "needs_project_number": bool(plan.topics),
        "services": [_service_view(plan, s) for s in plan.services],
        "repositories": [_repository_view(plan, r) for r in plan.repositories],
        "secrets": [_secret_view(plan, s) for s in plan.secrets],
        "networks": [_network_view(n) for n in plan.networks],
        "sql_networks": views.sql_network_views(plan),
        "sql_zone": views.sql_zone(plan.blueprint),
        "databases": views.database_views(plan),
        "topics": views.topic_views(plan),
        "topic_skips": views.TOPIC_SKIPS,
        "subscriptions": views.subscription_views(plan),
        "buckets": views.bucket_views(plan),
        "bucket_skips": views.BUCKET_SKIPS,
        "jobs": views.job_views(plan),
        "storage_events": any(isinstance(j.trigger, ObjectRun) for j in plan.jobs),
        "domains": views.domain_views(plan),
    }
    _check_unique(context)
    env = _environment()
    files: dict[str, str] = {}
    for name in FILES:
        text = env.get_template(f"{name}.j2").render(**context)
        if text.strip():
            files[f"gcp/terraform/{name}"] = text
    return files
