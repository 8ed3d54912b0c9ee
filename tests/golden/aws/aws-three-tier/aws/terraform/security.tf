resource "aws_kms_key" "main" {
  description             = "Encrypts the logs, images, objects and secrets of three-tier"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "AccountAdministersKey"
        Effect = "Allow"
        Principal = {
          AWS = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
        }
        Action   = ["kms:*"]
        Resource = ["*"]
      },
      {
        Sid    = "CloudWatchLogsUsesKey"
        Effect = "Allow"
        Principal = {
          Service = ["logs.${data.aws_region.current.name}.amazonaws.com"]
        }
        Action   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:ReEncryptTo"]
        Resource = ["*"]
        Condition = {
          StringLike = {
            "kms:EncryptionContext:aws:logs:arn" = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:*"
          }
        }
      },
    ]
  })
}

resource "aws_kms_alias" "main" {
  name          = "alias/three-tier"
  target_key_id = aws_kms_key.main.key_id
}

resource "aws_security_group" "api_service" {
  name        = "three-tier-api-service"
  description = "Fargate service api"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "three-tier-api-service"
  }
}

resource "aws_vpc_security_group_egress_rule" "api_service_egress_tcp_443_0_0_0_0_0" {
  security_group_id = aws_security_group.api_service.id
  description       = "to AWS APIs and registries over HTTPS"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "api_service_egress_tcp_5432_orders_db" {
  security_group_id            = aws_security_group.api_service.id
  description                  = "to orders"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.orders_db.id
}

resource "aws_vpc_security_group_ingress_rule" "api_service_ingress_tcp_8080_app_service" {
  security_group_id            = aws_security_group.api_service.id
  description                  = "from service app"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.app_service.id
}

resource "aws_vpc_security_group_ingress_rule" "api_service_ingress_tcp_8080_internal_lb" {
  security_group_id            = aws_security_group.api_service.id
  description                  = "from load balancer internal"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.internal_lb.id
}

resource "aws_security_group" "app_service" {
  name        = "three-tier-app-service"
  description = "Fargate service app"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "three-tier-app-service"
  }
}

resource "aws_vpc_security_group_egress_rule" "app_service_egress_tcp_443_0_0_0_0_0" {
  security_group_id = aws_security_group.app_service.id
  description       = "to AWS APIs and registries over HTTPS"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "app_service_egress_tcp_443_internal_lb" {
  security_group_id            = aws_security_group.app_service.id
  description                  = "to internal"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.internal_lb.id
}

resource "aws_vpc_security_group_egress_rule" "app_service_egress_tcp_8080_api_service" {
  security_group_id            = aws_security_group.app_service.id
  description                  = "to api"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.api_service.id
}

resource "aws_vpc_security_group_ingress_rule" "app_service_ingress_tcp_3000_web_lb" {
  security_group_id            = aws_security_group.app_service.id
  description                  = "from load balancer web"
  ip_protocol                  = "tcp"
  from_port                    = 3000
  to_port                      = 3000
  referenced_security_group_id = aws_security_group.web_lb.id
}

resource "aws_security_group" "orders_db" {
  name        = "three-tier-orders-db"
  description = "Database orders"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "three-tier-orders-db"
  }
}

resource "aws_vpc_security_group_ingress_rule" "orders_db_ingress_tcp_5432_api_service" {
  security_group_id            = aws_security_group.orders_db.id
  description                  = "from service api"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.api_service.id
}

resource "aws_security_group" "internal_lb" {
  name        = "three-tier-internal-lb"
  description = "Load balancer internal"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "three-tier-internal-lb"
  }
}

resource "aws_vpc_security_group_egress_rule" "internal_lb_egress_tcp_8080_api_service" {
  security_group_id            = aws_security_group.internal_lb.id
  description                  = "to api"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.api_service.id
}

resource "aws_vpc_security_group_ingress_rule" "internal_lb_ingress_tcp_443_app_service" {
  security_group_id            = aws_security_group.internal_lb.id
  description                  = "from service app"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.app_service.id
}

resource "aws_security_group" "web_lb" {
  name        = "three-tier-web-lb"
  description = "Load balancer web"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "three-tier-web-lb"
  }
}

resource "aws_vpc_security_group_egress_rule" "web_lb_egress_tcp_3000_app_service" {
  security_group_id            = aws_security_group.web_lb.id
  description                  = "to app"
  ip_protocol                  = "tcp"
  from_port                    = 3000
  to_port                      = 3000
  referenced_security_group_id = aws_security_group.app_service.id
}

resource "aws_vpc_security_group_ingress_rule" "web_lb_ingress_tcp_443_0_0_0_0_0" {
  security_group_id = aws_security_group.web_lb.id
  description       = "from the internet"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "web_lb_ingress_tcp_80_0_0_0_0_0" {
  #checkov:skip=CKV_AWS_260:the listener on port 80 only redirects to HTTPS on 443; it serves nothing in plaintext
  security_group_id = aws_security_group.web_lb.id
  description       = "from the internet (redirected to HTTPS)"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "0.0.0.0/0"
}
