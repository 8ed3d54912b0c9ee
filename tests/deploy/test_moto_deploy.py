"""Deployed, not only linted: every example that renders CloudFormation is created as a stack
in moto (a local AWS, tests/deploy/moto_server.py) and must reach CREATE_COMPLETE; boto3 then
reads the deployment back:

- the security groups admit exactly the connections of the system view (and the planned
  egress to AWS APIs), no more, no fewer;
- each IAM role carries exactly its planned trust and policy, nothing attached besides;
- with moto's IAM enforcement on, each task role, assumed, can do what its workload declares
  on S3 and SQS and is denied a write it does not declare.

One test per example, each check a subtest (tests/deploy/checks.py): under xdist one worker
deploys an example once. What moto's CloudFormation cannot create is listed in
tests/deploy/template.py with its reason, and printed for each example (`pytest -s`, `-rA`).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from blueprint.model import Cloud
from blueprint.view import SystemView, iac_roots_of
from generators.aws.plan import build_plan
from tests.deploy.checks import CHECKS, Deployed
from tests.deploy.moto_server import MotoEndpoint
from tests.deploy.readback import plan_values, role_documents
from tests.deploy.stack import deploy, failed_events
from tests.support import ROOT, load_example, run_cli

# One test per example: one xdist worker deploys it once and runs every check as a subtest.
pytestmark = pytest.mark.slow
TEMPLATE = Path("aws/cloudformation/template.json")


def _cloudformation_examples() -> list[str]:
    """Every example whose blueprint renders a CloudFormation template (found, not listed)."""
    names = []
    for path in sorted((ROOT / "examples").glob("*/blueprint.yaml")):
        bp = load_example(path.parent.name).blueprint
        if any(r.cloud is Cloud.AWS and r.tool == "cloudformation" for r in iac_roots_of(bp)):
            names.append(path.parent.name)
    return names


EXAMPLES = _cloudformation_examples()


def _deploy(example: str, endpoint: MotoEndpoint, out: Path) -> Deployed:
    path = ROOT / "examples" / example / "blueprint.yaml"
    code, _, err = run_cli("render", str(path), "--out", str(out))
    assert code in (0, 1), err  # 1: the policy engine reported findings
    rendered = json.loads((out / TEMPLATE).read_text())
    view = SystemView.of(load_example(example).blueprint)
    plan = build_plan(view)
    probes = [
        v.cfn() for _, trust, policy in role_documents(plan) for v in plan_values([trust, policy])
    ]
    deployment = deploy(endpoint, plan.region, plan.name, rendered, probes)
    return Deployed(example, view, plan, deployment, endpoint)


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_deploys_to_moto(
    example: str, moto_endpoint: MotoEndpoint, tmp_path: Path, subtests: pytest.Subtests
) -> None:
    try:
        d = _deploy(example, moto_endpoint, tmp_path)
    except Exception as e:  # a deployment moto refuses: its own log says why
        time.sleep(1)  # moto_server logs a 500's traceback after answering it
        pytest.fail(f"{example}: {type(e).__name__}: {e}\nmoto_server:\n{moto_endpoint.log_tail()}")
    status = d.deployment.status
    if status != "CREATE_COMPLETE":
        events = failed_events(moto_endpoint, d.deployment.region, d.deployment.name)
        pytest.fail(f"{example}: {status} ({d.deployment.status_reason})\n" + "\n".join(events))
    for name, check in CHECKS.items():
        with subtests.test(msg=name):
            check(d)


def test_the_cloudformation_examples_are_found() -> None:
    """Discovery, not a list: the examples rendering CloudFormation, and only they."""
    assert "aws-fargate-api" in EXAMPLES
    assert "company-iam" not in EXAMPLES  # AWS, Terraform only
    assert "gcp-cloud-run" not in EXAMPLES
