"""What the templates of the data plane render (Cloud SQL, Pub/Sub, buckets, jobs, custom
domains): the plan's records with their Terraform labels, names and bindings."""

from __future__ import annotations

from typing import Any

from generators.gcp.config_connector import EGRESS_V2
from generators.gcp.plan import GcpPlan
from generators.gcp.plan.cloudsql import sql_zone
from generators.gcp.plan.records import (
    CloudSqlInstance,
    CustomDomain,
    EnvOutput,
    ObjectRun,
    RunJob,
    ScheduleRun,
    Skip,
    TopicRun,
    trigger_member,
)
from generators.gcp.tf_labels import binding_of, binding_view, label, member_label

# Cloud Armor takes at most 10 source ranges per rule.
_ARMOR_RANGES_PER_RULE = 10

# PostgreSQL flags: IAM authentication, and the logging CIS asks for (connections, locks,
# temporary files, errors, DDL, pgaudit) without logging every statement's duration.
_POSTGRES_FLAGS = (
    ("cloudsql.iam_authentication", "on"),
    ("cloudsql.enable_pgaudit", "on"),
    ("log_checkpoints", "on"),
    ("log_connections", "on"),
    ("log_disconnections", "on"),
    ("log_duration", "on"),
    ("log_hostname", "on"),
    ("log_lock_waits", "on"),
    ("log_min_duration_statement", "-1"),
    ("log_min_error_statement", "error"),
    ("log_min_messages", "warning"),
    ("log_statement", "ddl"),
    ("log_temp_files", "0"),
)
# MySQL flags: IAM authentication; no LOAD DATA LOCAL, no SHOW DATABASES for everyone.
_MYSQL_FLAGS = (
    ("cloudsql_iam_authentication", "on"),
    ("local_infile", "off"),
    ("skip_show_database", "on"),
)

TOPIC_SKIPS = (
    Skip(
        "CKV_GCP_83",
        "Google-managed encryption keys; the blueprint models no KMS key ring, and a "
        "customer-managed key would need one the team owns and rotates",
    ),
)
# checkov's CKV_GCP_79 wants the newest major version it knows of.
_LATEST_VERSIONS = frozenset({"POSTGRES_18", "MYSQL_8_4", "MYSQL_8_0"})
_SQL_SSL_SKIP = Skip(
    "CKV_GCP_6",
    "connections must be encrypted (ssl_mode ENCRYPTED_ONLY) and log in with IAM database "
    "authentication; client certificates would need one per workload that nothing issues",
)


def _sql_skips(db: CloudSqlInstance) -> tuple[Skip, ...]:
    skips = [_SQL_SSL_SKIP]
    if db.database_version not in _LATEST_VERSIONS:
        skips.append(
            Skip(
                "CKV_GCP_79",
                f"{db.database_version} is the version the blueprint declares; a major "
                "upgrade is a migration its owners plan, not a render",
            )
        )
    return tuple(skips)


BUCKET_SKIPS = (
    Skip(
        "CKV_GCP_62",
        "access is audited by Cloud Audit Logs (data access logs); usage logs need a second "
        "bucket the blueprint does not model",
    ),
)


def _name(*parts: str) -> str:
    """A GCP resource name (at most 63 characters) from a blueprint name and a suffix."""
    *head, suffix = parts
    prefix = "-".join(head)[: 62 - len(suffix)].rstrip("-")
    return f"{prefix}-{suffix}"


def env_rows(
    env: tuple[tuple[str, str], ...], secrets: Any, outputs: tuple[EnvOutput, ...]
) -> list[dict[str, Any]]:
    """Each env entry of a container: a literal, a Secret Manager reference, or the Terraform
    expression of a resource output."""
    rows: list[dict[str, Any]] = [
        {"name": n, "value": v, "secret_ident": None, "reference": None} for n, v in env
    ]
    rows += [
        {"name": s.env, "value": None, "secret_ident": label(s.secret), "reference": None}
        for s in secrets
    ]
    rows += [
        {"name": o.env, "value": o.value, "secret_ident": None, "reference": o.reference}
        for o in outputs
    ]
    return sorted(rows, key=lambda e: str(e["name"]))


def database_views(plan: GcpPlan) -> list[dict[str, Any]]:
    return [_database(plan, db) for db in plan.databases]


def _database(plan: GcpPlan, db: CloudSqlInstance) -> dict[str, Any]:
    ident = label(db.name)
    users = [{"ident": label(db.name, "iam", u.workload), "plan": u} for u in db.users]
    return {
        "ident": ident,
        "plan": db,
        "skips": _sql_skips(db),
        "network_ident": label(db.network),
        "availability": "REGIONAL" if db.regional else "ZONAL",
        "deletion_protection": "true" if db.deletion_protection else "false",
        # Point-in-time recovery replays at most 7 days of logs (Enterprise edition).
        "log_retention_days": min(db.backup_retention_days, 7),
        "flags": _POSTGRES_FLAGS if db.engine == "postgres" else _MYSQL_FLAGS,
        "users": users,
        "bindings": [
            binding_view(b, ident, with_role=True) for b in plan.bindings_on("cloudsql", db.name)
        ],
    }


def sql_network_views(plan: GcpPlan) -> list[dict[str, Any]]:
    return [
        {
            "ident": label(n.name),
            "private_services_name": _name(n.name, "private-services"),
            "sql_zone_name": _name(n.name, "sql"),
        }
        for n in plan.networks
        if n.private_services
    ]


