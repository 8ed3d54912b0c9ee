"""What the AWS plan derives from a blueprint, and what it refuses to render."""

from __future__ import annotations

from typing import Any

import pytest

from blueprint.model import Blueprint
from blueprint.view import SystemView
from generators.aws.errors import UnsupportedBlueprintError
from generators.aws.plan import AwsPlan, build_plan
from generators.aws.values import example_json


def _bp(**overrides: Any) -> Blueprint:
    data: dict[str, Any] = {
        "name": "shop",
        "platforms": {"aws": {"region": "eu-west-1"}},
        "networks": {
            "main": {
                "cidr": "10.1.0.0/16",
                "subnets": {
                    "public-a": {"cidr": "10.1.0.0/24", "public": True},
                    "public-b": {"cidr": "10.1.1.0/24", "zone": "b", "public": True},
                    "app-a": {"cidr": "10.1.10.0/24"},
                    "data-a": {"cidr": "10.1.20.0/24", "egress": "none"},
                },
                "nat": "public-a",
            }
        },
        "ingress": {
            "edge": {
                "kind": "load-balancer",
                "type": "application",
                "internal": False,
                "subnets": ["public-a", "public-b"],
                "forwards": {443: "front"},
                "allow_from": [{"cidr": "2001:db8::/32", "ports": [443]}],
            }
        },
        "services": {
            "front": {
                "platform": "aws-fargate",
                "image": {"registry": "ghcr.io", "repository": "shop/front", "tag": "2"},
                "port": 3000,
                "subnets": ["app-a"],
                "calls": [{"service": "orders"}],
                "scaling": {"min": 2, "max": 6},
            },
            "orders": {
                "platform": "aws-fargate",
                "image": {
                    "registry": "images",
                    "repository": "orders",
                    "digest": "sha256:" + "a" * 64,
                },
                "port": 9000,
                "subnets": ["app-a"],
                "health": {"path": "/healthz", "port": 9001},
                "secrets": {"DB_PASSWORD": {"store": "vault", "key": "orders-db"}},
                "uses": [{"resource": "events", "access": "publish"}],
            },
        },
        "resources": {
            "images": {"kind": "registry"},
            "vault": {"kind": "secret-store"},
            "events": {"kind": "queue"},
        },
    }
    data.update(overrides)
    return Blueprint.model_validate(data)


def _plan(bp: Blueprint) -> AwsPlan:
    return build_plan(SystemView.of(bp))


def _rules(plan: AwsPlan) -> set[tuple[str, str, int, str]]:
    return {
        (sg.id.name, r.direction, r.port, r.peer_sg.name if r.peer_sg else str(r.cidr))
        for sg in plan.security_groups
        for r in sg.rules
    }


def test_security_groups_follow_calls_load_balancers_and_allow_from() -> None:
    """allow_from narrows a public listener to its sources: the internet at large is not let in
    beside them."""
    assert _rules(_plan(_bp())) == {
        ("shop-edge-lb", "ingress", 443, "2001:db8::/32"),
        ("shop-edge-lb", "egress", 3000, "shop-front-service"),
        ("shop-front-service", "ingress", 3000, "shop-edge-lb"),
        ("shop-front-service", "egress", 9000, "shop-orders-service"),
        ("shop-front-service", "egress", 443, "0.0.0.0/0"),
        ("shop-orders-service", "ingress", 9000, "shop-front-service"),
        ("shop-orders-service", "egress", 443, "0.0.0.0/0"),
    }


def test_a_public_nlb_without_allow_from_admits_the_internet_on_what_it_forwards() -> None:
    """The misreading of issue 11: a public network load balancer forwarding 5432 to a
    self-hosted Postgres is an internet path in the view (and so in the graph and `check`);
    the render opens exactly that, where it used to admit nobody on 5432."""
    bp = _bp()
    db = bp.services["orders"].model_copy(update={"port": 5432, "health": None})
    edge = bp.ingress["edge"].model_copy(
        update={"type": "network", "forwards": {5432: "orders"}, "allow_from": ()}
    )
    bp = bp.model_copy(
        update={"ingress": {"edge": edge}, "services": {**bp.services, "orders": db}}
    )
    view = SystemView.of(bp)
    assert [(e.port, e.sources) for e in view.exposures_of("ingress.edge")] == [
        (5432, ("0.0.0.0/0",))
    ]
    lb_rules = {r for r in _rules(build_plan(view)) if r[0] == "shop-edge-lb"}
    assert ("shop-edge-lb", "ingress", 5432, "0.0.0.0/0") in lb_rules


