"""Hostile text in every free-text field that reaches the AWS output: the Terraform still parses
(python-hcl2) and the CloudFormation JSON loads, and each value comes back exactly."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from blueprint.model import Blueprint
from blueprint.model.base import nfc
from generators.common.quoting import hcl_string
from tests.conftest import slow_examples
from tests.generators.aws.support import (
    call_argument,
    cloudformation,
    render,
    resources,
    terraform,
)
from tests.generators.platform_readers import cloudformation_value

HOSTILE = [
    '"',
    "\\",
    "${",
    "%{",
    "$${",
    "}",
    "\n",
    "\r",
    "\t",
    "\x00",
    "\x1b",
    "é",
    "😀",
    "\u2028",
    "'",
    "`",
    "#",
    "//",
    "/*",
    "<<EOF",
    "{{",
    "}}",
    '{"Ref": "AWS::AccountId"}',
]
free_text = st.one_of(
    st.lists(st.sampled_from(HOSTILE) | st.text(max_size=8), max_size=12).map("".join),
    st.just("x" * 4000 + '"${a}%{b}\\'),
).map(nfc)
no_space = st.lists(
    st.sampled_from([h for h in HOSTILE if not h.isspace() and h != "\u2028"])
    | st.text(alphabet=st.characters(blacklist_categories=("Zs", "Zl", "Zp", "Cc")), max_size=6),
    max_size=8,
).map(lambda parts: nfc("".join(parts)))
secret_key = st.from_regex(r"[A-Za-z0-9][-A-Za-z0-9_.]{0,40}", fullmatch=True)


def blueprint(
    description: str,
    service_description: str,
    env_value: str,
    key: str,
    resource_description: str,
    scope_description: str,
    route_path: str,
    health_path: str,
    audience: str,
) -> Blueprint:
    return Blueprint.model_validate(
        {
            "name": "hostile",
            "description": description,
            "platforms": {
                "aws": {"region": "eu-west-2", "formats": ["terraform", "cloudformation"]}
            },
            "networks": {
                "main": {
                    "cidr": "10.0.0.0/16",
                    "subnets": {
                        "public-a": {"cidr": "10.0.64.0/19", "public": True},
                        "private-a": {"cidr": "10.0.0.0/19"},
                    },
                    "nat": "public-a",
                }
            },
            "ingress": {
                "api": {
                    "kind": "api-gateway",
                    "auth": {"issuer": "users", "audience": [audience]},
                    "routes": {f"GET {route_path}": "lb"},
                },
                "lb": {
                    "kind": "load-balancer",
                    "type": "network",
                    "subnets": ["private-a"],
                    "forwards": {8080: "web"},
                },
            },
            "services": {
                "web": {
                    "platform": "aws-fargate",
                    "description": service_description,
                    "image": {"registry": "images", "repository": "web", "tag": "1"},
                    "subnets": ["private-a"],
                    "health": {"path": health_path},
                    "env": {"HOSTILE": env_value},
                    "secrets": {"TOKEN": {"store": "vault", "key": key}},
                    "uses": [{"resource": "uploads", "access": "read"}],
                }
            },
            "resources": {
                "images": {"kind": "registry"},
                "uploads": {"kind": "bucket", "description": resource_description},
                "users": {"kind": "user-pool"},
                "vault": {"kind": "secret-store"},
            },
            "identity": {
                "scopes": {"readers": {"description": scope_description, "grants": []}},
                "principals": {"ann": {"kind": "human", "scopes": ["readers"]}},
            },
        }
    )


@settings(
    max_examples=slow_examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    description=free_text,
    service_description=free_text,
    env_value=free_text,
    key=secret_key,
    resource_description=free_text,
    scope_description=free_text,
    route_path=no_space,
    health_path=no_space,
    audience=free_text.map(lambda t: t[:256]),
)
def test_hostile_text_round_trips(
    description: str,
    service_description: str,
    env_value: str,
    key: str,
    resource_description: str,
    scope_description: str,
    route_path: str,
    health_path: str,
    audience: str,
) -> None:
    route = f"/{route_path}"
    health = f"/{health_path}"
    try:
        bp = blueprint(
            description,
            service_description,
            env_value,
            key,
            resource_description,
            scope_description,
            route,
            health,
            audience,
        )
    except ValidationError:
        assume(False)
        raise
    files = render(bp)

    # CloudFormation: plain JSON strings, never inside Fn::Sub.
    template = cloudformation(files)
    res = template["Resources"]
    assert template["Metadata"]["Blueprint"]["Description"] == description
    assert res["WebService"]["Metadata"]["Blueprint"]["Description"] == service_description
    container = res["WebServiceTask"]["Properties"]["ContainerDefinitions"][0]
    (variable,) = container["Environment"]
    assert (variable["Name"], cloudformation_value(variable["Value"])) == ("HOSTILE", env_value)
    assert container["HealthCheck"]["Command"][-1] == f"http://localhost:8080{health}"
    assert res["VaultSecret1"]["Properties"]["Name"] == f"hostile/vault/{key}"
    assert res["UploadsBucket"]["Metadata"]["Blueprint"]["Description"] == resource_description
    assert res["ReadersGroup"]["Metadata"]["Blueprint"]["Description"] == scope_description
    assert res["ApiRoute1"]["Properties"]["RouteKey"] == f"GET {route}"
    assert res["Lb8080Target"]["Properties"]["HealthCheckPath"] == health
    assert res["ApiApiAuthorizer"]["Properties"]["JwtConfiguration"]["Audience"][1] == audience
    assert "Fn::Sub" not in json.dumps(template)

    # Terraform: parses with python-hcl2, and each value reads back exactly as written.
    parsed = terraform(files)
    outputs = {n: o for block in parsed["outputs.tf"]["output"] for n, o in block.items()}
    assert (outputs["blueprint"]["description"]) == description
    assert (outputs["uploads_bucket"]["description"]) == resource_description
    assert (outputs["readers_group"]["description"]) == scope_description
    variables = {n: v for block in parsed["variables.tf"]["variable"] for n, v in block.items()}
    assert (variables["web_replicas"]["description"]) == (
        f"Desired number of tasks of service web: {service_description}"
    )
    task = resources(files, "aws_ecs_task_definition")["web"]
    (tf_container,) = call_argument(task["container_definitions"])
    assert [(e["value"]) for e in tf_container["environment"]] == [env_value]
    assert (tf_container["healthCheck"]["command"][-1]) == f"http://localhost:8080{health}"
    assert resources(files, "aws_secretsmanager_secret")["vault_secret_1"]["name"] == (
        f"hostile/vault/{key}"
    )
    route_res = resources(files, "aws_apigatewayv2_route")["api_route_1"]
    assert (route_res["route_key"]) == f"GET {route}"
    tg = resources(files, "aws_lb_target_group")["lb_8080"]
    assert (tg["health_check"][0]["path"]) == health
    authorizer = resources(files, "aws_apigatewayv2_authorizer")["api"]
    assert (authorizer["jwt_configuration"][0]["audience"][1]) == audience


TRICKY = [
    "${",
    "%{",
    "a${",
    "$${",
    "%%{",
    "$$",
    '${"',
    "x\\${y}",
    '"${"}',
    "%{ if 1 }x%{ endif }",
    "GET /%{//g",
    "%{W2^",
]


def test_terraform_reads_the_escaped_template_openings_literally(tmp_path: Path) -> None:
    binary = shutil.which("terraform")
    if binary is None:
        pytest.skip("terraform is not installed: the real parser cannot be asked here")
    lines = "jsonencode([" + ", ".join(hcl_string(v) for v in TRICKY) + "])\n"
    proc = subprocess.run(
        [binary, "console"],
        input=lines,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "CHECKPOINT_DISABLE": "1"},
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    values: list[Any] = json.loads(json.loads(proc.stdout))
    assert values == TRICKY
