resource "aws_cloudwatch_log_group" "worker1" {
  name              = "/ecs/kafka-workers-aws/worker1"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_ecs_task_definition" "worker1" {
  family                   = "kafka-workers-aws-worker1"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.worker1_cpu
  memory                   = var.worker1_memory
  execution_role_arn       = aws_iam_role.worker1_execution.arn
  task_role_arn            = aws_iam_role.worker1_task.arn
  container_definitions = jsonencode([
    {
      name                   = "worker1"
      image                  = "${aws_ecr_repository.images_worker1.repository_url}:${var.worker1_image_tag}"
      essential              = true
      readonlyRootFilesystem = true
      privileged             = false
      environment = [
        {
          name  = "DATABASE_HOST"
          value = aws_db_instance.warehouse.address
        },
        {
          name  = "DATABASE_NAME"
          value = "warehouse"
        },
        {
          name  = "DATABASE_USER"
          value = "worker1"
        },
      ]
      secrets = []
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.worker1.name
          "awslogs-region"        = data.aws_region.current.name
          "awslogs-stream-prefix" = "worker1"
        }
      }
    },
  ])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
}

resource "aws_ecs_service" "worker1" {
  name                   = "worker1"
  cluster                = aws_ecs_cluster.main.id
  task_definition        = aws_ecs_task_definition.worker1.arn
  desired_count          = 1
  launch_type            = "FARGATE"
  platform_version       = "LATEST"
  propagate_tags         = "SERVICE"
  enable_execute_command = false

  network_configuration {
    subnets          = [aws_subnet.private_a.id, aws_subnet.private_b.id]
    security_groups  = [aws_security_group.worker1_job.id]
    assign_public_ip = false
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  lifecycle {
    ignore_changes = [desired_count]
  }
}

resource "aws_appautoscaling_target" "worker1" {
  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${aws_ecs_cluster.main.name}/${aws_ecs_service.worker1.name}"
  min_capacity       = 1
  max_capacity       = 4
}

resource "aws_appautoscaling_policy" "worker1" {
  name               = "worker1-backlog"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.worker1.service_namespace
  scalable_dimension = aws_appautoscaling_target.worker1.scalable_dimension
  resource_id        = aws_appautoscaling_target.worker1.resource_id

  target_tracking_scaling_policy_configuration {
    target_value = 1000

    customized_metric_specification {
      metric_name = "SumOffsetLag"
      namespace   = "AWS/Kafka"
      statistic   = "Average"

      dimensions {
        name  = "Cluster Name"
        value = "kafka-workers-aws-kafka"
      }

      dimensions {
        name  = "Consumer Group"
        value = "worker1"
      }

      dimensions {
        name  = "Topic"
        value = "work1"
      }
    }
  }
}

resource "aws_cloudwatch_log_group" "worker2" {
  name              = "/ecs/kafka-workers-aws/worker2"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_ecs_task_definition" "worker2" {
  family                   = "kafka-workers-aws-worker2"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.worker2_cpu
  memory                   = var.worker2_memory
  execution_role_arn       = aws_iam_role.worker2_execution.arn
  task_role_arn            = aws_iam_role.worker2_task.arn
  container_definitions = jsonencode([
    {
      name                   = "worker2"
      image                  = "${aws_ecr_repository.images_worker2.repository_url}:${var.worker2_image_tag}"
      essential              = true
      readonlyRootFilesystem = true
      privileged             = false
      environment = [
        {
          name  = "DATABASE_HOST"
          value = aws_db_instance.warehouse.address
        },
        {
          name  = "DATABASE_NAME"
          value = "warehouse"
        },
        {
          name  = "DATABASE_USER"
          value = "worker2"
        },
      ]
      secrets = []
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.worker2.name
          "awslogs-region"        = data.aws_region.current.name
          "awslogs-stream-prefix" = "worker2"
        }
      }
    },
  ])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
}

resource "aws_ecs_service" "worker2" {
  name                   = "worker2"
  cluster                = aws_ecs_cluster.main.id
  task_definition        = aws_ecs_task_definition.worker2.arn
  desired_count          = 1
  launch_type            = "FARGATE"
  platform_version       = "LATEST"
  propagate_tags         = "SERVICE"
  enable_execute_command = false

  network_configuration {
    subnets          = [aws_subnet.private_a.id, aws_subnet.private_b.id]
    security_groups  = [aws_security_group.worker2_job.id]
    assign_public_ip = false
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
}