def test_allow_from_that_admits_nobody_on_a_listener_closes_it() -> None:
    bp = _bp()
    edge = type(bp.ingress["edge"]).model_validate(
        bp.ingress["edge"].model_dump()
        | {"allow_from": [{"cidr": "203.0.113.0/24", "ports": [80]}]}
    )
    plan = _plan(bp.model_copy(update={"ingress": {"edge": edge}}))
    assert not any(
        r.cidr
        for sg in plan.security_groups
        for r in sg.rules
        if r.direction == "ingress" and sg.id.name == "shop-edge-lb"
    )


def test_routes_follow_each_subnets_egress() -> None:
    (network,) = _plan(_bp()).networks
    assert [
        (egress, [s.id.name for s in subnets]) for egress, subnets in network.route_tables()
    ] == [
        ("internet", ["public-a", "public-b"]),
        ("nat", ["app-a"]),
        ("none", ["data-a"]),
    ]
    assert {s.id.name: s.az for s in network.subnets}["public-b"] == "eu-west-1b"


def test_execution_role_pulls_only_its_image_and_reads_only_its_secrets() -> None:
    plan = _plan(_bp())
    orders = next(s for s in plan.services if s.key == "orders")
    doc = example_json(orders.execution_role.policy.as_json())  # type: ignore[union-attr]
    assert [(s["Sid"], s["Resource"]) for s in doc["Statement"]] == [
        ("PullImage", ["arn:aws:ecr:eu-west-2:123456789012:repository/orders"]),
        ("RegistryToken", ["*"]),
        (
            "WriteLogs",
            ["arn:aws:logs:eu-west-2:123456789012:log-group:/ecs/shop/orders:log-stream:*"],
        ),
        (
            "ReadSecrets",
            ["arn:aws:secretsmanager:eu-west-2:123456789012:secret:shop/vault/orders-db-AbCdEf"],
        ),
        (
            "DecryptSecrets",
            ["arn:aws:kms:eu-west-2:123456789012:key/00000000-0000-0000-0000-000000000000"],
        ),
    ]
    task = example_json(orders.task_role.policy.as_json())  # type: ignore[union-attr]
    assert [(s["Action"], s["Resource"]) for s in task["Statement"]] == [
        (
            ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"],
            ["arn:aws:sqs:eu-west-2:123456789012:shop-events"],
        ),
        (
            ["kms:Decrypt", "kms:GenerateDataKey"],
            ["arn:aws:kms:eu-west-2:123456789012:key/00000000-0000-0000-0000-000000000000"],
        ),
    ]
    front = next(s for s in plan.services if s.key == "front")
    # An image from another registry: nothing to pull from ECR, and no task permissions.
    assert [s.sid for s in front.execution_role.policy.statements] == ["WriteLogs"]  # type: ignore[union-attr]
    assert front.task_role.policy is None
    assert front.execution_role.id != front.task_role.id
    assert orders.image.example().endswith("/orders@sha256:" + "a" * 64)
    assert orders.health_port == 9001


def test_a_service_principal_replaces_the_uses() -> None:
    bp = _bp(identity={"principals": {"orders-id": {"kind": "service", "workload": "orders"}}})
    orders = next(s for s in _plan(bp).services if s.key == "orders")
    assert orders.task_role.policy is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {
                "resources": {
                    "images": {"kind": "registry"},
                    "b": {"kind": "bucket", "public": True},
                }
            },
            "public AWS resources are not rendered",
        ),
        (
            {
                "ingress": {
                    "api": {
                        "kind": "api-gateway",
                        "routes": {"$default": "orders"},
                    }
                }
            },
            "ingress.api: an HTTP API reaches service orders only through a load balancer",
        ),
    ],
)
def test_refuses_what_it_cannot_render_faithfully(change: dict[str, Any], message: str) -> None:
    base = _bp()
    data = base.model_dump(exclude_unset=True)  # python mode: listener ports stay numbers
    data.update(change)
    if "resources" in change:
        data["services"] = {
            "front": {**data["services"]["front"], "calls": []},
        }
    with pytest.raises(UnsupportedBlueprintError, match=message.replace("(", r"\(")[:60]):
        _plan(Blueprint.model_validate(data))


def test_an_aws_block_with_nothing_on_aws_renders_no_root() -> None:
    """The view decides which AWS roots exist (GitOps applies exactly those): a Kubernetes
    system that only declares `aws:` gets no aws/terraform/ nobody would apply."""
    from generators import RenderContext
    from generators.aws import GENERATOR

    bp = Blueprint.model_validate(
        {
            "name": "k8s",
            "platforms": {"aws": {"region": "eu-west-1"}, "kubernetes": {"namespace": "k8s"}},
            "services": {
                "web": {
                    "platform": "kubernetes",
                    "image": {"registry": "ghcr.io", "repository": "k8s/web", "tag": "1"},
                    "port": 8080,
                }
            },
        }
    )
    assert SystemView.of(bp).iac_roots == ()
    assert not GENERATOR.applies_to(bp)
    assert GENERATOR.render(RenderContext(blueprint=bp)) == {}
