resource "aws_iam_role" "main_flow_logs" {
  name = "kafka-workers-aws-main-flow-logs"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "AssumedByService"
        Effect = "Allow"
        Principal = {
          Service = ["vpc-flow-logs.amazonaws.com"]
        }
        Action = ["sts:AssumeRole"]
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = data.aws_caller_identity.current.account_id
          }
        }
      },
    ]
  })
}

resource "aws_iam_role_policy" "main_flow_logs" {
  name = "kafka-workers-aws-main-flow-logs"
  role = aws_iam_role.main_flow_logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "DescribeLogGroups"
        Effect   = "Allow"
        Action   = ["logs:DescribeLogGroups"]
        Resource = ["*"]
      },
      {
        Sid      = "DescribeLogStreams"
        Effect   = "Allow"
        Action   = ["logs:DescribeLogStreams"]
        Resource = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:/vpc/kafka-workers-aws/main"]
      },
      {
        Sid      = "WriteFlowLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:/vpc/kafka-workers-aws/main:log-stream:*"]
      },
    ]
  })
}

resource "aws_iam_role" "warehouse_monitoring" {
  name = "kafka-workers-aws-warehouse-monitoring"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "AssumedByService"
        Effect = "Allow"
        Principal = {
          Service = ["monitoring.rds.amazonaws.com"]
        }
        Action = ["sts:AssumeRole"]
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = data.aws_caller_identity.current.account_id
          }
        }
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "warehouse_monitoring_1" {
  role       = aws_iam_role.warehouse_monitoring.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

resource "aws_iam_role" "collectors_execution" {
  name = "kafka-workers-aws-collectors-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "AssumedByService"
        Effect = "Allow"
        Principal = {
          Service = ["ecs-tasks.amazonaws.com"]
        }
        Action = ["sts:AssumeRole"]
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = data.aws_caller_identity.current.account_id
          }
        }
      },
    ]
  })
}

resource "aws_iam_role_policy" "collectors_execution" {
  name = "kafka-workers-aws-collectors-execution"
  role = aws_iam_role.collectors_execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "PullImage"
        Effect   = "Allow"
        Action   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
        Resource = [aws_ecr_repository.images_collectors.arn]
      },
      {
        Sid      = "RegistryToken"
        Effect   = "Allow"
        Action   = ["ecr:GetAuthorizationToken"]
        Resource = ["*"]
      },
      {
        Sid      = "WriteLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:/ecs/kafka-workers-aws/collectors:log-stream:*"]
      },
    ]
  })
}

resource "aws_iam_role" "collectors_task" {
  name = "kafka-workers-aws-collectors-task"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "AssumedByService"
        Effect = "Allow"
        Principal = {
          Service = ["ecs-tasks.amazonaws.com"]
        }
        Action = ["sts:AssumeRole"]
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = data.aws_caller_identity.current.account_id
          }
        }
      },
    ]
  })
}

resource "aws_iam_role_policy" "collectors_task" {
  name = "kafka-workers-aws-collectors-task"
  role = aws_iam_role.collectors_task.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "PublishWork1KafkaCluster"
        Effect   = "Allow"
        Action   = ["kafka-cluster:Connect"]
        Resource = [aws_msk_serverless_cluster.kafka.arn]
      },
      {
        Sid      = "PublishWork1KafkaTopics"
        Effect   = "Allow"
        Action   = ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"]
        Resource = ["arn:${data.aws_partition.current.partition}:kafka:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:topic/kafka-workers-aws-kafka/*/work1"]
      },
      {
        Sid      = "PublishWork2KafkaCluster"
        Effect   = "Allow"
        Action   = ["kafka-cluster:Connect"]
        Resource = [aws_msk_serverless_cluster.kafka.arn]
      },
      {
        Sid      = "PublishWork2KafkaTopics"
        Effect   = "Allow"
        Action   = ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"]
        Resource = ["arn:${data.aws_partition.current.partition}:kafka:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:topic/kafka-workers-aws-kafka/*/work2"]
      },
    ]
  })
}

resource "aws_iam_role" "worker1_execution" {
  name = "kafka-workers-aws-worker1-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "AssumedByService"
        Effect = "Allow"
        Principal = {
          Service = ["ecs-tasks.amazonaws.com"]
        }
        Action = ["sts:AssumeRole"]
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = data.aws_caller_identity.current.account_id
          }
        }
      },
    ]
  })
}

