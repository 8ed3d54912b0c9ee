output "blueprint" {
  description = "FastAPI on ECS Fargate behind an internal NLB and an HTTP API Gateway"
  value       = "fastapi-on-fargate"
}

output "main_vpc_id" {
  description = "VPC of network main"
  value       = aws_vpc.main.id
}

output "api_endpoint" {
  description = "HTTP API endpoint of api"
  value       = aws_apigatewayv2_api.api.api_endpoint
}

output "api_client_id" {
  description = "Cognito app client of api"
  value       = aws_cognito_user_pool_client.api.id
}

output "lb_dns_name" {
  description = "DNS name of load balancer lb"
  value       = aws_lb.lb.dns_name
}

output "images_web_repository_url" {
  description = "ECR repository web"
  value       = aws_ecr_repository.images_web.repository_url
}

output "uploads_bucket" {
  description = "S3 bucket uploads"
  value       = aws_s3_bucket.uploads.id
}

output "main_cluster_name" {
  description = "ECS cluster"
  value       = aws_ecs_cluster.main.name
}

output "users_user_pool_id" {
  description = "Cognito user pool users"
  value       = aws_cognito_user_pool.users.id
}
