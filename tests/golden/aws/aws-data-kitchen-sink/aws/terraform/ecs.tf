resource "aws_ecs_cluster" "main" {
  #checkov:skip=CKV_AWS_224:ECS Exec is disabled on every service (enable_execute_command = false): no session to log
  name = "sink"

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  configuration {
    execute_command_configuration {
      kms_key_id = aws_kms_key.main.arn
      logging    = "DEFAULT"
    }
  }
}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/ecs/sink/api"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_ecs_task_definition" "api" {
  family                   = "sink-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.api_cpu
  memory                   = var.api_memory
  execution_role_arn       = aws_iam_role.api_execution.arn
  task_role_arn            = aws_iam_role.api_task.arn
  container_definitions = jsonencode([
    {
      name                   = "api"
      image                  = "${aws_ecr_repository.images_api.repository_url}:${var.api_image_tag}"
      essential              = true
      readonlyRootFilesystem = true
      privileged             = false
      portMappings = [
        {
          containerPort = 8080
          hostPort      = 8080
          protocol      = "tcp"
        },
      ]
      environment = [
        {
          name  = "DATABASE_HOST"
          value = aws_db_instance.db.address
        },
        {
          name  = "DATABASE_NAME"
          value = "db"
        },
        {
          name  = "DATABASE_PORT"
          value = "5432"
        },
        {
          name  = "LEDGER_HOST"
          value = aws_rds_cluster.ledger.endpoint
        },
        {
          name  = "LEDGER_USER"
          value = "api"
        },
        {
          name  = "LEGACY_HOST"
          value = aws_db_instance.legacy.address
        },
      ]
      secrets = [
        {
          name      = "DATABASE_PASSWORD"
          valueFrom = "${aws_db_instance.db.master_user_secret[0].secret_arn}:password::"
        },
        {
          name      = "DATABASE_USER"
          valueFrom = "${aws_db_instance.db.master_user_secret[0].secret_arn}:username::"
        },
      ]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.api.name
          "awslogs-region"        = data.aws_region.current.name
          "awslogs-stream-prefix" = "api"
        }
      }
      healthCheck = {
        command     = ["CMD", "curl", "-fsS", "-o", "/dev/null", "http://localhost:8080/healthz"]
        interval    = 30
        timeout     = 5
        retries     = 3
        startPeriod = 60
      }
    },
  ])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
}

resource "aws_ecs_service" "api" {
  name                              = "api"
  cluster                           = aws_ecs_cluster.main.id
  task_definition                   = aws_ecs_task_definition.api.arn
  desired_count                     = var.api_replicas
  launch_type                       = "FARGATE"
  platform_version                  = "LATEST"
  propagate_tags                    = "SERVICE"
  enable_execute_command            = false
  health_check_grace_period_seconds = 60

  network_configuration {
    subnets          = [aws_subnet.app_a.id, aws_subnet.app_b.id]
    security_groups  = [aws_security_group.api_service.id]
    assign_public_ip = false
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.inner_8080.arn
    container_name   = "api"
    container_port   = 8080
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.partner_443.arn
    container_name   = "api"
    container_port   = 8080
  }

  depends_on = [aws_lb_listener.inner_8080, aws_lb_listener.partner_443]
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/ecs/sink/app"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_ecs_task_definition" "app" {
  family                   = "sink-app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.app_cpu
  memory                   = var.app_memory
  execution_role_arn       = aws_iam_role.app_execution.arn
  task_role_arn            = aws_iam_role.app_task.arn
  container_definitions = jsonencode([
    {
      name                   = "app"
      image                  = "${aws_ecr_repository.images_app.repository_url}:${var.app_image_tag}"
      essential              = true
      readonlyRootFilesystem = true
      privileged             = false
      portMappings = [
        {
          containerPort = 8080
          hostPort      = 8080
          protocol      = "tcp"
        },
      ]
      environment = [
        {
          name  = "EVENTS"
          value = aws_sns_topic.events.name
        },
        {
          name  = "JOBS_NAME"
          value = aws_sqs_queue.jobs.name
        },
        {
          name  = "JOBS_URL"
          value = aws_sqs_queue.jobs.url
        },
        {
          name  = "LOG_LEVEL"
          value = "info"
        },
        {
          name  = "SECRETS"
          value = "sink/vault/"
        },
        {
          name  = "UPLOADS"
          value = aws_s3_bucket.uploads.id
        },
      ]
      secrets = []
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.app.name
          "awslogs-region"        = data.aws_region.current.name
          "awslogs-stream-prefix" = "app"
        }
      }
      healthCheck = {
        command     = ["CMD", "curl", "-fsS", "-o", "/dev/null", "http://localhost:8080/healthz"]
        interval    = 30
        timeout     = 5
        retries     = 3
        startPeriod = 60
      }
    },
  ])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
}

resource "aws_ecs_service" "app" {
  name                              = "app"
  cluster                           = aws_ecs_cluster.main.id
  task_definition                   = aws_ecs_task_definition.app.arn
  desired_count                     = var.app_replicas
  launch_type                       = "FARGATE"
  platform_version                  = "LATEST"
  propagate_tags                    = "SERVICE"
  enable_execute_command            = false
  health_check_grace_period_seconds = 60

  network_configuration {
    subnets          = [aws_subnet.app_a.id, aws_subnet.app_b.id]
    security_groups  = [aws_security_group.app_service.id]
    assign_public_ip = false
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.web_443.arn
    container_name   = "app"
    container_port   = 8080
  }

  depends_on = [aws_lb_listener.web_443]
}
