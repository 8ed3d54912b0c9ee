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
        # The system view decides which AWS roots exist (GitOps applies exactly those): none
        # when the blueprint has nothing on AWS, even with an `aws:` block.
        from blueprint.model import Cloud
        from blueprint.view import SystemView

        view = SystemView.of(blueprint)
        return any(root.cloud is Cloud.AWS for root in view.iac_roots)

    def render(self, ctx: RenderContext) -> dict[str, str]:
        from blueprint.model import Cloud
        from generators.aws.plan import build_plan
        from generators.common.overrides import override_files

        # Exactly the roots the view says exist (the ones GitOps applies), in each format.
        view = ctx.view
        terraform_root = view.has_root(Cloud.AWS, "terraform")
        cloudformation_root = view.has_root(Cloud.AWS, "cloudformation")
        if not (terraform_root or cloudformation_root):
            return {}
        plan = build_plan(view)
        files: dict[str, str] = {}
        if terraform_root:
            from generators.aws import terraform

            files.update(terraform.render(plan))
            files.update(override_files(ctx.blueprint, "aws"))
        if cloudformation_root:
            from generators.aws import cloudformation
            from generators.aws.cloudformation.merge import with_merges

            files.update(with_merges(cloudformation.render(plan), ctx.blueprint))
        return files


GENERATOR = AwsGenerator()
