output "blueprint" {
  description = "Collectors, MSK Serverless, two topic workers and one PostgreSQL database on AWS"
  value       = "kafka-workers-aws"
}

output "main_vpc_id" {
  description = "VPC of network main"
  value       = aws_vpc.main.id
}

output "images_collectors_repository_url" {
  description = "ECR repository collectors"
  value       = aws_ecr_repository.images_collectors.repository_url
}

output "images_worker1_repository_url" {
  description = "ECR repository worker1"
  value       = aws_ecr_repository.images_worker1.repository_url
}

output "images_worker2_repository_url" {
  description = "ECR repository worker2"
  value       = aws_ecr_repository.images_worker2.repository_url
}

output "main_cluster_name" {
  description = "ECS cluster"
  value       = aws_ecs_cluster.main.name
}

output "kafka_cluster_arn" {
  description = "MSK Serverless cluster kafka (bootstrap brokers: aws kafka get-bootstrap-brokers)"
  value       = aws_msk_serverless_cluster.kafka.arn
}
