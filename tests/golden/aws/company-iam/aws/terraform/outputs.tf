output "blueprint" {
  description = "Who may do what in the company's AWS account"
  value       = "company-iam"
}

output "ecr_repository_url" {
  description = "the company's container images"
  value       = aws_ecr_repository.ecr.repository_url
}

output "s3_bucket" {
  description = "build artefacts and uploads"
  value       = aws_s3_bucket.s3.id
}

output "ecs_cluster_name" {
  description = "the ECS cluster services run on"
  value       = aws_ecs_cluster.ecs.name
}

output "console_mfa_group" {
  description = "console users: everything but managing their own MFA is denied without MFA"
  value       = aws_iam_group.console_mfa.name
}

output "developer_group" {
  description = "reads images and artefacts"
  value       = aws_iam_group.developer.name
}

output "infra_builder_group" {
  description = "builds the registry, the cluster and the buckets"
  value       = aws_iam_group.infra_builder.name
}

output "service_publisher_group" {
  description = "pushes service images"
  value       = aws_iam_group.service_publisher.name
}
