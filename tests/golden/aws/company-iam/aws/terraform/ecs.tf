resource "aws_ecs_cluster" "ecs" {
  #checkov:skip=CKV_AWS_224:ECS Exec is disabled on every service (enable_execute_command = false): no session to log
  name = "company-iam-ecs"

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
