"""Identity rules: a good and a bad case each, asserting whole findings."""

from __future__ import annotations

import pytest

from tests.policies.support import finding, findings

AWS = """\
name: t
platforms:
  aws: {region: eu-west-2}
"""


CASES = [
    pytest.param(
        "BP1001",
        AWS
        + """\
resources:
  ecr: {kind: registry}
identity:
  scopes:
    dev:
      grants:
        - {resource: ecr, access: read}
""",
        [],
        id="BP1001-good-named-grant",
    ),
    pytest.param(
        "BP1001",
        AWS
        + """\
resources:
  ecr: {kind: registry}
identity:
  scopes:
    dev:
      grants:
        - {resource: "*", access: read}
""",
        [
            finding(
                "BP1001",
                "error",
                "identity.scopes.dev",
                'dev is granted read on every resource ("*"); grant the access levels it needs '
                "on the resources it needs",
                ("identity.scopes.dev", "*"),
                10,
                11,
            )
        ],
        id="BP1001-bad-resource-star",
    ),
    pytest.param(
        "BP1001",
        AWS
        + """\
resources:
  ecr: {kind: registry}
identity:
  principals:
    ci: {kind: automation, grants: [{resource: ecr, access: "*"}]}
""",
        [
            finding(
                "BP1001",
                "error",
                "identity.principals.ci",
                'ci is granted every access ("*") on registry ecr; grant the access levels it '
                "needs on the resources it needs",
                ("identity.principals.ci", "ecr"),
                8,
                37,
            )
        ],
        id="BP1001-bad-access-star",
    ),
    pytest.param(
        "BP1002",
        AWS
        + """\
services:
  web:
    platform: aws-fargate
    uses: [{resource: files, access: read}]
resources:
  files: {kind: bucket}
identity:
  principals:
    web-role: {kind: service, workload: web, grants: [{resource: files, access: read}]}
""",
        [],
        id="BP1002-good-exact-grants",
    ),
    pytest.param(
        "BP1002",
        AWS
        + """\
services:
  web:
    platform: aws-fargate
    uses: [{resource: files, access: read}]
resources:
  files: {kind: bucket}
  db: {kind: database}
identity:
  principals:
    web-role:
      kind: service
      workload: web
      grants:
        - {resource: files, access: write}
        - {resource: files, access: read}
        - {resource: db, access: read}
""",
        [
            finding(
                "BP1002",
                "error",
                "identity.principals.web-role",
                "web-role (the identity of web) is granted write on bucket files, but web's "
                "declared uses and calls need only read",
                ("identity.principals.web-role", "resources.files", "resources.files (write)"),
                17,
                11,
            ),
            finding(
                "BP1002",
                "error",
                "identity.principals.web-role",
                "web-role (the identity of web) is granted read on database db, but web's "
                "declared uses and calls need no access to it",
                ("identity.principals.web-role", "resources.db", "resources.db (read)"),
                19,
                11,
            ),
        ],
        id="BP1002-bad-wider-and-unused",
    ),
    pytest.param(
        "BP1003",
        AWS
        + """\
jobs:
  loader:
    platform: aws-fargate
    trigger: {schedule: "0 * * * *"}
    uses: [{resource: db, access: write}]
    writes: [{resource: db}]
resources:
  db: {kind: database}
""",
        [],
        id="BP1003-good-write-declared",
    ),
    pytest.param(
        "BP1003",
        AWS
        + """\
jobs:
  loader:
    platform: aws-fargate
    trigger: {schedule: "0 * * * *"}
    uses: [{resource: db, access: read}]
    writes: [{resource: db}]
resources:
  db: {kind: database}
""",
        [
            finding(
                "BP1003",
                "error",
                "jobs.loader",
                "loader writes database db, but its identity (derived from its uses) is not "
                "granted write on it; add uses: {resource: db, access: write}",
                ("jobs.loader", "jobs.loader.identity", "resources.db (write)"),
                5,
                3,
            )
        ],
        id="BP1003-bad-write-not-granted",
    ),
    pytest.param(
        "BP1004",
        AWS
        + """\
services:
  web:
    platform: aws-fargate
    uses: [{resource: db, access: write}]
resources:
  db: {kind: database}
  ecs: {kind: cluster}
identity:
  principals:
    leo: {kind: human, grants: [{resource: db, access: read}]}
""",
        [],
        id="BP1004-good-no-control",
    ),
    pytest.param(
        "BP1004",
        AWS
        + """\
services:
  web:
    platform: aws-fargate
    uses: [{resource: db, access: write}]
resources:
  db: {kind: database}
identity:
  principals:
    leo: {kind: human, grants: [{resource: web, access: deploy}]}
""",
        [
            finding(
                "BP1004",
                "error",
                "identity.principals.leo",
                "leo can deploy code that runs as the identity of web (leo -> web -> web "
                "(identity)), reaching write on database db",
                (
                    "identity.principals.leo",
                    "services.web",
                    "services.web.identity",
                    "resources.db (write)",
                ),
                12,
                5,
            )
        ],
        id="BP1004-bad-deploy-runs-as-more",
    ),
    pytest.param(
        "BP1004",
        AWS
        + """\
resources:
  db: {kind: database}
identity:
  principals:
    leo: {kind: human, can_assume: [admin]}
    admin: {kind: human, grants: [{resource: db, access: admin}]}
""",
        [
            finding(
                "BP1004",
                "error",
                "identity.principals.leo",
                "leo can assume human admin (leo -> admin), reaching admin on database db",
                ("identity.principals.leo", "identity.principals.admin", "resources.db (admin)"),
                8,
                5,
            )
        ],
        id="BP1004-bad-assume-more-privileged",
    ),
    pytest.param(
        "BP1004",
        AWS
        + """\
services:
  web:
    platform: aws-fargate
    uses: [{resource: db, access: write}]
resources:
  db: {kind: database}
  iam: {kind: iam}
identity:
  principals:
    ci: {kind: automation, grants: [{resource: iam, access: pass-role}]}
""",
        [
            finding(
                "BP1004",
                "error",
                "identity.principals.ci",
                "ci can pass the identity of web to a workload it starts (ci -> web "
                "(identity)), reaching write on database db",
                ("identity.principals.ci", "services.web.identity", "resources.db (write)"),
                13,
                5,
            )
        ],
        id="BP1004-bad-pass-role",
    ),
    pytest.param(
        "BP1005",
        AWS
        + """\
resources:
  ecr: {kind: registry}
  ecs: {kind: cluster}
identity:
  principals:
    pub: {kind: automation, grants: [{resource: ecr, access: push}]}
    dep: {kind: automation, grants: [{resource: ecs, access: deploy}]}
""",
        [],
        id="BP1005-good-split",
    ),
    pytest.param(
        "BP1005",
        AWS
        + """\
resources:
  ecr: {kind: registry}
  ecs: {kind: cluster}
identity:
  principals:
    pub:
      kind: automation
      grants: [{resource: ecr, access: push}, {resource: ecs, access: deploy}]
""",
        [
            finding(
                "BP1005",
                "error",
                "identity.principals.pub",
                "pub can both publish images (push on registry ecr) and change infrastructure "
                "(deploy on cluster ecs); split publishing and infrastructure changes between "
                "two principals",
                (
                    "identity.principals.pub",
                    "resources.ecr",
                    "resources.ecs",
                    "resources.ecr (push)",
                    "resources.ecs (deploy)",
                ),
                9,
                5,
            )
        ],
        id="BP1005-bad-one-principal",
    ),
    pytest.param(
        "BP1006",
        AWS
        + """\
services:
  web: {platform: aws-fargate}
identity:
  principals:
    web-role: {kind: service, workload: web}
    leo: {kind: human, can_assume: [web-role]}
""",
        [
            finding(
                "BP1006",
                "error",
                "identity.principals.leo",
                "human leo can assume service identity web-role (the identity of web); people "
                "should not act as a workload",
                ("identity.principals.leo", "identity.principals.web-role"),
                9,
                5,
            )
        ],
        id="BP1006-bad-human-assumes-service",
    ),
    pytest.param(
        "BP1007",
        AWS
        + """\
identity:
  principals:
    root: {kind: root, console: true, mfa: true}
""",
        [],
        id="BP1007-good-break-glass",
    ),
    pytest.param(
        "BP1007",
        AWS
        + """\
identity:
  scopes:
    dev: {}
  principals:
    root: {kind: root, console: true, mfa: true, access_keys: true, scopes: [dev]}
""",
        [
            finding(
                "BP1007",
                "error",
                "identity.principals.root",
                "root account root is used beyond break-glass console access (scopes dev); "
                "give daily work to principals with scopes",
                ("identity.principals.root", "identity.scopes.dev"),
                8,
                5,
            ),
            finding(
                "BP1007",
                "error",
                "identity.principals.root",
                "root account root has access keys; delete them and keep root for break-glass "
                "console sign-in",
                ("identity.principals.root",),
                8,
                50,
            ),
        ],
        id="BP1007-bad-keys-and-daily-use",
    ),
    pytest.param(
        "BP1008",
        AWS
        + """\
identity:
  principals:
    leo: {kind: human, console: true, mfa: false}
""",
        [
            finding(
                "BP1008",
                "error",
                "identity.principals.leo",
                "human leo has console access without MFA; set mfa: true",
                ("identity.principals.leo",),
                6,
                24,
            )
        ],
        id="BP1008-bad-no-mfa",
    ),
    pytest.param(
        "BP1009",
        AWS
        + """\
services:
  web: {platform: aws-fargate}
identity:
  principals:
    web-role: {kind: service, workload: web, console: true}
""",
        [
            finding(
                "BP1009",
                "error",
                "identity.principals.web-role",
                "service identity web-role has console access; machines do not sign in to the "
                "console, set console: false",
                ("identity.principals.web-role",),
                8,
                46,
            )
        ],
        id="BP1009-bad-service-console",
    ),
    pytest.param(
        "BP1010",
        AWS
        + """\
identity:
  principals:
    ci: {kind: automation, access_keys: true}
""",
        [
            finding(
                "BP1010",
                "warning",
                "identity.principals.ci",
                "automation ci uses long-lived access keys; prefer short-lived credentials "
                "(OIDC federation for CI, workload identity for services, SSO for people)",
                ("identity.principals.ci",),
                6,
                28,
            )
        ],
        id="BP1010-bad-static-keys",
    ),
    pytest.param(
        "BP1011",
        AWS
        + """\
services:
  web:
    platform: aws-fargate
    image: {registry: images, repository: web, tag: "1"}
resources:
  images: {kind: registry}
identity:
  principals:
    web-role: {kind: service, workload: web}
""",
        [],
        id="BP1011-good-separate-execution-identity",
    ),
    pytest.param(
        "BP1012",
        AWS
        + """\
resources:
  ecs: {kind: cluster}
identity:
  principals:
    ci: {kind: automation, grants: [{resource: ecs, access: deploy}]}
""",
        [
            finding(
                "BP1012",
                "note",
                "identity.principals.ci",
                "ci can change infrastructure: deploy on cluster ecs",
                ("identity.principals.ci", "resources.ecs"),
                8,
                5,
            )
        ],
        id="BP1012-note-inventory",
    ),
]


@pytest.mark.parametrize(("rule", "text", "expected"), CASES)
def test_identity_rule(rule: str, text: str, expected: list[object]) -> None:
    assert findings(text, rule) == expected