def topic_views(plan: GcpPlan) -> list[dict[str, Any]]:
    return [
        {
            "ident": label(t.name),
            "plan": t,
            "dead_letter_name": _name(t.name, "dead-letter"),
            "bindings": [binding_view(b, label(t.name)) for b in plan.bindings_on("topic", t.name)],
        }
        for t in plan.topics
    ]


def subscription_views(plan: GcpPlan) -> list[dict[str, Any]]:
    views = []
    for s in plan.subscriptions:
        ident = label(*s.name.split(".")) + "__subscription"
        views.append(
            {
                "ident": ident,
                "plan": s,
                "topic_ident": label(s.topic),
                "push_ident": label(s.push_to) if s.push_to else None,
                "bindings": [
                    binding_view(b, ident) for b in plan.bindings_on("subscription", s.name)
                ],
            }
        )
    return views


def bucket_views(plan: GcpPlan) -> list[dict[str, Any]]:
    return [
        {
            "ident": label(b.name),
            "plan": b,
            "bindings": [
                binding_view(x, label(b.name), with_role=True)
                for x in plan.bindings_on("bucket", b.name)
            ],
        }
        for b in plan.buckets
    ]


_EVENT_TYPES = {
    "created": "google.cloud.storage.object.v1.finalized",
    "deleted": "google.cloud.storage.object.v1.deleted",
}


def job_views(plan: GcpPlan) -> list[dict[str, Any]]:
    return [_job(plan, job) for job in plan.jobs]


def _job(plan: GcpPlan, job: RunJob) -> dict[str, Any]:
    ident = label(job.name)
    trigger = job.trigger
    trigger_ident = member_label(trigger_member(job.name))
    depends_on = [
        "google_secret_manager_secret_iam_member." + binding_of(label(s.secret), job.name)
        for s in job.secrets
    ]
    if job.repository is not None:
        depends_on.append(
            "google_artifact_registry_repository_iam_member."
            + binding_of(label(job.repository), job.name)
        )
    view: dict[str, Any] = {
        "ident": ident,
        "plan": job,
        "timeout": f"{job.timeout_seconds}s",
        "egress": EGRESS_V2[job.vpc.egress] if job.vpc else None,
        "network_ident": label(job.vpc.network) if job.vpc else None,
        "subnet_ident": label(job.vpc.subnet) if job.vpc else None,
        "env": env_rows(job.env, job.secrets, job.outputs),
        "depends_on": sorted(set(depends_on)),
        "bindings": [binding_view(b, ident) for b in plan.bindings_on("run-job", job.name)],
        "trigger_ident": trigger_ident,
        "run_binding": "google_cloud_run_v2_job_iam_member."
        + binding_of(ident, trigger_member(job.name)),
        "workflow_name": _name("run", job.name),
    }
    if isinstance(trigger, ScheduleRun):
        view["kind"] = "schedule"
    elif isinstance(trigger, TopicRun):
        view |= {
            "kind": "topic",
            "event_type": "google.cloud.pubsub.topic.v1.messagePublished",
            "topic_ident": label(trigger.topic),
        }
    else:
        assert isinstance(trigger, ObjectRun)
        view |= {
            "kind": "object",
            "event_type": _EVENT_TYPES[trigger.event],
            "bucket_ident": label(trigger.bucket),
        }
    return view


def domain_views(plan: GcpPlan) -> list[dict[str, Any]]:
    return [_domain(d) for d in plan.domains]


def _paths(path: str) -> list[str]:
    """A blueprint route is a prefix: the path itself and everything under it."""
    base = path.rstrip("/")
    return [base, f"{base}/*"] if base else ["/*"]


def _domain(d: CustomDomain) -> dict[str, Any]:
    ident = label(d.name)
    backends = [
        {
            "ident": label(d.name, svc),
            "service_ident": label(svc),
            "neg_name": _name(d.name, svc, "neg"),
            "backend_name": _name(d.name, svc, "backend"),
        }
        for svc in d.services
    ]
    by_service = {svc: label(d.name, svc) for svc in d.services}
    default = next((r.service for r in d.routes if r.path == "/"), d.routes[0].service)
    chunks = [
        list(d.allow_from[i : i + _ARMOR_RANGES_PER_RULE])
        for i in range(0, len(d.allow_from), _ARMOR_RANGES_PER_RULE)
    ]
    return {
        "ident": ident,
        "plan": d,
        "backends": backends,
        "default_backend": by_service[default],
        "path_rules": [
            {"paths": _paths(r.path), "backend": by_service[r.service]}
            for r in d.routes
            if r.path != "/"
        ],
        "allow_chunks": chunks,
        "address_name": _name(d.name, "address"),
        "certificate_name": _name(d.name, "certificate"),
        "ssl_policy_name": _name(d.name, "tls"),
        "armor_name": _name(d.name, "allow-from"),
        "url_map_name": _name(d.name, "routes"),
        "redirect_map_name": _name(d.name, "redirect"),
        "https_proxy_name": _name(d.name, "https"),
        "http_proxy_name": _name(d.name, "http"),
        "https_rule_name": _name(d.name, "https"),
        "http_rule_name": _name(d.name, "http"),
    }


__all__ = [
    "BUCKET_SKIPS",
    "TOPIC_SKIPS",
    "bucket_views",
    "database_views",
    "domain_views",
    "job_views",
    "sql_network_views",
    "sql_zone",
    "subscription_views",
    "topic_views",
]
