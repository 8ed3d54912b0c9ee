resource "aws_kms_key" "main" {
  description             = "Encrypts the logs, images, objects and secrets of async-sink"
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
      {
        Sid    = "ServicesEncryptQueueMessages"
        Effect = "Allow"
        Principal = {
          Service = ["events.amazonaws.com", "sns.amazonaws.com"]
        }
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = ["*"]
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = data.aws_caller_identity.current.account_id
          }
        }
      },
    ]
  })
}

resource "aws_kms_alias" "main" {
  name          = "alias/async-sink"
  target_key_id = aws_kms_key.main.key_id
}

resource "aws_security_group" "api_service" {
  name        = "async-sink-api-service"
  description = "Fargate service api"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "async-sink-api-service"
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

resource "aws_vpc_security_group_egress_rule" "api_service_egress_tcp_9098_stream_broker" {
  security_group_id            = aws_security_group.api_service.id
  description                  = "to stream"
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  referenced_security_group_id = aws_security_group.stream_broker.id
}

resource "aws_vpc_security_group_ingress_rule" "api_service_ingress_tcp_8080_order_worker_job" {
  security_group_id            = aws_security_group.api_service.id
  description                  = "from job order-worker"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.order_worker_job.id
}

resource "aws_security_group" "audit_job" {
  name        = "async-sink-audit-job"
  description = "Fargate job audit"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "async-sink-audit-job"
  }
}

resource "aws_vpc_security_group_egress_rule" "audit_job_egress_tcp_443_0_0_0_0_0" {
  security_group_id = aws_security_group.audit_job.id
  description       = "to AWS APIs and registries over HTTPS"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_security_group" "stream_broker" {
  #checkov:skip=CKV2_AWS_5:attached to the MSK Serverless cluster's vpc_config (checkov does not read aws_msk_serverless_cluster)
  name        = "async-sink-stream-broker"
  description = "MSK Serverless cluster stream"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "async-sink-stream-broker"
  }
}

resource "aws_vpc_security_group_ingress_rule" "stream_broker_ingress_tcp_9098_api_service" {
  security_group_id            = aws_security_group.stream_broker.id
  description                  = "from workload api"
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  referenced_security_group_id = aws_security_group.api_service.id
}

resource "aws_vpc_security_group_ingress_rule" "stream_broker_ingress_tcp_9098_click_counter_job" {
  security_group_id            = aws_security_group.stream_broker.id
  description                  = "from workload click-counter"
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  referenced_security_group_id = aws_security_group.click_counter_job.id
}

resource "aws_security_group" "click_counter_job" {
  name        = "async-sink-click-counter-job"
  description = "Fargate job click-counter"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "async-sink-click-counter-job"
  }
}

resource "aws_vpc_security_group_egress_rule" "click_counter_job_egress_tcp_443_0_0_0_0_0" {
  security_group_id = aws_security_group.click_counter_job.id
  description       = "to AWS APIs and registries over HTTPS"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "click_counter_job_egress_tcp_9098_stream_broker" {
  security_group_id            = aws_security_group.click_counter_job.id
  description                  = "to stream"
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  referenced_security_group_id = aws_security_group.stream_broker.id
}

resource "aws_security_group" "mailer_job" {
  name        = "async-sink-mailer-job"
  description = "Fargate job mailer"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "async-sink-mailer-job"
  }
}

resource "aws_vpc_security_group_egress_rule" "mailer_job_egress_tcp_443_0_0_0_0_0" {
  security_group_id = aws_security_group.mailer_job.id
  description       = "to AWS APIs and registries over HTTPS"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_security_group" "nightly_job" {
  #checkov:skip=CKV2_AWS_5:attached by the EventBridge Scheduler schedule that runs the job's task (checkov does not read aws_scheduler_schedule)
  name        = "async-sink-nightly-job"
  description = "Fargate job nightly"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "async-sink-nightly-job"
  }
}

resource "aws_vpc_security_group_egress_rule" "nightly_job_egress_tcp_443_0_0_0_0_0" {
  security_group_id = aws_security_group.nightly_job.id
  description       = "to AWS APIs and registries over HTTPS"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_security_group" "order_worker_job" {
  name        = "async-sink-order-worker-job"
  description = "Fargate job order-worker"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "async-sink-order-worker-job"
  }
}

resource "aws_vpc_security_group_egress_rule" "order_worker_job_egress_tcp_443_0_0_0_0_0" {
  security_group_id = aws_security_group.order_worker_job.id
  description       = "to AWS APIs and registries over HTTPS"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "order_worker_job_egress_tcp_8080_api_service" {
  security_group_id            = aws_security_group.order_worker_job.id
  description                  = "to api"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.api_service.id
}

resource "aws_security_group" "thumbnailer_job" {
  name        = "async-sink-thumbnailer-job"
  description = "Fargate job thumbnailer"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "async-sink-thumbnailer-job"
  }
}

resource "aws_vpc_security_group_egress_rule" "thumbnailer_job_egress_tcp_443_0_0_0_0_0" {
  security_group_id = aws_security_group.thumbnailer_job.id
  description       = "to AWS APIs and registries over HTTPS"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}
