output "blueprint" {
  description = "Queues, topics, Kafka, scheduled and event jobs on AWS"
  value       = "async-sink"
}

output "main_vpc_id" {
  description = "VPC of network main"
  value       = aws_vpc.main.id
}

output "images_api_repository_url" {
  description = "ECR repository api"
  value       = aws_ecr_repository.images_api.repository_url
}

output "images_audit_repository_url" {
  description = "ECR repository audit"
  value       = aws_ecr_repository.images_audit.repository_url
}

output "images_click_counter_repository_url" {
  description = "ECR repository click-counter"
  value       = aws_ecr_repository.images_click_counter.repository_url
}

output "images_mailer_repository_url" {
  description = "ECR repository mailer"
  value       = aws_ecr_repository.images_mailer.repository_url
}

output "images_nightly_repository_url" {
  description = "ECR repository nightly"
  value       = aws_ecr_repository.images_nightly.repository_url
}

output "images_order_worker_repository_url" {
  description = "ECR repository order-worker"
  value       = aws_ecr_repository.images_order_worker.repository_url
}

output "images_thumbnailer_repository_url" {
  description = "ECR repository thumbnailer"
  value       = aws_ecr_repository.images_thumbnailer.repository_url
}

output "reports_bucket" {
  description = "S3 bucket reports"
  value       = aws_s3_bucket.reports.id
}

output "uploads_bucket" {
  description = "S3 bucket uploads"
  value       = aws_s3_bucket.uploads.id
}

output "main_cluster_name" {
  description = "ECS cluster"
  value       = aws_ecs_cluster.main.name
}

output "events_topic_arn" {
  description = "SNS topic events"
  value       = aws_sns_topic.events.arn
}

output "orders_queue_url" {
  description = "SQS queue orders"
  value       = aws_sqs_queue.orders.url
}

output "stream_cluster_arn" {
  description = "MSK Serverless cluster stream (bootstrap brokers: aws kafka get-bootstrap-brokers)"
  value       = aws_msk_serverless_cluster.stream.arn
}

output "auditor_own_group" {
  description = "grants of auditor"
  value       = aws_iam_group.auditor_own.name
}

output "deployer_assume_group" {
  description = "roles deployer may assume"
  value       = aws_iam_group.deployer_assume.name
}

output "ops_assume_group" {
  description = "roles ops may assume"
  value       = aws_iam_group.ops_assume.name
}
