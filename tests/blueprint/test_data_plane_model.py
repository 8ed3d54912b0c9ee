"""The cloud-neutral data-plane model: database settings, external endpoints, env values from
resource outputs and TLS on every ingress kind. Each message exact, each position exact."""

from __future__ import annotations

import textwrap

import pytest

from blueprint.environments import apply_environment
from blueprint.errors import BlueprintError
from blueprint.model import Output, ResourceKind, ResourceOutput
from blueprint.model.resources import Resource
from tests.support import load_text

_K8S = """\
name: x
platforms: {kubernetes: {}}
"""


# The support matrix decides per target whether these are rendered yet: the model's own checks
# are judged without it.
def problems(text: str) -> list[str]:
    with pytest.raises(BlueprintError) as info:
        load_text(textwrap.dedent(text), support=False)
    return [str(d) for d in info.value.diagnostics]


def test_database_settings_are_refused_on_other_kinds() -> None:
    assert problems(
        _K8S
        + """\
        resources:
          files: {kind: bucket, storage_gb: 50}
        """.replace("        ", "")
    ) == ["blueprint.yaml:4:3: found storage_gb on a bucket, expected it only on kind database"]


def test_database_defaults_follow_the_engine() -> None:
    mysql = Resource(kind=ResourceKind.DATABASE, engine="mysql")
    assert (mysql.db_engine, mysql.db_version, mysql.db_port) == ("mysql", "8.0", 3306)
    plain = Resource(kind=ResourceKind.DATABASE)
    assert (plain.engine, plain.db_engine, plain.db_version, plain.db_port) == (
        None,
        "postgres",
        "16",
        5432,
    )
    assert (plain.size, plain.storage_gb, plain.backup_retention_days) == ("small", 20, 7)
    assert plain.deletion_protection is True and plain.high_availability is False


def test_an_endpoint_port_wins_and_its_cidr_is_a_network() -> None:
    assert problems(
        _K8S
        + textwrap.dedent(
            """\
            resources:
              db: {kind: database, endpoint: {host: "10.0.0.5", port: 5432, cidr: 10.0.0.1/24}}
              bad: {kind: database, endpoint: {host: "Bad_Host", port: 5432}}
            """
        )
    ) == [
        "blueprint.yaml:4:71: found '10.0.0.1/24', which has host bits set; expected the "
        "network address (did you mean '10.0.0.0/24'?)",
        "blueprint.yaml:5:42: found 'Bad_Host', expected a lower-case DNS name such as "
        "db.example.com or an IP address",
    ]
    cache = load_text(
        _K8S + "resources:\n  cache: {kind: database, engine: redis, endpoint: "
        "{host: cache.example.com, port: 6380}}\n",
        support=False,
    ).blueprint.resources["cache"]
    assert cache.db_port == 6380


_WIRED = """\
name: x
platforms: {kubernetes: {}}
resources:
  db: {kind: database}
  jobs: {kind: queue}
services:
  web:
    platform: kubernetes
    image: {registry: ghcr.io, repository: web, tag: "1"}
    env:
      LOG_LEVEL: info
      DATABASE_HOST: {resource: db, output: host}
      QUEUE: {resource: jobs, output: bootstrap}
      OTHER: {resource: nothing, output: host}
    uses: [{resource: db, access: read}]
"""


def test_env_outputs_name_a_used_resource_and_an_output_its_kind_offers() -> None:
    assert problems(_WIRED) == [
        "blueprint.yaml:13:25: found env QUEUE from resource 'jobs', which 'web' does not use; "
        "expected a uses entry for 'jobs'",
        "blueprint.yaml:13:39: found output 'bootstrap' for queue 'jobs', expected one of "
        "'name', 'url'",
        "blueprint.yaml:14:25: unknown resource 'nothing'; expected one of the declared "
        "resources: 'db', 'jobs'",
    ]


def test_a_mapping_env_value_is_an_output_and_a_text_value_plain() -> None:
    text = _WIRED.replace("      QUEUE: {resource: jobs, output: bootstrap}\n", "").replace(
        "      OTHER: {resource: nothing, output: host}\n", ""
    )
    web = load_text(text, support=False).blueprint.services["web"]
    assert web.plain_env == {"LOG_LEVEL": "info"}
    assert web.env_outputs == {"DATABASE_HOST": ResourceOutput(resource="db", output=Output.HOST)}
    assert problems(text.replace("{resource: db, output: host}", "{resource: db}")) == [
        "blueprint.yaml:12:7: missing required key 'output' in services.web.env.DATABASE_HOST; "
        "expected output: one of 'bootstrap', 'host', 'name', 'password', 'port', 'url', 'user'"
    ]


_TLS = """\
name: x
platforms: {kubernetes: {}}
services:
  web: {platform: kubernetes, image: {registry: ghcr.io, repository: web, tag: "1"}}
ingress:
  web-in:
    kind: http
    routes: {/: web}
"""


def test_tls_needs_a_host_inside_its_zone() -> None:
    assert problems(_TLS + "    tls: {issuer: letsencrypt}\n") == [
        "blueprint.yaml:6:3: found tls without host, expected host: the name the certificate is for"
    ]
    assert problems(_TLS + "    host: shop.example.com\n    tls: {zone: example.org}\n") == [
        "blueprint.yaml:6:3: found tls zone 'example.org', which does not contain host "
        "'shop.example.com'; expected the host's zone or one of its parents"
    ]
    loaded = load_text(
        _TLS + "    host: shop.example.com\n    tls: {zone: example.com}\n", support=False
    )
    tls = loaded.blueprint.ingress["web-in"].tls
    assert tls is not None and tls.managed


_ENVIRONMENTS = """\
name: x
platforms: {kubernetes: {}}
resources:
  db: {kind: database, engine: postgres, size: large, high_availability: true}
  files: {kind: bucket}
environments:
  dev:
    resources:
      db: {size: small, high_availability: false, deletion_protection: false}
"""


def test_environments_set_database_settings() -> None:
    bp = load_text(_ENVIRONMENTS, support=False).blueprint
    dev = apply_environment(bp, "dev").resources["db"]
    assert (dev.size, dev.high_availability, dev.deletion_protection) == ("small", False, False)
    assert (bp.resources["db"].size, bp.resources["db"].deletion_protection) == ("large", True)
    assert problems(_ENVIRONMENTS + "      files: {size: small}\n") == [
        "blueprint.yaml:10:14: found resource 'files' of kind bucket, expected a database for "
        "database settings"
    ]
