"""Connection wiring: env values taken from a resource's outputs, spelled natively. Terraform
refers to the attribute of the resource it creates; the Knative YAML and the RunService carry
the same value, which blueprint knows at render time (names, the database's private DNS name,
the IAM user), so the three forms agree."""

from __future__ import annotations

from blueprint.model import ResourceKind
from blueprint.model.workloads import Job, Service
from blueprint.view import SystemView
from generators.gcp import naming
from generators.gcp.plan.cloudsql import private_host
from generators.gcp.plan.records import EnvOutput
from generators.gcp.tf_labels import label


def env_outputs(
    view: SystemView, name: str, w: Service | Job, project: str
) -> tuple[EnvOutput, ...]:
    bp = view.blueprint
    found: list[EnvOutput] = []
    for env, ref in sorted(w.env_outputs.items()):
        res = bp.resources[ref.resource]
        ident = label(ref.resource)
        output = ref.output.value
        value: str
        reference: str | None
        if res.kind is ResourceKind.DATABASE:
            if output == "host":
                value = private_host(bp.name, ref.resource)
                reference = f'trimsuffix(google_dns_record_set.{ident}__sql.name, ".")'
            elif output == "port":
                value, reference = str(res.db_port), None
            elif output == "name":
                value, reference = ref.resource, f"google_sql_database.{ident}.name"
            else:  # user (password is refused at validation: IAM database authentication)
                email = naming.service_account_email(name, project)
                value = naming.cloud_sql_user(res.db_engine, email)
                user = label(ref.resource, "iam", name)
                reference = f"google_sql_user.{user}.name"
        elif res.kind is ResourceKind.BUCKET:
            value = naming.bucket_name(project, ref.resource)
            reference = f"google_storage_bucket.{ident}.name"
        elif output == "url":  # a queue: the topic's full resource name
            value = f"projects/{project}/topics/{ref.resource}"
            reference = f"google_pubsub_topic.{ident}.id"
        else:  # the name of a topic or queue
            value, reference = ref.resource, f"google_pubsub_topic.{ident}.name"
        found.append(EnvOutput(env=env, value=value, reference=reference))
    return tuple(found)
