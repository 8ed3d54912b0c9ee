resource "aws_lb" "inner" {
  #checkov:skip=CKV_AWS_91:a network load balancer logs access only for TLS listeners and these are TCP
  name                             = "sink-inner"
  load_balancer_type               = "network"
  internal                         = true
  subnets                          = [aws_subnet.app_a.id, aws_subnet.app_b.id]
  security_groups                  = [aws_security_group.inner_lb.id]
  enable_deletion_protection       = true
  enable_cross_zone_load_balancing = true
}

resource "aws_lb_target_group" "inner_8080" {
  name        = "sink-inner-8080"
  port        = 8080
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = aws_vpc.main.id

  health_check {
    enabled             = true
    protocol            = "HTTP"
    path                = "/healthz"
    port                = "traffic-port"
    interval            = 30
    timeout             = 5
    healthy_threshold   = 3
    unhealthy_threshold = 3
    matcher             = "200-399"
  }
}

resource "aws_lb_listener" "inner_8080" {
  load_balancer_arn = aws_lb.inner.arn
  port              = 8080
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.inner_8080.arn
  }
}

resource "aws_lb" "partner" {
  #checkov:skip=CKV2_AWS_28:the blueprint declares no web application firewall rules; which ones fit is the application's choice
  name                       = "sink-partner"
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = [aws_subnet.public_a.id, aws_subnet.public_b.id]
  security_groups            = [aws_security_group.partner_lb.id]
  enable_deletion_protection = true
  drop_invalid_header_fields = true

  access_logs {
    bucket  = aws_s3_bucket.access_logs.id
    prefix  = "lb/partner"
    enabled = true
  }

  depends_on = [aws_s3_bucket_policy.access_logs]
}

resource "aws_lb_target_group" "partner_443" {
  name        = "sink-partner-443"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = aws_vpc.main.id

  health_check {
    enabled             = true
    protocol            = "HTTP"
    path                = "/healthz"
    port                = "traffic-port"
    interval            = 30
    timeout             = 5
    healthy_threshold   = 3
    unhealthy_threshold = 3
    matcher             = "200-399"
  }
}

resource "aws_lb_listener" "partner_443" {
  load_balancer_arn = aws_lb.partner.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = "arn:aws:acm:eu-west-2:123456789012:certificate/11111111-2222-3333-4444-555555555555"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.partner_443.arn
  }
}

resource "aws_lb_listener" "partner_http_redirect" {
  load_balancer_arn = aws_lb.partner.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb" "web" {
  #checkov:skip=CKV2_AWS_28:the blueprint declares no web application firewall rules; which ones fit is the application's choice
  name                       = "sink-web"
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = [aws_subnet.public_a.id, aws_subnet.public_b.id]
  security_groups            = [aws_security_group.web_lb.id]
  enable_deletion_protection = true
  drop_invalid_header_fields = true

  access_logs {
    bucket  = aws_s3_bucket.access_logs.id
    prefix  = "lb/web"
    enabled = true
  }

  depends_on = [aws_s3_bucket_policy.access_logs]
}

resource "aws_lb_target_group" "web_443" {
  name        = "sink-web-443"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = aws_vpc.main.id

  health_check {
    enabled             = true
    protocol            = "HTTP"
    path                = "/healthz"
    port                = "traffic-port"
    interval            = 30
    timeout             = 5
    healthy_threshold   = 3
    unhealthy_threshold = 3
    matcher             = "200-399"
  }
}

resource "aws_lb_listener" "web_443" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.web.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web_443.arn
  }
}

resource "aws_lb_listener" "web_http_redirect" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_cognito_user_pool" "users" {
  name                     = "sink-users"
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

resource "aws_apigatewayv2_api" "bare" {
  name          = "sink-bare"
  protocol_type = "HTTP"
  # Reached only through its custom domain.
  disable_execute_api_endpoint = true
}

resource "aws_apigatewayv2_vpc_link" "bare" {
  name               = "sink-bare"
  subnet_ids         = [aws_subnet.app_a.id, aws_subnet.app_b.id]
  security_group_ids = [aws_security_group.bare_vpc_link.id]
}

