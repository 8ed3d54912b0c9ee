resource "aws_lb" "lb" {
  #checkov:skip=CKV_AWS_91:a network load balancer logs access only for TLS listeners and these are TCP
  name                             = "fastapi-on-fargate-lb"
  load_balancer_type               = "network"
  internal                         = true
  subnets                          = [aws_subnet.private_a.id]
  security_groups                  = [aws_security_group.lb_lb.id]
  enable_deletion_protection       = true
  enable_cross_zone_load_balancing = true
}

resource "aws_lb_target_group" "lb_8080" {
  name        = "fastapi-on-fargate-lb-8080"
  port        = 8080
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = aws_vpc.main.id

  health_check {
    enabled             = true
    protocol            = "HTTP"
    path                = "/"
    port                = "traffic-port"
    interval            = 30
    timeout             = 5
    healthy_threshold   = 3
    unhealthy_threshold = 3
    matcher             = "200-399"
  }
}

resource "aws_lb_listener" "lb_8080" {
  load_balancer_arn = aws_lb.lb.arn
  port              = 8080
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.lb_8080.arn
  }
}

resource "aws_cognito_user_pool" "users" {
  name                     = "fastapi-on-fargate-users"
  deletion_protection      = "ACTIVE"
  mfa_configuration        = "OPTIONAL"
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]

  password_policy {
    minimum_length                   = 14
    require_lowercase                = true
    require_numbers                  = true
    require_symbols                  = true
    require_uppercase                = true
    temporary_password_validity_days = 3
  }

  software_token_mfa_configuration {
    enabled = true
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }
}

resource "aws_apigatewayv2_api" "api" {
  name          = "fastapi-on-fargate-api"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_vpc_link" "api" {
  name               = "fastapi-on-fargate-api"
  subnet_ids         = [aws_subnet.private_a.id]
  security_group_ids = [aws_security_group.api_vpc_link.id]
}

resource "aws_apigatewayv2_integration" "api_lb_8080" {
  api_id                 = aws_apigatewayv2_api.api.id
  integration_type       = "HTTP_PROXY"
  integration_method     = "ANY"
  integration_uri        = aws_lb_listener.lb_8080.arn
  connection_type        = "VPC_LINK"
  connection_id          = aws_apigatewayv2_vpc_link.api.id
  payload_format_version = "1.0"
}

resource "aws_cognito_user_pool_client" "api" {
  name                          = "fastapi-on-fargate-api"
  user_pool_id                  = aws_cognito_user_pool.users.id
  generate_secret               = false
  prevent_user_existence_errors = "ENABLED"
  enable_token_revocation       = true
  explicit_auth_flows           = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]
}

resource "aws_apigatewayv2_authorizer" "api" {
  api_id           = aws_apigatewayv2_api.api.id
  name             = "fastapi-on-fargate-api"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    audience = [aws_cognito_user_pool_client.api.id]
    issuer   = "https://cognito-idp.${data.aws_region.current.name}.amazonaws.com/${aws_cognito_user_pool.users.id}"
  }
}

resource "aws_apigatewayv2_route" "api_route_1" {
  api_id             = aws_apigatewayv2_api.api.id
  route_key          = "ANY /{proxy+}"
  target             = "integrations/${aws_apigatewayv2_integration.api_lb_8080.id}"
  authorization_type = "JWT"
  authorizer_id      = aws_apigatewayv2_authorizer.api.id
}

resource "aws_cloudwatch_log_group" "api_access" {
  name              = "/aws/apigateway/fastapi-on-fargate/api"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_apigatewayv2_stage" "api" {
  api_id      = aws_apigatewayv2_api.api.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_burst_limit = 500
    throttling_rate_limit  = 1000
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api_access.arn
    format = jsonencode({
      requestId        = "$context.requestId"
      ip               = "$context.identity.sourceIp"
      requestTime      = "$context.requestTime"
      httpMethod       = "$context.httpMethod"
      routeKey         = "$context.routeKey"
      status           = "$context.status"
      protocol         = "$context.protocol"
      responseLength   = "$context.responseLength"
      integrationError = "$context.integrationErrorMessage"
      authorizerError  = "$context.authorizer.error"
    })
  }
}
