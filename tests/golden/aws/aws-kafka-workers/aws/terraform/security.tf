resource "aws_kms_key" "main" {
  description             = "Encrypts the logs, images, objects and secrets of kafka-workers-aws"
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
  name          = "alias/kafka-workers-aws"
  target_key_id = aws_kms_key.main.key_id
}

resource "aws_security_group" "kafka_broker" {
  #checkov:skip=CKV2_AWS_5:attached to the MSK Serverless cluster's vpc_config (checkov does not read aws_msk_serverless_cluster)
  name        = "kafka-workers-aws-kafka-broker"
  description = "MSK Serverless cluster kafka"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "kafka-workers-aws-kafka-broker"
  }
}

resource "aws_vpc_security_group_ingress_rule" "kafka_broker_ingress_tcp_9098_collectors_service" {
  security_group_id            = aws_security_group.kafka_broker.id
  description                  = "from workload collectors"
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  referenced_security_group_id = aws_security_group.collectors_service.id
}

resource "aws_vpc_security_group_ingress_rule" "kafka_broker_ingress_tcp_9098_worker1_job" {
  security_group_id            = aws_security_group.kafka_broker.id
  description                  = "from workload worker1"
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  referenced_security_group_id = aws_security_group.worker1_job.id
}

resource "aws_vpc_security_group_ingress_rule" "kafka_broker_ingress_tcp_9098_worker2_job" {
  security_group_id            = aws_security_group.kafka_broker.id
  description                  = "from workload worker2"
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  referenced_security_group_id = aws_security_group.worker2_job.id
}

resource "aws_security_group" "collectors_service" {
  name        = "kafka-workers-aws-collectors-service"
  description = "Fargate service collectors"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "kafka-workers-aws-collectors-service"
  }
}

resource "aws_vpc_security_group_egress_rule" "collectors_service_egress_tcp_443_0_0_0_0_0" {
  security_group_id = aws_security_group.collectors_service.id
  description       = "to AWS APIs and registries over HTTPS"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "collectors_service_egress_tcp_9098_kafka_broker" {
  security_group_id            = aws_security_group.collectors_service.id
  description                  = "to kafka"
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  referenced_security_group_id = aws_security_group.kafka_broker.id
}

resource "aws_security_group" "warehouse_db" {
  name        = "kafka-workers-aws-warehouse-db"
  description = "Database warehouse"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "kafka-workers-aws-warehouse-db"
  }
}

resource "aws_vpc_security_group_ingress_rule" "warehouse_db_ingress_tcp_5432_worker1_job" {
  security_group_id            = aws_security_group.warehouse_db.id
  description                  = "from job worker1"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.worker1_job.id
}

resource "aws_vpc_security_group_ingress_rule" "warehouse_db_ingress_tcp_5432_worker2_job" {
  security_group_id            = aws_security_group.warehouse_db.id
  description                  = "from job worker2"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.worker2_job.id
}

resource "aws_security_group" "worker1_job" {
  name        = "kafka-workers-aws-worker1-job"
  description = "Fargate job worker1"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "kafka-workers-aws-worker1-job"
  }
}

resource "aws_vpc_security_group_egress_rule" "worker1_job_egress_tcp_443_0_0_0_0_0" {
  security_group_id = aws_security_group.worker1_job.id
  description       = "to AWS APIs and registries over HTTPS"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "worker1_job_egress_tcp_5432_warehouse_db" {
  security_group_id            = aws_security_group.worker1_job.id
  description                  = "to warehouse"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.warehouse_db.id
}

resource "aws_vpc_security_group_egress_rule" "worker1_job_egress_tcp_9098_kafka_broker" {
  security_group_id            = aws_security_group.worker1_job.id
  description                  = "to kafka"
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  referenced_security_group_id = aws_security_group.kafka_broker.id
}

resource "aws_security_group" "worker2_job" {
  name        = "kafka-workers-aws-worker2-job"
  description = "Fargate job worker2"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "kafka-workers-aws-worker2-job"
  }
}

resource "aws_vpc_security_group_egress_rule" "worker2_job_egress_tcp_443_0_0_0_0_0" {
  security_group_id = aws_security_group.worker2_job.id
  description       = "to AWS APIs and registries over HTTPS"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "worker2_job_egress_tcp_5432_warehouse_db" {
  security_group_id            = aws_security_group.worker2_job.id
  description                  = "to warehouse"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.warehouse_db.id
}

resource "aws_vpc_security_group_egress_rule" "worker2_job_egress_tcp_9098_kafka_broker" {
  security_group_id            = aws_security_group.worker2_job.id
  description                  = "to kafka"
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  referenced_security_group_id = aws_security_group.kafka_broker.id
}