resource "aws_apigatewayv2_integration" "bare_inner_8080" {
  api_id                 = aws_apigatewayv2_api.bare.id
  integration_type       = "HTTP_PROXY"
  integration_method     = "ANY"
  integration_uri        = aws_lb_listener.inner_8080.arn
  connection_type        = "VPC_LINK"
  connection_id          = aws_apigatewayv2_vpc_link.bare.id
  payload_format_version = "1.0"
}

resource "aws_cognito_user_pool_client" "bare" {
  name                          = "sink-bare"
  user_pool_id                  = aws_cognito_user_pool.users.id
  generate_secret               = false
  prevent_user_existence_errors = "ENABLED"
  enable_token_revocation       = true
  explicit_auth_flows           = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]
}

resource "aws_apigatewayv2_authorizer" "bare" {
  api_id           = aws_apigatewayv2_api.bare.id
  name             = "sink-bare"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    audience = [aws_cognito_user_pool_client.bare.id]
    issuer   = "https://cognito-idp.${data.aws_region.current.name}.amazonaws.com/${aws_cognito_user_pool.users.id}"
  }
}

resource "aws_apigatewayv2_route" "bare_route_1" {
  api_id             = aws_apigatewayv2_api.bare.id
  route_key          = "ANY /{proxy+}"
  target             = "integrations/${aws_apigatewayv2_integration.bare_inner_8080.id}"
  authorization_type = "JWT"
  authorizer_id      = aws_apigatewayv2_authorizer.bare.id
}

resource "aws_cloudwatch_log_group" "bare_access" {
  name              = "/aws/apigateway/sink/bare"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_apigatewayv2_stage" "bare" {
  api_id      = aws_apigatewayv2_api.bare.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_burst_limit = 500
    throttling_rate_limit  = 1000
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.bare_access.arn
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

resource "aws_apigatewayv2_api" "gateway" {
  name          = "sink-gateway"
  protocol_type = "HTTP"
  # Reached only through its custom domain.
  disable_execute_api_endpoint = true
}

resource "aws_apigatewayv2_vpc_link" "gateway" {
  name               = "sink-gateway"
  subnet_ids         = [aws_subnet.app_a.id, aws_subnet.app_b.id]
  security_group_ids = [aws_security_group.gateway_vpc_link.id]
}

resource "aws_apigatewayv2_integration" "gateway_inner_8080" {
  api_id                 = aws_apigatewayv2_api.gateway.id
  integration_type       = "HTTP_PROXY"
  integration_method     = "ANY"
  integration_uri        = aws_lb_listener.inner_8080.arn
  connection_type        = "VPC_LINK"
  connection_id          = aws_apigatewayv2_vpc_link.gateway.id
  payload_format_version = "1.0"
}

resource "aws_cognito_user_pool_client" "gateway" {
  name                          = "sink-gateway"
  user_pool_id                  = aws_cognito_user_pool.users.id
  generate_secret               = false
  prevent_user_existence_errors = "ENABLED"
  enable_token_revocation       = true
  explicit_auth_flows           = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]
}

resource "aws_apigatewayv2_authorizer" "gateway" {
  api_id           = aws_apigatewayv2_api.gateway.id
  name             = "sink-gateway"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    audience = [aws_cognito_user_pool_client.gateway.id]
    issuer   = "https://cognito-idp.${data.aws_region.current.name}.amazonaws.com/${aws_cognito_user_pool.users.id}"
  }
}

resource "aws_apigatewayv2_route" "gateway_route_1" {
  api_id             = aws_apigatewayv2_api.gateway.id
  route_key          = "ANY /{proxy+}"
  target             = "integrations/${aws_apigatewayv2_integration.gateway_inner_8080.id}"
  authorization_type = "JWT"
  authorizer_id      = aws_apigatewayv2_authorizer.gateway.id
}

resource "aws_cloudwatch_log_group" "gateway_access" {
  name              = "/aws/apigateway/sink/gateway"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_apigatewayv2_stage" "gateway" {
  api_id      = aws_apigatewayv2_api.gateway.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_burst_limit = 500
    throttling_rate_limit  = 1000
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.gateway_access.arn
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
