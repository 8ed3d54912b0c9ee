resource "aws_cloudwatch_log_group" "audit" {
  name              = "/ecs/async-sink/audit"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_ecs_task_definition" "audit" {
  family                   = "async-sink-audit"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.audit_cpu
  memory                   = var.audit_memory
  execution_role_arn       = aws_iam_role.audit_execution.arn
  task_role_arn            = aws_iam_role.audit_task.arn
  container_definitions = jsonencode([
    {
      name                   = "audit"
      image                  = "${aws_ecr_repository.images_audit.repository_url}:${var.audit_image_tag}"
      essential              = true
      readonlyRootFilesystem = true
      privileged             = false
      environment            = []
      secrets                = []
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.audit.name
          "awslogs-region"        = data.aws_region.current.name
          "awslogs-stream-prefix" = "audit"
        }
      }
    },
  ])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
}

resource "aws_ecs_service" "audit" {
  name                   = "audit"
  cluster                = aws_ecs_cluster.main.id
  task_definition        = aws_ecs_task_definition.audit.arn
  desired_count          = 1
  launch_type            = "FARGATE"
  platform_version       = "LATEST"
  propagate_tags         = "SERVICE"
  enable_execute_command = false

  network_configuration {
    subnets          = [aws_subnet.private_a.id]
    security_groups  = [aws_security_group.audit_job.id]
    assign_public_ip = false
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
}

resource "aws_cloudwatch_log_group" "click_counter" {
  name              = "/ecs/async-sink/click-counter"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_ecs_task_definition" "click_counter" {
  family                   = "async-sink-click-counter"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.click_counter_cpu
  memory                   = var.click_counter_memory
  execution_role_arn       = aws_iam_role.click_counter_execution.arn
  task_role_arn            = aws_iam_role.click_counter_task.arn
  container_definitions = jsonencode([
    {
      name                   = "click-counter"
      image                  = "${aws_ecr_repository.images_click_counter.repository_url}:${var.click_counter_image_tag}"
      essential              = true
      readonlyRootFilesystem = true
      privileged             = false
      environment            = []
      secrets                = []
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.click_counter.name
          "awslogs-region"        = data.aws_region.current.name
          "awslogs-stream-prefix" = "click-counter"
        }
      }
    },
  ])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
}

resource "aws_ecs_service" "click_counter" {
  name                   = "click-counter"
  cluster                = aws_ecs_cluster.main.id
  task_definition        = aws_ecs_task_definition.click_counter.arn
  desired_count          = 0
  launch_type            = "FARGATE"
  platform_version       = "LATEST"
  propagate_tags         = "SERVICE"
  enable_execute_command = false

  network_configuration {
    subnets          = [aws_subnet.private_a.id, aws_subnet.private_b.id]
    security_groups  = [aws_security_group.click_counter_job.id]
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

resource "aws_appautoscaling_target" "click_counter" {
  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${aws_ecs_cluster.main.name}/${aws_ecs_service.click_counter.name}"
  min_capacity       = 0
  max_capacity       = 3
}

resource "aws_appautoscaling_policy" "click_counter" {
  name               = "click-counter-backlog"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.click_counter.service_namespace
  scalable_dimension = aws_appautoscaling_target.click_counter.scalable_dimension
  resource_id        = aws_appautoscaling_target.click_counter.resource_id

  target_tracking_scaling_policy_configuration {
    target_value = 1000

    customized_metric_specification {
      metric_name = "SumOffsetLag"
      namespace   = "AWS/Kafka"
      statistic   = "Average"

      dimensions {
        name  = "Cluster Name"
        value = "async-sink-stream"
      }

      dimensions {
        name  = "Consumer Group"
        value = "click-counter"
      }

      dimensions {
        name  = "Topic"
        value = "clicks"
      }
    }
  }
}

resource "aws_cloudwatch_log_group" "mailer" {
  name              = "/ecs/async-sink/mailer"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_ecs_task_definition" "mailer" {
  family                   = "async-sink-mailer"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.mailer_cpu
  memory                   = var.mailer_memory
  execution_role_arn       = aws_iam_role.mailer_execution.arn
  task_role_arn            = aws_iam_role.mailer_task.arn
  container_definitions = jsonencode([
    {
      name                   = "mailer"
      image                  = "${aws_ecr_repository.images_mailer.repository_url}:${var.mailer_image_tag}"
      essential              = true
      readonlyRootFilesystem = true
      privileged             = false
      environment            = []
      secrets                = []
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.mailer.name
          "awslogs-region"        = data.aws_region.current.name
          "awslogs-stream-prefix" = "mailer"
        }
      }
    },
  ])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
}

resource "aws_ecs_service" "mailer" {
  name                   = "mailer"
  cluster                = aws_ecs_cluster.main.id
  task_definition        = aws_ecs_task_definition.mailer.arn
  desired_count          = 1
  launch_type            = "FARGATE"
  platform_version       = "LATEST"
  propagate_tags         = "SERVICE"
  enable_execute_command = false

  network_configuration {
    subnets          = [aws_subnet.private_a.id]
    security_groups  = [aws_security_group.mailer_job.id]
    assign_public_ip = false
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
}

resource "aws_cloudwatch_log_group" "nightly" {
  name              = "/ecs/async-sink/nightly"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_ecs_task_definition" "nightly" {
  family                   = "async-sink-nightly"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.nightly_cpu
  memory                   = var.nightly_memory
  execution_role_arn       = aws_iam_role.nightly_execution.arn
  task_role_arn            = aws_iam_role.nightly_task.arn
  container_definitions = jsonencode([
    {
      name                   = "nightly"
      image                  = "${aws_ecr_repository.images_nightly.repository_url}:${var.nightly_image_tag}"
      essential              = true
      readonlyRootFilesystem = true
      privileged             = false
      environment            = []
      secrets                = []
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.nightly.name
          "awslogs-region"        = data.aws_region.current.name
          "awslogs-stream-prefix" = "nightly"
        }
      }
    },
  ])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
}

