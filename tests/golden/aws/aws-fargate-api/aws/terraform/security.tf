resource "aws_kms_key" "main" {
  description             = "Encrypts the logs, images, objects and secrets of fastapi-on-fargate"
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
  name          = "alias/fastapi-on-fargate"
  target_key_id = aws_kms_key.main.key_id
}

resource "aws_security_group" "api_vpc_link" {
  name        = "fastapi-on-fargate-api-vpc-link"
  description = "VPC link of API api"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "fastapi-on-fargate-api-vpc-link"
  }
}

resource "aws_vpc_security_group_egress_rule" "api_vpc_link_egress_tcp_8080_lb_lb" {
  security_group_id            = aws_security_group.api_vpc_link.id
  description                  = "to lb"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.lb_lb.id
}

resource "aws_security_group" "lb_lb" {
  name        = "fastapi-on-fargate-lb-lb"
  description = "Load balancer lb"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "fastapi-on-fargate-lb-lb"
  }
}

resource "aws_vpc_security_group_egress_rule" "lb_lb_egress_tcp_8080_web_service" {
  security_group_id            = aws_security_group.lb_lb.id
  description                  = "to web"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.web_service.id
}

resource "aws_vpc_security_group_ingress_rule" "lb_lb_ingress_tcp_8080_api_vpc_link" {
  security_group_id            = aws_security_group.lb_lb.id
  description                  = "from api api"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.api_vpc_link.id
}

resource "aws_security_group" "web_service" {
  name        = "fastapi-on-fargate-web-service"
  description = "Fargate service web"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "fastapi-on-fargate-web-service"
  }
}

resource "aws_vpc_security_group_egress_rule" "web_service_egress_tcp_443_0_0_0_0_0" {
  security_group_id = aws_security_group.web_service.id
  description       = "to AWS APIs and registries over HTTPS"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "web_service_ingress_tcp_8080_lb_lb" {
  security_group_id            = aws_security_group.web_service.id
  description                  = "from load balancer lb"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.lb_lb.id
}