resource "aws_iam_role_policy" "worker1_execution" {
  name = "kafka-workers-aws-worker1-execution"
  role = aws_iam_role.worker1_execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "PullImage"
        Effect   = "Allow"
        Action   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
        Resource = [aws_ecr_repository.images_worker1.arn]
      },
      {
        Sid      = "RegistryToken"
        Effect   = "Allow"
        Action   = ["ecr:GetAuthorizationToken"]
        Resource = ["*"]
      },
      {
        Sid      = "WriteLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:/ecs/kafka-workers-aws/worker1:log-stream:*"]
      },
    ]
  })
}

resource "aws_iam_role" "worker1_task" {
  name = "kafka-workers-aws-worker1-task"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "AssumedByService"
        Effect = "Allow"
        Principal = {
          Service = ["ecs-tasks.amazonaws.com"]
        }
        Action = ["sts:AssumeRole"]
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = data.aws_caller_identity.current.account_id
          }
        }
      },
    ]
  })
}

resource "aws_iam_role_policy" "worker1_task" {
  name = "kafka-workers-aws-worker1-task"
  role = aws_iam_role.worker1_task.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "SubscribeWork1KafkaCluster"
        Effect   = "Allow"
        Action   = ["kafka-cluster:Connect"]
        Resource = [aws_msk_serverless_cluster.kafka.arn]
      },
      {
        Sid      = "SubscribeWork1KafkaTopics"
        Effect   = "Allow"
        Action   = ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"]
        Resource = ["arn:${data.aws_partition.current.partition}:kafka:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:topic/kafka-workers-aws-kafka/*/work1"]
      },
      {
        Sid      = "SubscribeWork1KafkaGroups"
        Effect   = "Allow"
        Action   = ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"]
        Resource = ["arn:${data.aws_partition.current.partition}:kafka:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:group/kafka-workers-aws-kafka/*/worker1"]
      },
      {
        Sid      = "WriteWarehouseDbuser"
        Effect   = "Allow"
        Action   = ["rds-db:connect"]
        Resource = ["arn:${data.aws_partition.current.partition}:rds-db:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:dbuser:${aws_db_instance.warehouse.resource_id}/worker1"]
      },
    ]
  })
}

resource "aws_iam_role" "worker2_execution" {
  name = "kafka-workers-aws-worker2-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "AssumedByService"
        Effect = "Allow"
        Principal = {
          Service = ["ecs-tasks.amazonaws.com"]
        }
        Action = ["sts:AssumeRole"]
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = data.aws_caller_identity.current.account_id
          }
        }
      },
    ]
  })
}

resource "aws_iam_role_policy" "worker2_execution" {
  name = "kafka-workers-aws-worker2-execution"
  role = aws_iam_role.worker2_execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "PullImage"
        Effect   = "Allow"
        Action   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
        Resource = [aws_ecr_repository.images_worker2.arn]
      },
      {
        Sid      = "RegistryToken"
        Effect   = "Allow"
        Action   = ["ecr:GetAuthorizationToken"]
        Resource = ["*"]
      },
      {
        Sid      = "WriteLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:/ecs/kafka-workers-aws/worker2:log-stream:*"]
      },
    ]
  })
}

resource "aws_iam_role" "worker2_task" {
  name = "kafka-workers-aws-worker2-task"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "AssumedByService"
        Effect = "Allow"
        Principal = {
          Service = ["ecs-tasks.amazonaws.com"]
        }
        Action = ["sts:AssumeRole"]
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = data.aws_caller_identity.current.account_id
          }
        }
      },
    ]
  })
}

resource "aws_iam_role_policy" "worker2_task" {
  name = "kafka-workers-aws-worker2-task"
  role = aws_iam_role.worker2_task.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "SubscribeWork2KafkaCluster"
        Effect   = "Allow"
        Action   = ["kafka-cluster:Connect"]
        Resource = [aws_msk_serverless_cluster.kafka.arn]
      },
      {
        Sid      = "SubscribeWork2KafkaTopics"
        Effect   = "Allow"
        Action   = ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"]
        Resource = ["arn:${data.aws_partition.current.partition}:kafka:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:topic/kafka-workers-aws-kafka/*/work2"]
      },
      {
        Sid      = "SubscribeWork2KafkaGroups"
        Effect   = "Allow"
        Action   = ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"]
        Resource = ["arn:${data.aws_partition.current.partition}:kafka:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:group/kafka-workers-aws-kafka/*/worker2"]
      },
      {
        Sid      = "WriteWarehouseDbuser"
        Effect   = "Allow"
        Action   = ["rds-db:connect"]
        Resource = ["arn:${data.aws_partition.current.partition}:rds-db:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:dbuser:${aws_db_instance.warehouse.resource_id}/worker2"]
      },
    ]
  })
}
