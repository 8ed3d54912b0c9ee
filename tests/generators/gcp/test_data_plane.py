"""The data plane on GCP, read back from the rendered Terraform (python-hcl2) and the Config
Connector objects (their CRD schemas): Cloud SQL, Pub/Sub, buckets, jobs and their triggers,
custom domains, and exactly the IAM each needs."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
import yaml

from blueprint.errors import BlueprintError
from tests.generators.gcp.support import example, kitchen_sink, render, run_job_errors
from tests.generators.gcp.terraform_support import of_type, resources
from tests.generators.gcp.test_config_connector import resolve
from tests.support import ROOT, load_text

Found = dict[tuple[str, str], dict[str, Any]]


@cache
def _shop() -> dict[str, str]:
    return render(example("gcp-shop"))


@cache
def _sink() -> dict[str, str]:
    return render(kitchen_sink())


def _tf(files: dict[str, str]) -> Found:
    return resources(files)


def _sa(label: str) -> str:
    return f"${{google_service_account.{label}.member}}"


def _project_roles(found: Found) -> set[tuple[str, str, str]]:
    """(role, member, condition expression) of every project-level binding."""
    return {
        (b["role"], b["member"], b.get("condition", [{}])[0].get("expression", ""))
        for b in of_type(found, "google_project_iam_member").values()
    }


# -- Cloud SQL --------------------------------------------------------------------------------


def test_cloud_sql_has_a_private_ip_only_with_iam_authentication_and_pitr() -> None:
    found = _tf(_shop())
    db = of_type(found, "google_sql_database_instance")["db"]
    (settings,) = db["settings"]
    assert (db["database_version"], db["deletion_protection"]) == ("POSTGRES_16", True)
    # size medium, high_availability: true
    assert (settings["tier"], settings["availability_type"], settings["edition"]) == (
        "db-custom-2-7680",
        "REGIONAL",
        "ENTERPRISE",
    )
    (ip,) = settings["ip_configuration"]
    assert (ip["ipv4_enabled"], ip["private_network"], ip["ssl_mode"]) == (
        False,
        "${google_compute_network.shop.id}",
        "ENCRYPTED_ONLY",
    )
    (backup,) = settings["backup_configuration"]
    assert (backup["enabled"], backup["point_in_time_recovery_enabled"]) == (True, True)
    assert backup["backup_retention_settings"][0]["retained_backups"] == 14
    flags = {f["name"]: f["value"] for f in settings["database_flags"]}
    assert flags["cloudsql.iam_authentication"] == "on"
    assert db["depends_on"] == ["${google_service_networking_connection.shop}"]
    address = of_type(found, "google_compute_global_address")["shop__private_services"]
    assert (address["purpose"], address["network"]) == (
        "VPC_PEERING",
        "${google_compute_network.shop.id}",
    )
    peering = of_type(found, "google_service_networking_connection")["shop"]
    assert peering["service"] == "servicenetworking.googleapis.com"


def test_an_environment_overlay_sizes_the_database_and_lifts_its_protection() -> None:
    text = (ROOT / "examples" / "gcp-shop" / "blueprint.yaml").read_text(encoding="utf-8")
    bp = load_text(text, environment="dev").blueprint
    db = of_type(_tf(render(bp)), "google_sql_database_instance")["db"]
    (settings,) = db["settings"]
    assert (
        settings["tier"],
        settings["availability_type"],
        db["deletion_protection"],
        settings["deletion_protection_enabled"],
    ) == ("db-custom-1-3840", "ZONAL", False, False)


def test_mysql_an_explicit_instance_class_and_the_mysql_iam_user() -> None:
    found = _tf(_sink())
    db = of_type(found, "google_sql_database_instance")["inventory"]
    (settings,) = db["settings"]
    assert (db["database_version"], settings["tier"], settings["availability_type"]) == (
        "MYSQL_8_0",
        "db-custom-6-23040",
        "REGIONAL",
    )
    flags = {f["name"]: f["value"] for f in settings["database_flags"]}
    assert flags == {
        "cloudsql_iam_authentication": "on",
        "local_infile": "off",
        "skip_show_database": "on",
    }
    (backup,) = settings["backup_configuration"]
    assert backup["binary_log_enabled"] is True
    users = {u["name"] for u in of_type(found, "google_sql_user").values()}
    assert users == {"run-api", "run-api@sink-project.iam", "run-cleanup@sink-project.iam"}
    ledger = of_type(found, "google_sql_database_instance")["ledger"]
    assert (ledger["database_version"], ledger["settings"][0]["tier"]) == (
        "POSTGRES_15",
        "db-custom-4-15360",
    )


def test_env_outputs_are_terraform_references_and_the_same_values_in_the_yaml() -> None:
    files = _shop()
    body = of_type(_tf(files), "google_cloud_run_v2_service")["orders"]
    env = {e["name"]: e.get("value") for e in body["template"][0]["containers"][0]["env"]}
    assert {k: v for k, v in env.items() if k.startswith(("DATABASE_", "ORDER_"))} == {
        "DATABASE_HOST": '${trimsuffix(google_dns_record_set.db__sql.name, ".")}',
        "DATABASE_NAME": "${google_sql_database.db.name}",
        "DATABASE_PORT": "5432",
        "DATABASE_USER": "${google_sql_user.db__iam__orders.name}",
        "ORDER_TOPIC": "${google_pubsub_topic.order_events.name}",
    }
    doc = yaml.safe_load(files["gcp/cloudrun/orders.yaml"])
    values = {
        e["name"]: e.get("value") for e in doc["spec"]["template"]["spec"]["containers"][0]["env"]
    }
    assert {k: v for k, v in values.items() if k.startswith(("DATABASE_", "ORDER_"))} == {
        "DATABASE_HOST": "db.sql.gcp-shop.internal",
        "DATABASE_NAME": "db",
        "DATABASE_PORT": "5432",
        "DATABASE_USER": "run-orders@shop-project.iam",
        "ORDER_TOPIC": "order-events",
    }


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            "{resource: db, output: password}",
            "found output 'password' of database 'db' for a workload on cloud-run, expected "
            "host, name, port or user: Cloud SQL uses IAM database authentication, so there is "
            "no password (the workload logs in as user with its identity's access token)",
        ),
        (
            "{resource: vault, output: name}",
            "found output 'name' of secret store 'vault' for a workload on cloud-run, expected "
            "secrets: {ENV: {store, key}} (Secret Manager has no stores, only one secret per "
            "key)",
        ),
    ],
)
def test_outputs_cloud_run_cannot_be_given_are_refused(env: str, message: str) -> None:
    text = f"""\
    name: t
    platforms:
      gcp: {{project: p-project, region: europe-west1}}
    networks:
      core: {{cidr: 10.0.0.0/16, subnets: {{a: {{cidr: 10.0.0.0/24}}}}}}
    services:
      web:
        platform: cloud-run
        image: {{registry: docker.io, repository: x/web, tag: "1"}}
        env: {{SECRET: {env}}}
        uses: [{{resource: db, access: read}}, {{resource: vault, access: read}}]
    resources:
      db: {{kind: database, engine: postgres}}
      vault: {{kind: secret-store}}
    """
    with pytest.raises(BlueprintError) as raised:
        load_text(text)
    assert [d.message for d in raised.value.diagnostics] == [message]


def test_the_workloads_that_use_the_database_are_exactly_its_iam_users() -> None:
    found = _tf(_shop())
    users = {(u["name"], u["type"]) for u in of_type(found, "google_sql_user").values()}
    assert users == {
        (f"run-{w}@shop-project.iam", "CLOUD_IAM_SERVICE_ACCOUNT")
        for w in ("orders", "fulfil", "nightly-report")
    }
    instance = (
        'resource.name == "projects/${var.project}/instances/'
        '${google_sql_database_instance.db.name}"'
    )
    assert _project_roles(found) - {
        r for r in _project_roles(found) if not r[0].startswith("roles/cloudsql.")
    } == {
        (role, _sa(w), instance)
        for role in ("roles/cloudsql.client", "roles/cloudsql.instanceUser")
        for w in ("orders", "fulfil", "nightly_report")
    }


def test_the_database_host_is_a_private_name_for_its_private_ip() -> None:
    found = _tf(_shop())
    zone = of_type(found, "google_dns_managed_zone")["shop__sql"]
    assert (zone["dns_name"], zone["visibility"]) == ("sql.gcp-shop.internal.", "private")
    record = of_type(found, "google_dns_record_set")["db__sql"]
    assert (record["name"], record["rrdatas"]) == (
        "db.sql.gcp-shop.internal.",
        ["${google_sql_database_instance.db.private_ip_address}"],
    )


def test_a_database_on_gcp_needs_a_network() -> None:
    text = """\
    name: t
    platforms:
      gcp: {project: p-project, region: europe-west1}
    services:
      web:
        platform: cloud-run
        image: {registry: docker.io, repository: x/web, tag: "1"}
        uses: [{resource: db, access: read}]
    resources:
      db: {kind: database}
    """
    with pytest.raises(BlueprintError) as raised:
        load_text(text)
    assert [d.message for d in raised.value.diagnostics] == [
        "found database 'db' on gcp without a network on gcp, expected a network (Cloud SQL "
        "gets a private IP on it through private services access, and no public IP)"
    ]


# -- Pub/Sub ----------------------------------------------------------------------------------


def test_a_subscription_per_topic_subscriber_and_one_shared_by_a_queue_s_consumers() -> None:
    found = _tf(_sink())
    subs = {
        b["name"]: (
            b["topic"],
            b.get("push_config", [{}])[0].get("push_endpoint"),
            b["dead_letter_policy"][0]["max_delivery_attempts"],
            b["retry_policy"][0]["minimum_backoff"],
        )
        for b in of_type(found, "google_pubsub_subscription").values()
    }
    assert subs == {
        "events.indexer": ("${google_pubsub_topic.events.id}", None, 8, "20s"),
        "events.search": (
            "${google_pubsub_topic.events.id}",
            "${google_cloud_run_v2_service.search.uri}",
            5,
            "10s",
        ),
        "work": ("${google_pubsub_topic.work.id}", None, 5, "10s"),
    }
    push = of_type(found, "google_pubsub_subscription")["events__search__subscription"]
    token = push["push_config"][0]["oidc_token"][0]
    assert token["service_account_email"] == "${google_service_account.pubsub__push.email}"
    dead = {
        b["dead_letter_policy"][0]["dead_letter_topic"]
        for b in of_type(found, "google_pubsub_subscription").values()
    }
    assert dead == {
        "${google_pubsub_topic.events__dead_letter.id}",
        "${google_pubsub_topic.work__dead_letter.id}",
    }


def test_a_topic_name_pub_sub_cannot_take_is_refused() -> None:
    text = """\
    name: t
    platforms:
      gcp: {project: p-project, region: europe-west1}
    services:
      web:
        platform: cloud-run
        image: {registry: docker.io, repository: x/web, tag: "1"}
        uses: [{resource: q, access: publish}]
    resources:
      q: {kind: queue}
    """
    with pytest.raises(BlueprintError) as raised:
        load_text(text)
    assert [d.message for d in raised.value.diagnostics] == [
        "found queue name 'q' on gcp, expected 3 characters or more (a Pub/Sub topic ID)"
    ]


def test_publishers_and_subscribers_hold_roles_on_exactly_their_topic_or_subscription() -> None:
    found = _tf(_sink())
    topics = {
        (b["topic"], b["role"], b["member"])
        for b in of_type(found, "google_pubsub_topic_iam_member").values()
        if b["member"] != "${local.pubsub_service_agent}"
    }
    assert topics == {
        ("${google_pubsub_topic.events.name}", "roles/pubsub.publisher", _sa("api")),
        ("${google_pubsub_topic.work.name}", "roles/pubsub.publisher", _sa("api")),
    }
    subs = {
        (b["subscription"].split(".")[1], b["role"], b["member"])
        for b in of_type(found, "google_pubsub_subscription_iam_member").values()
        if b["member"] != "${local.pubsub_service_agent}"
    }
    assert subs == {
        ("events__indexer__subscription", "roles/pubsub.subscriber", _sa("indexer")),
        ("work__subscription", "roles/pubsub.subscriber", _sa("worker_a")),
        ("work__subscription", "roles/pubsub.subscriber", _sa("worker_b")),
    }
    invokers = {
        (b["name"], b["member"])
        for b in of_type(found, "google_cloud_run_v2_service_iam_member").values()
        if b["member"] == _sa("pubsub__push")
    }
    assert invokers == {("${google_cloud_run_v2_service.search.name}", _sa("pubsub__push"))}


# -- jobs -------------------------------------------------------------------------------------


def test_each_job_is_started_by_its_own_identity_with_exactly_the_role_it_needs() -> None:
    found = _tf(_sink())
    runs = {
        (b["name"].split(".")[1], b["role"], b["member"])
        for b in of_type(found, "google_cloud_run_v2_job_iam_member").values()
    }
    assert runs == {
        ("cleanup", "roles/run.invoker", _sa("trigger__cleanup")),
        ("indexer", "roles/run.invoker", _sa("trigger__indexer")),
        ("thumbnails", "roles/run.jobsExecutorWithOverrides", _sa("trigger__thumbnails")),
        ("worker_a", "roles/run.invoker", _sa("trigger__worker_a")),
        ("worker_b", "roles/run.invoker", _sa("trigger__worker_b")),
    }
    (scheduler,) = of_type(found, "google_cloud_scheduler_job").values()
    target = scheduler["http_target"][0]
    assert (scheduler["schedule"], target["uri"]) == (
        "30 4 * * 1",
        "https://run.googleapis.com/v2/${google_cloud_run_v2_job.cleanup.id}:run",
    )
    assert target["oauth_token"][0]["service_account_email"] == (
        "${google_service_account.trigger__cleanup.email}"
    )


def test_topic_and_object_events_reach_their_jobs_through_eventarc() -> None:
    found = _tf(_sink())
    triggers = {}
    for label, t in of_type(found, "google_eventarc_trigger").items():
        criteria = {c["attribute"]: c["value"] for c in t["matching_criteria"]}
        topic = t.get("transport", [{}])[0].get("pubsub", [{}])[0].get("topic")
        triggers[label] = (criteria, topic, t["destination"][0]["workflow"])
    assert triggers["thumbnails"] == (
        {
            "type": "google.cloud.storage.object.v1.finalized",
            "bucket": "${google_storage_bucket.uploads.name}",
        },
        None,
        "${google_workflows_workflow.thumbnails.id}",
    )
    assert triggers["indexer"] == (
        {"type": "google.cloud.pubsub.topic.v1.messagePublished"},
        "${google_pubsub_topic.events.id}",
        "${google_workflows_workflow.indexer.id}",
    )
    assert sorted(triggers) == ["indexer", "thumbnails", "worker_a", "worker_b"]


def test_every_run_job_validates_against_its_crd_and_agrees_with_the_terraform() -> None:
    files = _sink()
    found = _tf(files)
    jobs = of_type(found, "google_cloud_run_v2_job")
    documents = {
        p: yaml.safe_load(t) for p, t in files.items() if p.startswith("gcp/config-connector/jobs/")
    }
    assert len(documents) == len(jobs) == 5
    for path, doc in documents.items():
        assert run_job_errors(doc) == [], path
        body = next(b for b in jobs.values() if b["name"] == doc["metadata"]["name"])
        task = doc["spec"]["template"]["template"]
        (tf_task,) = body["template"][0]["template"]
        (box,) = task["containers"]
        (tf_box,) = tf_task["containers"]
        assert (box["image"], box["resources"]["limits"]) == (
            tf_box["image"],
            tf_box["resources"][0]["limits"],
        )
        assert (task["timeout"], task["maxRetries"]) == (tf_task["timeout"], tf_task["max_retries"])
        tf_env = [
            (e["name"], resolve(e.get("value"), found, "sink-project"))
            for e in tf_box.get("env", [])
            if "value_source" not in e
        ]
        assert [(e["name"], e["value"]) for e in box.get("env", []) if "value" in e] == tf_env
        vpc = tf_task.get("vpc_access", [{}])[0].get("egress")
        assert task.get("vpcAccess", {}).get("egress") == vpc, path
        account = tf_task["service_account"].split(".")[1].replace("_", "-")
        assert task["serviceAccountRef"]["external"] == (
            f"run-{account}@sink-project.iam.gserviceaccount.com"
        )


# -- buckets ----------------------------------------------------------------------------------


def test_a_bucket_is_private_versioned_and_granted_exactly() -> None:
    found = _tf(_sink())
    bucket = of_type(found, "google_storage_bucket")["uploads"]
    assert (
        bucket["name"],
        bucket["public_access_prevention"],
        bucket["uniform_bucket_level_access"],
        bucket["versioning"][0]["enabled"],
    ) == ("sink-project-uploads", "enforced", True, True)
    grants = {
        (b["role"], b["member"])
        for b in of_type(found, "google_storage_bucket_iam_member").values()
    }
    assert grants == {
        ("roles/storage.objectCreator", _sa("api")),
        ("roles/storage.objectCreator", _sa("thumbnails")),
        ("roles/storage.objectViewer", _sa("thumbnails")),
    }


# -- custom domains ---------------------------------------------------------------------------


def test_a_managed_certificate_for_the_host_and_its_a_record_in_the_named_zone() -> None:
    found = _tf(_shop())
    cert = of_type(found, "google_compute_managed_ssl_certificate")["storefront"]
    assert cert["managed"][0]["domains"] == ["shop.example.com"]
    proxy = of_type(found, "google_compute_target_https_proxy")["storefront"]
    assert proxy["ssl_certificates"] == ["${google_compute_managed_ssl_certificate.storefront.id}"]
    record = of_type(found, "google_dns_record_set")["storefront__host"]
    assert (record["name"], record["type"], record["rrdatas"]) == (
        "shop.example.com.",
        "A",
        ["${google_compute_global_address.storefront.address}"],
    )
    assert 'z.dns_name == "example.com."' in record["managed_zone"]


def test_a_host_is_a_global_load_balancer_with_the_named_certificate_and_a_redirect() -> None:
    found = _tf(_sink())
    assert of_type(found, "google_compute_managed_ssl_certificate") == {}
    proxy = of_type(found, "google_compute_target_https_proxy")["site"]
    assert proxy["ssl_certificates"] == ["projects/sink-project/global/sslCertificates/www-sink"]
    rules = {
        b["port_range"]: b["target"]
        for b in of_type(found, "google_compute_global_forwarding_rule").values()
    }
    assert rules == {
        "443": "${google_compute_target_https_proxy.site.id}",
        "80": "${google_compute_target_http_proxy.site.id}",
    }
    redirect = of_type(found, "google_compute_url_map")["site__redirect"]
    assert redirect["default_url_redirect"][0]["https_redirect"] is True
    routes = of_type(found, "google_compute_url_map")["site"]
    (matcher,) = routes["path_matcher"]
    assert matcher["default_service"] == "${google_compute_backend_service.site__front.id}"
    assert [(r["paths"], r["service"]) for r in matcher["path_rule"]] == [
        (["/api", "/api/*"], "${google_compute_backend_service.site__api.id}")
    ]
    services = of_type(found, "google_cloud_run_v2_service")
    assert {n: s["ingress"] for n, s in services.items()} == {
        "api": "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
        "front": "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
        "search": "INGRESS_TRAFFIC_INTERNAL_ONLY",
    }


def test_allow_from_is_a_cloud_armor_policy_on_every_backend_of_the_host() -> None:
    found = _tf(_sink())
    policy = of_type(found, "google_compute_security_policy")["site"]
    allowed = {
        cidr
        for rule in policy["rule"]
        if rule["action"] == "allow"
        for cidr in rule["match"][0]["config"][0]["src_ip_ranges"]
    }
    assert allowed == {"198.51.100.0/24", "203.0.113.0/24"}
    last = max(policy["rule"], key=lambda r: r["priority"])
    assert (last["action"], last["match"][0]["config"][0]["src_ip_ranges"]) == ("deny(403)", ["*"])
    backends = of_type(found, "google_compute_backend_service")
    assert {b["security_policy"] for b in backends.values()} == {
        "${google_compute_security_policy.site.id}"
    }


@pytest.mark.parametrize(
    ("ingress", "message"),
    [
        (
            "{kind: http, allow_from: [{cidr: 192.0.2.0/24, ports: [443]}], routes: {/: web}}",
            "found allow_from on ingress 'site' without host on gcp, expected host: the name "
            "it serves (Cloud Armor filters sources on the load balancer a host gets; Cloud "
            "Run's own URL has no firewall)",
        ),
        (
            "{kind: http, public: false, host: a.example.com, routes: {/: web}}",
            "found host on the private ingress 'site' on gcp, expected public: true (a host "
            "becomes a global external Application Load Balancer) or no host",
        ),
    ],
)
def test_what_a_custom_domain_cannot_render_is_refused(ingress: str, message: str) -> None:
    text = f"""\
    name: t
    platforms:
      gcp: {{project: p-project, region: europe-west1}}
    ingress:
      site: {ingress}
    services:
      web:
        platform: cloud-run
        image: {{registry: docker.io, repository: x/web, tag: "1"}}
    """
    with pytest.raises(BlueprintError) as raised:
        load_text(text)
    assert [d.message for d in raised.value.diagnostics] == [message]


def test_a_database_s_subnets_choose_its_network_and_its_users_are_placed_there() -> None:
    text = """\
    name: t
    platforms:
      gcp: {project: p-project, region: europe-west1}
    networks:
      alpha: {cidr: 10.1.0.0/16, subnets: {a: {cidr: 10.1.0.0/24}}}
      beta: {cidr: 10.2.0.0/16, subnets: {b: {cidr: 10.2.0.0/24}}}
    services:
      web:
        platform: cloud-run
        image: {registry: docker.io, repository: x/web, tag: "1"}
        uses: [{resource: db, access: read}]
    resources:
      db: {kind: database, engine: postgres, subnets: [b]}
    """
    files = render(load_text(text).blueprint)
    found = _tf(files)
    db = of_type(found, "google_sql_database_instance")["db"]
    assert db["settings"][0]["ip_configuration"][0]["private_network"] == (
        "${google_compute_network.beta.id}"
    )
    assert set(of_type(found, "google_service_networking_connection")) == {"beta"}
    web = of_type(found, "google_cloud_run_v2_service")["web"]
    assert web["template"][0]["vpc_access"][0]["network_interfaces"][0]["subnetwork"] == (
        "${google_compute_subnetwork.b.id}"
    )
