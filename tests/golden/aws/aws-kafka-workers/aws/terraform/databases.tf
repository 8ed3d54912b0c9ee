resource "aws_db_subnet_group" "warehouse" {
  name        = "kafka-workers-aws-warehouse"
  description = "Private subnets of database warehouse"
  subnet_ids  = [aws_subnet.private_a.id, aws_subnet.private_b.id]
}

resource "aws_db_parameter_group" "warehouse" {
  name        = "kafka-workers-aws-warehouse"
  family      = "postgres16"
  description = "TLS only, DDL and slow statements logged: database warehouse"

  parameter {
    name         = "log_min_duration_statement"
    value        = "1000"
    apply_method = "pending-reboot"
  }

  parameter {
    name         = "log_statement"
    value        = "ddl"
    apply_method = "pending-reboot"
  }

  parameter {
    name         = "rds.force_ssl"
    value        = "1"
    apply_method = "pending-reboot"
  }
}

resource "aws_db_instance" "warehouse" {
  #checkov:skip=CKV_AWS_157:high_availability is false for this database in this environment
  identifier                          = "kafka-workers-aws-warehouse"
  db_name                             = "warehouse"
  engine                              = "postgres"
  engine_version                      = "16.9"
  port                                = 5432
  master_username                     = "blueprint_admin"
  manage_master_user_password         = true
  master_user_secret_kms_key_id       = aws_kms_key.main.arn
  iam_database_authentication_enabled = true
  storage_encrypted                   = true
  kms_key_id                          = aws_kms_key.main.arn
  db_subnet_group_name                = aws_db_subnet_group.warehouse.name
  vpc_security_group_ids              = [aws_security_group.warehouse_db.id]
  backup_retention_period             = 7
  copy_tags_to_snapshot               = true
  deletion_protection                 = true
  enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]
  final_snapshot_identifier           = "kafka-workers-aws-warehouse-final"
  instance_class                      = "db.t4g.medium"
  allocated_storage                   = 20
  storage_type                        = "gp3"
  multi_az                            = false
  publicly_accessible                 = false
  parameter_group_name                = aws_db_parameter_group.warehouse.name
  auto_minor_version_upgrade          = true
  monitoring_interval                 = 60
  monitoring_role_arn                 = aws_iam_role.warehouse_monitoring.arn
  performance_insights_enabled        = true
  performance_insights_kms_key_id     = aws_kms_key.main.arn
}
