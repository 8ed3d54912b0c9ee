resource "aws_kms_key" "main" {
  description             = "Encrypts the logs, images, objects and secrets of sink"
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
  name          = "alias/sink"
  target_key_id = aws_kms_key.main.key_id
}

resource "aws_security_group" "api_service" {
  name        = "sink-api-service"
  description = "Fargate service api"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "sink-api-service"
  }
}

resource "aws_vpc_security_group_egress_rule" "api_service_egress_tcp_3306_legacy_db" {
  security_group_id            = aws_security_group.api_service.id
  description                  = "to legacy"
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
  referenced_security_group_id = aws_security_group.legacy_db.id
}

resource "aws_vpc_security_group_egress_rule" "api_service_egress_tcp_443_0_0_0_0_0" {
  security_group_id = aws_security_group.api_service.id
  description       = "to AWS APIs and registries over HTTPS"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "api_service_egress_tcp_5432_db_db" {
  security_group_id            = aws_security_group.api_service.id
  description                  = "to db"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.db_db.id
}

resource "aws_vpc_security_group_egress_rule" "api_service_egress_tcp_5432_ledger_db" {
  security_group_id            = aws_security_group.api_service.id
  description                  = "to ledger"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.ledger_db.id
}

resource "aws_vpc_security_group_ingress_rule" "api_service_ingress_tcp_8080_app_service" {
  security_group_id            = aws_security_group.api_service.id
  description                  = "from service app"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.app_service.id
}

resource "aws_vpc_security_group_ingress_rule" "api_service_ingress_tcp_8080_inner_lb" {
  security_group_id            = aws_security_group.api_service.id
  description                  = "from load balancer inner"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.inner_lb.id
}

resource "aws_vpc_security_group_ingress_rule" "api_service_ingress_tcp_8080_partner_lb" {
  security_group_id            = aws_security_group.api_service.id
  description                  = "from load balancer partner"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.partner_lb.id
}

resource "aws_security_group" "bare_vpc_link" {
  name        = "sink-bare-vpc-link"
  description = "VPC link of API bare"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "sink-bare-vpc-link"
  }
}

resource "aws_vpc_security_group_egress_rule" "bare_vpc_link_egress_tcp_8080_inner_lb" {
  security_group_id            = aws_security_group.bare_vpc_link.id
  description                  = "to inner"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.inner_lb.id
}

resource "aws_security_group" "gateway_vpc_link" {
  name        = "sink-gateway-vpc-link"
  description = "VPC link of API gateway"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "sink-gateway-vpc-link"
  }
}

resource "aws_vpc_security_group_egress_rule" "gateway_vpc_link_egress_tcp_8080_inner_lb" {
  security_group_id            = aws_security_group.gateway_vpc_link.id
  description                  = "to inner"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.inner_lb.id
}

resource "aws_security_group" "app_service" {
  name        = "sink-app-service"
  description = "Fargate service app"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "sink-app-service"
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

resource "aws_vpc_security_group_egress_rule" "app_service_egress_tcp_443_partner_lb" {
  security_group_id            = aws_security_group.app_service.id
  description                  = "to partner"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.partner_lb.id
}

resource "aws_vpc_security_group_egress_rule" "app_service_egress_tcp_8080_api_service" {
  security_group_id            = aws_security_group.app_service.id
  description                  = "to api"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.api_service.id
}

resource "aws_vpc_security_group_egress_rule" "app_service_egress_tcp_8080_inner_lb" {
  security_group_id            = aws_security_group.app_service.id
  description                  = "to inner"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.inner_lb.id
}

resource "aws_vpc_security_group_ingress_rule" "app_service_ingress_tcp_8080_web_lb" {
  security_group_id            = aws_security_group.app_service.id
  description                  = "from load balancer web"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.web_lb.id
}

resource "aws_security_group" "db_db" {
  name        = "sink-db-db"
  description = "Database db"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "sink-db-db"
  }
}

resource "aws_vpc_security_group_ingress_rule" "db_db_ingress_tcp_5432_api_service" {
  security_group_id            = aws_security_group.db_db.id
  description                  = "from service api"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.api_service.id
}

resource "aws_security_group" "ledger_db" {
  name        = "sink-ledger-db"
  description = "Database ledger"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "sink-ledger-db"
  }
}

resource "aws_vpc_security_group_ingress_rule" "ledger_db_ingress_tcp_5432_api_service" {
  security_group_id            = aws_security_group.ledger_db.id
  description                  = "from service api"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.api_service.id
}

resource "aws_security_group" "legacy_db" {
  name        = "sink-legacy-db"
  description = "Database legacy"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "sink-legacy-db"
  }
}

resource "aws_vpc_security_group_ingress_rule" "legacy_db_ingress_tcp_3306_api_service" {
  security_group_id            = aws_security_group.legacy_db.id
  description                  = "from service api"
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
  referenced_security_group_id = aws_security_group.api_service.id
}

resource "aws_security_group" "inner_lb" {
  name        = "sink-inner-lb"
  description = "Load balancer inner"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "sink-inner-lb"
  }
}

resource "aws_vpc_security_group_egress_rule" "inner_lb_egress_tcp_8080_api_service" {
  security_group_id            = aws_security_group.inner_lb.id
  description                  = "to api"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.api_service.id
}

resource "aws_vpc_security_group_ingress_rule" "inner_lb_ingress_tcp_8080_app_service" {
  security_group_id            = aws_security_group.inner_lb.id
  description                  = "from service app"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.app_service.id
}

resource "aws_vpc_security_group_ingress_rule" "inner_lb_ingress_tcp_8080_bare_vpc_link" {
  security_group_id            = aws_security_group.inner_lb.id
  description                  = "from api bare"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.bare_vpc_link.id
}

resource "aws_vpc_security_group_ingress_rule" "inner_lb_ingress_tcp_8080_gateway_vpc_link" {
  security_group_id            = aws_security_group.inner_lb.id
  description                  = "from api gateway"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.gateway_vpc_link.id
}

resource "aws_security_group" "partner_lb" {
  name        = "sink-partner-lb"
  description = "Load balancer partner"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "sink-partner-lb"
  }
}

resource "aws_vpc_security_group_egress_rule" "partner_lb_egress_tcp_8080_api_service" {
  security_group_id            = aws_security_group.partner_lb.id
  description                  = "to api"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.api_service.id
}

resource "aws_vpc_security_group_ingress_rule" "partner_lb_ingress_tcp_443_0_0_0_0_0" {
  security_group_id = aws_security_group.partner_lb.id
  description       = "from the internet"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "partner_lb_ingress_tcp_443_app_service" {
  security_group_id            = aws_security_group.partner_lb.id
  description                  = "from service app"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.app_service.id
}

resource "aws_vpc_security_group_ingress_rule" "partner_lb_ingress_tcp_80_0_0_0_0_0" {
  #checkov:skip=CKV_AWS_260:the listener on port 80 only redirects to HTTPS on 443; it serves nothing in plaintext
  security_group_id = aws_security_group.partner_lb.id
  description       = "from the internet (redirected to HTTPS)"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_security_group" "web_lb" {
  name        = "sink-web-lb"
  description = "Load balancer web"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "sink-web-lb"
  }
}

resource "aws_vpc_security_group_egress_rule" "web_lb_egress_tcp_8080_app_service" {
  security_group_id            = aws_security_group.web_lb.id
  description                  = "to app"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
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
