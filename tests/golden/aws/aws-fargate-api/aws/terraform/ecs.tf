resource "aws_ecs_cluster" "main" {
  #checkov:skip=CKV_AWS_224:ECS Exec is disabled on every service (enable_execute_command = false): no session to log
  name = "fastapi-on-fargate"

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

resource "aws_cloudwatch_log_group" "web" {
  name              = "/ecs/fastapi-on-fargate/web"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_ecs_task_definition" "web" {
  family                   = "fastapi-on-fargate-web"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.web_cpu
  memory                   = var.web_memory
  execution_role_arn       = aws_iam_role.web_execution.arn
  task_role_arn            = aws_iam_role.web_task.arn
  container_definitions = jsonencode([
    {
      name                   = "web"
      image                  = "${aws_ecr_repository.images_web.repository_url}:${var.web_image_tag}"
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
          name  = "LOG_LEVEL"
          value = "info"
        },
      ]
      secrets = []
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.web.name
          "awslogs-region"        = data.aws_region.current.name
          "awslogs-stream-prefix" = "web"
        }
      }
      healthCheck = {
        command     = ["CMD", "curl", "-fsS", "-o", "/dev/null", "http://localhost:8080/"]
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

resource "aws_ecs_service" "web" {
  name                              = "web"
  cluster                           = aws_ecs_cluster.main.id
  task_definition                   = aws_ecs_task_definition.web.arn
  desired_count                     = var.web_replicas
  launch_type                       = "FARGATE"
  platform_version                  = "LATEST"
  propagate_tags                    = "SERVICE"
  enable_execute_command            = false
  health_check_grace_period_seconds = 60

  network_configuration {
    subnets          = [aws_subnet.private_a.id]
    security_groups  = [aws_security_group.web_service.id]
    assign_public_ip = false
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.lb_8080.arn
    container_name   = "web"
    container_port   = 8080
  }

  depends_on = [aws_lb_listener.lb_8080]
}