resource "aws_scheduler_schedule" "nightly" {
  name                         = "async-sink-nightly"
  schedule_expression          = "cron(30 2 ? * 2-6 *)"
  schedule_expression_timezone = "UTC"
  kms_key_arn                  = aws_kms_key.main.arn

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_ecs_cluster.main.arn
    role_arn = aws_iam_role.nightly_scheduler.arn

    ecs_parameters {
      task_definition_arn = aws_ecs_task_definition.nightly.arn
      launch_type         = "FARGATE"
      platform_version    = "LATEST"

      network_configuration {
        subnets          = [aws_subnet.private_a.id]
        security_groups  = [aws_security_group.nightly_job.id]
        assign_public_ip = false
      }
    }

    retry_policy {
      maximum_retry_attempts       = 2
      maximum_event_age_in_seconds = 3600
    }

    dead_letter_config {
      arn = aws_sqs_queue.nightly_dlq.arn
    }
  }
}

resource "aws_cloudwatch_log_group" "order_worker" {
  name              = "/ecs/async-sink/order-worker"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_ecs_task_definition" "order_worker" {
  family                   = "async-sink-order-worker"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.order_worker_cpu
  memory                   = var.order_worker_memory
  execution_role_arn       = aws_iam_role.order_worker_execution.arn
  task_role_arn            = aws_iam_role.order_worker_task.arn
  container_definitions = jsonencode([
    {
      name                   = "order-worker"
      image                  = "${aws_ecr_repository.images_order_worker.repository_url}:${var.order_worker_image_tag}"
      essential              = true
      readonlyRootFilesystem = true
      privileged             = false
      environment            = []
      secrets                = []
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.order_worker.name
          "awslogs-region"        = data.aws_region.current.name
          "awslogs-stream-prefix" = "order-worker"
        }
      }
    },
  ])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
}

resource "aws_ecs_service" "order_worker" {
  name                   = "order-worker"
  cluster                = aws_ecs_cluster.main.id
  task_definition        = aws_ecs_task_definition.order_worker.arn
  desired_count          = 1
  launch_type            = "FARGATE"
  platform_version       = "LATEST"
  propagate_tags         = "SERVICE"
  enable_execute_command = false

  network_configuration {
    subnets          = [aws_subnet.private_a.id, aws_subnet.private_b.id]
    security_groups  = [aws_security_group.order_worker_job.id]
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

resource "aws_appautoscaling_target" "order_worker" {
  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${aws_ecs_cluster.main.name}/${aws_ecs_service.order_worker.name}"
  min_capacity       = 1
  max_capacity       = 5
}

resource "aws_appautoscaling_policy" "order_worker" {
  name               = "order-worker-backlog"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.order_worker.service_namespace
  scalable_dimension = aws_appautoscaling_target.order_worker.scalable_dimension
  resource_id        = aws_appautoscaling_target.order_worker.resource_id

  target_tracking_scaling_policy_configuration {
    target_value = 50

    customized_metric_specification {
      metric_name = "ApproximateNumberOfMessagesVisible"
      namespace   = "AWS/SQS"
      statistic   = "Average"

      dimensions {
        name  = "QueueName"
        value = "async-sink-orders"
      }
    }
  }
}

resource "aws_cloudwatch_log_group" "thumbnailer" {
  name              = "/ecs/async-sink/thumbnailer"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_ecs_task_definition" "thumbnailer" {
  family                   = "async-sink-thumbnailer"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.thumbnailer_cpu
  memory                   = var.thumbnailer_memory
  execution_role_arn       = aws_iam_role.thumbnailer_execution.arn
  task_role_arn            = aws_iam_role.thumbnailer_task.arn
  container_definitions = jsonencode([
    {
      name                   = "thumbnailer"
      image                  = "${aws_ecr_repository.images_thumbnailer.repository_url}:${var.thumbnailer_image_tag}"
      essential              = true
      readonlyRootFilesystem = true
      privileged             = false
      environment            = []
      secrets                = []
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.thumbnailer.name
          "awslogs-region"        = data.aws_region.current.name
          "awslogs-stream-prefix" = "thumbnailer"
        }
      }
    },
  ])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
}

resource "aws_cloudwatch_event_rule" "thumbnailer" {
  name        = "async-sink-thumbnailer"
  description = "Starts job thumbnailer on Object Created in async-sink-uploads"

  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["Object Created"]
    detail = {
      bucket = {
        name = ["async-sink-uploads"]
      }
    }
  })
}

resource "aws_cloudwatch_event_target" "thumbnailer" {
  rule     = aws_cloudwatch_event_rule.thumbnailer.name
  arn      = aws_ecs_cluster.main.arn
  role_arn = aws_iam_role.thumbnailer_events.arn

  ecs_target {
    task_definition_arn = aws_ecs_task_definition.thumbnailer.arn
    launch_type         = "FARGATE"
    platform_version    = "LATEST"

    network_configuration {
      subnets          = [aws_subnet.private_a.id]
      security_groups  = [aws_security_group.thumbnailer_job.id]
      assign_public_ip = false
    }
  }

  retry_policy {
    maximum_retry_attempts       = 0
    maximum_event_age_in_seconds = 3600
  }

  dead_letter_config {
    arn = aws_sqs_queue.thumbnailer_dlq.arn
  }
}

resource "aws_s3_bucket_notification" "uploads" {
  bucket      = aws_s3_bucket.uploads.id
  eventbridge = true
}
