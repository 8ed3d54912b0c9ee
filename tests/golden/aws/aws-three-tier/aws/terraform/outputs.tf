output "blueprint" {
  description = "A web app and its API on Fargate behind HTTPS, with Aurora PostgreSQL"
  value       = "three-tier"
}

output "main_vpc_id" {
  description = "VPC of network main"
  value       = aws_vpc.main.id
}

output "internal_dns_name" {
  description = "DNS name of load balancer internal"
  value       = aws_lb.internal.dns_name
}

output "web_dns_name" {
  description = "DNS name of load balancer web"
  value       = aws_lb.web.dns_name
}

output "images_api_repository_url" {
  description = "ECR repository api"
  value       = aws_ecr_repository.images_api.repository_url
}

output "images_app_repository_url" {
  description = "ECR repository app"
  value       = aws_ecr_repository.images_app.repository_url
}

output "main_cluster_name" {
  description = "ECS cluster"
  value       = aws_ecs_cluster.main.name
}
