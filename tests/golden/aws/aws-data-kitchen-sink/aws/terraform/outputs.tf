output "main_vpc_id" {
  description = "VPC of network main"
  value       = aws_vpc.main.id
}

output "bare_endpoint" {
  description = "HTTP API endpoint of bare"
  value       = aws_apigatewayv2_api.bare.api_endpoint
}

output "bare_client_id" {
  description = "Cognito app client of bare"
  value       = aws_cognito_user_pool_client.bare.id
}

output "gateway_endpoint" {
  description = "HTTP API endpoint of gateway"
  value       = aws_apigatewayv2_api.gateway.api_endpoint
}

output "gateway_client_id" {
  description = "Cognito app client of gateway"
  value       = aws_cognito_user_pool_client.gateway.id
}

output "inner_dns_name" {
  description = "DNS name of load balancer inner"
  value       = aws_lb.inner.dns_name
}

output "partner_dns_name" {
  description = "DNS name of load balancer partner"
  value       = aws_lb.partner.dns_name
}

output "web_dns_name" {
  description = "DNS name of load balancer web"
  value       = aws_lb.web.dns_name
}

output "bare_certificate_validation" {
  description = "DNS records to create for the certificate of bare.example.net"
  value       = aws_acm_certificate.bare.domain_validation_options
}

output "images_api_repository_url" {
  description = "ECR repository api"
  value       = aws_ecr_repository.images_api.repository_url
}

output "images_app_repository_url" {
  description = "ECR repository app"
  value       = aws_ecr_repository.images_app.repository_url
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

output "users_user_pool_id" {
  description = "Cognito user pool users"
  value       = aws_cognito_user_pool.users.id
}

output "jobs_queue_url" {
  description = "SQS queue jobs"
  value       = aws_sqs_queue.jobs.url
}
