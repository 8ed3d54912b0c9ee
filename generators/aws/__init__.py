"""The aws generator: Terraform and CloudFormation for everything a blueprint puts on AWS."""

from __future__ import annotations

from blueprint.model import Blueprint
from generators import RenderContext


class AwsGenerator:
    name = "aws"
    description = (
        "Terraform and CloudFormation for AWS (VPC, ECS Fargate, NLB/ALB, HTTP API, ECR, S3, IAM)"
    )

    def applies_to(self, blueprint: Blueprint) -> bool:
        return blueprint.platforms.aws is not None

    def render(self, ctx: RenderContext) -> dict[str, str]:
        from generators.aws.plan import build_plan

        aws = ctx.blueprint.platforms.aws
        if aws is None:
            return {}
        plan = build_plan(ctx.view)
        files: dict[str, str] = {}
        if "terraform" in aws.formats:
            from generators.aws import terraform

            files.update(terraform.render(plan))
        if "cloudformation" in aws.formats:
            from generators.aws import cloudformation

            files.update(cloudformation.render(plan))
        return files


GENERATOR = AwsGenerator()
